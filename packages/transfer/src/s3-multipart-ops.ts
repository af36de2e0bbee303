import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3'
import type { Readable } from 'node:stream'
import type { S3Client } from '@aws-sdk/client-s3'
import { UNSIGNED_PAYLOAD, opaque, abortable, unsignedPayload } from './s3-ops.js'
import type { ObjectHeaders, WriteResult } from './s3-ops.js'

// Multipart upload operations on the destination (see s3-ops.ts).

export async function createUpload(
  client: S3Client,
  input: { bucket: string; key: string; headers: ObjectHeaders; crc32: boolean },
  signal: AbortSignal,
): Promise<{ uploadId: string; opaqueEtag: boolean }> {
  const out = await client.send(
    new CreateMultipartUploadCommand({
      ...input.headers,
      Bucket: input.bucket,
      Key: input.key,
      // Parts then carry CRC32s, and the object gets the composite CRC32 of its parts.
      ...(input.crc32 ? { ChecksumAlgorithm: 'CRC32' } : {}),
    }),
    abortable(signal),
  )
  if (!out.UploadId) throw new TypeError('CreateMultipartUpload returned no UploadId')
  return { uploadId: out.UploadId, opaqueEtag: opaque(out) }
}

export async function uploadPart(
  client: S3Client,
  input: {
    bucket: string
    key: string
    uploadId: string
    partNumber: number
    /** A buffer (replayable by the SDK), or a stream of exactly `length` bytes (not replayable). */
    body: Buffer | Readable
    length: number
    /** Sent as Content-MD5 when known up front (buffered parts). */
    md5?: Buffer
    /**
     * Let the SDK compute the body's CRC32 as it goes out (natively, with zlib) and send it as an
     * `x-amz-checksum-crc32` trailer, which S3 checks before it stores the part.
     */
    crc32?: boolean
  },
  signal: AbortSignal,
): Promise<WriteResult> {
  const command = new UploadPartCommand({
    Bucket: input.bucket,
    Key: input.key,
    UploadId: input.uploadId,
    PartNumber: input.partNumber,
    Body: input.body,
    ContentLength: input.length,
    ...(input.md5 === undefined ? {} : { ContentMD5: input.md5.toString('base64') }),
    ...(input.crc32 === true ? { ChecksumAlgorithm: 'CRC32' } : {}),
  })
  // With a trailer the SDK signs the body as STREAMING-UNSIGNED-PAYLOAD-TRAILER itself.
  if (input.crc32 !== true) command.middlewareStack.add(unsignedPayload(), UNSIGNED_PAYLOAD)
  const out = await client.send(command, abortable(signal))
  return { etag: out.ETag, opaqueEtag: opaque(out), crc32: out.ChecksumCRC32 }
}

export async function completeUpload(
  client: S3Client,
  input: { bucket: string; key: string; uploadId: string; parts: readonly UploadedPart[] },
  signal: AbortSignal,
): Promise<void> {
  await client.send(
    new CompleteMultipartUploadCommand({
      Bucket: input.bucket,
      Key: input.key,
      UploadId: input.uploadId,
      MultipartUpload: {
        Parts: input.parts.map((p) => ({
          PartNumber: p.partNumber,
          ETag: p.etag,
          ...(p.crc32 === undefined ? {} : { ChecksumCRC32: p.crc32 }),
        })),
      },
    }),
    abortable(signal),
  )
}

export async function abortUpload(
  client: S3Client,
  input: { bucket: string; key: string; uploadId: string },
  signal: AbortSignal,
): Promise<void> {
  await client.send(
    new AbortMultipartUploadCommand({
      Bucket: input.bucket,
      Key: input.key,
      UploadId: input.uploadId,
    }),
    abortable(signal),
  )
}

export interface OpenUpload {
  readonly uploadId: string
  readonly initiated: Date | undefined
}

/** Open multipart uploads whose key is exactly `key`. */
export async function* listUploads(
  client: S3Client,
  bucket: string,
  key: string,
  signal: AbortSignal,
): AsyncGenerator<OpenUpload> {
  let KeyMarker: string | undefined
  let UploadIdMarker: string | undefined
  for (;;) {
    const out = await client.send(
      new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: key, KeyMarker, UploadIdMarker }),
      abortable(signal),
    )
    for (const u of out.Uploads ?? []) {
      if (u.Key === key && u.UploadId) yield { uploadId: u.UploadId, initiated: u.Initiated }
    }
    if (out.IsTruncated !== true) return
    KeyMarker = out.NextKeyMarker
    UploadIdMarker = out.NextUploadIdMarker
  }
}

export interface UploadedPart {
  readonly partNumber: number
  readonly etag: string
  readonly size: number
  /** Base64, as the destination verified it (uploads created with CRC32 checksums). */
  readonly crc32?: string | undefined
}

export async function listParts(
  client: S3Client,
  input: { bucket: string; key: string; uploadId: string },
  signal: AbortSignal,
): Promise<UploadedPart[]> {
  const parts: UploadedPart[] = []
  let PartNumberMarker: string | undefined
  for (;;) {
    const out = await client.send(
      new ListPartsCommand({
        Bucket: input.bucket,
        Key: input.key,
        UploadId: input.uploadId,
        PartNumberMarker,
      }),
      abortable(signal),
    )
    for (const p of out.Parts ?? []) {
      if (p.PartNumber !== undefined && p.ETag !== undefined && p.Size !== undefined) {
        parts.push({ partNumber: p.PartNumber, etag: p.ETag, size: p.Size, crc32: p.ChecksumCRC32 })
      }
    }
    if (out.IsTruncated !== true) return parts
    PartNumberMarker = out.NextPartNumberMarker
  }
}
