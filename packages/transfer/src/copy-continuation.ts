import {
  AbortMultipartUploadCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
} from '@aws-sdk/client-s3'
import type { S3Client } from '@aws-sdk/client-s3'

/** The part of the Lambda context the handler uses. */
export interface RemainingTime {
  getRemainingTimeInMillis(): number
}

/** Where an unfinished copy stands; the next invocation with the same event resumes it. */
export interface CopyContinuation {
  readonly continuation: {
    /** The open multipart upload holding the parts done (none when nothing was kept). */
    readonly uploadId?: string
    readonly partsDone: number
    readonly bytesDone: number
  }
  readonly seconds: number
}

/** Default time kept back before the Lambda's limit: enough to stop the parts in flight and answer. */
export const DEFAULT_RESERVE_MS = 30_000

/**
 * An AbortSignal that fires `reserveMs` before the invocation runs out of time, and its
 * cleanup. The reason is a unique object so the handler can tell its own deadline from any
 * other abort.
 */
export function deadlineSignal(
  context: RemainingTime,
  reserveMs: number,
): { signal: AbortSignal; reason: Error; clear: () => void } {
  const controller = new AbortController()
  const reason = new Error('The Lambda invocation is about to run out of time')
  const timer = setTimeout(
    () => controller.abort(reason),
    Math.max(0, context.getRemainingTimeInMillis() - reserveMs),
  )
  return { signal: controller.signal, reason, clear: () => clearTimeout(timer) }
}

async function openUploadIds(s3: S3Client, bucket: string, key: string): Promise<string[]> {
  const ids: string[] = []
  let KeyMarker: string | undefined
  let UploadIdMarker: string | undefined
  do {
    const page = await s3.send(
      new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: key, KeyMarker, UploadIdMarker }),
    )
    for (const u of page.Uploads ?? []) if (u.Key === key && u.UploadId) ids.push(u.UploadId)
    ;({ NextKeyMarker: KeyMarker, NextUploadIdMarker: UploadIdMarker } = page)
    if (!page.IsTruncated) break
  } while (KeyMarker !== undefined || UploadIdMarker !== undefined)
  return ids
}

/**
 * Describes what an interrupted copy kept at `bucket/key`: the newest open upload and its
 * parts (copyObject resumes that same upload on the next run).
 */
export async function describeOpenUpload(
  s3: S3Client,
  bucket: string,
  key: string,
): Promise<CopyContinuation['continuation']> {
  const ids = await openUploadIds(s3, bucket, key)
  const uploadId = ids.at(-1)
  if (uploadId === undefined) return { partsDone: 0, bytesDone: 0 }
  let partsDone = 0
  let bytesDone = 0
  let PartNumberMarker: string | undefined
  do {
    const page = await s3.send(
      new ListPartsCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumberMarker }),
    )
    for (const p of page.Parts ?? []) {
      partsDone += 1
      bytesDone += p.Size ?? 0
    }
    PartNumberMarker = page.IsTruncated ? page.NextPartNumberMarker : undefined
  } while (PartNumberMarker !== undefined)
  return { uploadId, partsDone, bytesDone }
}

/** Aborts every open upload to `bucket/key` (after a copy failed for good). */
export async function abortOpenUploads(s3: S3Client, bucket: string, key: string): Promise<void> {
  for (const UploadId of await openUploadIds(s3, bucket, key)) {
    await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId }))
  }
}
