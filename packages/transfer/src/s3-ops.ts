import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3'
import type { Readable } from 'node:stream'
import type { S3Client } from '@aws-sdk/client-s3'
import type { BuildMiddleware } from '@smithy/types'
import { BodyLengthError, readBodyInto } from './read-body-into.js'

// With s3-multipart-ops.ts, the only modules that build S3 commands: the rest of
// the package speaks these small functions, so an SDK upgrade touches two files.

/** Headers copied from the source object to the destination. */
export interface ObjectHeaders {
  readonly ContentType?: string | undefined
  readonly ContentEncoding?: string | undefined
  readonly ContentDisposition?: string | undefined
  readonly ContentLanguage?: string | undefined
  readonly CacheControl?: string | undefined
  readonly Metadata?: Record<string, string> | undefined
}

export interface SourceInfo {
  readonly size: number
  /** As S3 sent it, quotes included (used verbatim in If-Match). */
  readonly etag: string
  readonly lastModified: Date | undefined
  readonly headers: ObjectHeaders
  /** True when S3 encrypted with KMS or a customer key: then ETags are not MD5s. */
  readonly opaqueEtag: boolean
  /** The object's CRC32 (`base64` or, for a multipart object, `base64-N`), when asked for and stored. */
  readonly crc32?: string | undefined
}

export interface WriteResult {
  readonly etag: string | undefined
  /** The CRC32 (base64) the destination checked, when one was sent and it supports checksums. */
  readonly crc32?: string | undefined
  /** True when S3 encrypted with KMS or a customer key: then ETags are not MD5s. */
  readonly opaqueEtag: boolean
}

/** `send` options carrying the copy's abort signal. */
export const abortable = (signal: AbortSignal): { abortSignal: AbortSignal } => ({
  abortSignal: signal,
})

/**
 * Skips SigV4's SHA-256 of the body (a second pass over every byte, on CPU shared with the
 * MD5): the body's integrity is already guaranteed by Content-MD5, which S3 checks. Added per
 * command (at the build step, before signing), so the caller's client is left untouched.
 */
export const unsignedPayload =
  <I extends object, O extends object>(): BuildMiddleware<I, O> =>
  (next) =>
  async (args) => {
    const request = args.request as { headers?: Record<string, string> }
    if (request.headers) request.headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD'
    return next(args)
  }
/** Where {@link unsignedPayload} goes in a command's middleware stack. */
export const UNSIGNED_PAYLOAD = {
  step: 'build',
  name: 'teaUnsignedPayload',
  override: true,
} as const

/** True when S3 encrypted with KMS or a customer key: then ETags are not MD5s. */
export function opaque(out: {
  ServerSideEncryption?: string
  SSECustomerAlgorithm?: string
}): boolean {
  return out.SSECustomerAlgorithm !== undefined || /kms/i.test(out.ServerSideEncryption ?? '')
}

export async function headObject(
  client: S3Client,
  bucket: string,
  key: string,
  signal: AbortSignal,
  checksums = false,
): Promise<SourceInfo> {
  const out = await client.send(
    new HeadObjectCommand({
      Bucket: bucket,
      Key: key,
      ...(checksums ? { ChecksumMode: 'ENABLED' } : {}),
    }),
    abortable(signal),
  )
  if (out.ContentLength === undefined || out.ETag === undefined) {
    throw new TypeError('HeadObject returned no Content-Length or ETag')
  }
  return {
    size: out.ContentLength,
    etag: out.ETag,
    lastModified: out.LastModified,
    headers: {
      ContentType: out.ContentType,
      ContentEncoding: out.ContentEncoding,
      ContentDisposition: out.ContentDisposition,
      ContentLanguage: out.ContentLanguage,
      CacheControl: out.CacheControl,
      Metadata: out.Metadata,
    },
    opaqueEtag: opaque(out),
    crc32: out.ChecksumCRC32,
  }
}

/** Objects that are gone return undefined instead of throwing (for skip decisions). */
export async function headIfExists(
  client: S3Client,
  bucket: string,
  key: string,
  signal: AbortSignal,
): Promise<SourceInfo | undefined> {
  try {
    return await headObject(client, bucket, key, signal)
  } catch (err) {
    if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) {
      return undefined
    }
    throw err
  }
}

/**
 * GETs `length` bytes at `start` (or, with `whole`, the entire object), only if the object
 * still has `etag` (If-Match: S3 answers 412 otherwise), and returns the response body.
 */
export async function getRange(
  client: S3Client,
  input: {
    bucket: string
    key: string
    etag: string
    start: number
    length: number
    whole: boolean
  },
  signal: AbortSignal,
): Promise<Readable> {
  const range = `bytes=${input.start}-${input.start + input.length - 1}`
  const out = await client.send(
    new GetObjectCommand({
      Bucket: input.bucket,
      Key: input.key,
      IfMatch: input.etag,
      ...(input.whole ? {} : { Range: range }),
    }),
    abortable(signal),
  )
  const body = out.Body as Readable | undefined
  if (
    body === undefined ||
    (out.ContentLength !== undefined && out.ContentLength !== input.length)
  ) {
    body?.destroy()
    throw new BodyLengthError(input.length, `Content-Length ${out.ContentLength}`)
  }
  return body
}

/**
 * {@link getRange} into `target` (whose length is the number of bytes wanted). An empty target
 * is a no-op: a zero-length Range is not expressible.
 */
export async function getRangeInto(
  client: S3Client,
  input: { bucket: string; key: string; etag: string; start: number; whole: boolean },
  target: Buffer,
  signal: AbortSignal,
  onChunk?: (chunk: Uint8Array) => void,
): Promise<void> {
  if (target.length === 0) return
  const body = await getRange(client, { ...input, length: target.length }, signal)
  await readBodyInto(body, target, onChunk)
}

export async function putObject(
  client: S3Client,
  input: { bucket: string; key: string; body: Buffer; md5: Buffer; headers: ObjectHeaders },
  signal: AbortSignal,
): Promise<WriteResult> {
  const command = new PutObjectCommand({
    ...input.headers,
    Bucket: input.bucket,
    Key: input.key,
    Body: input.body,
    ContentLength: input.body.length,
    ContentMD5: input.md5.toString('base64'),
  })
  command.middlewareStack.add(unsignedPayload(), UNSIGNED_PAYLOAD)
  const out = await client.send(command, abortable(signal))
  return { etag: out.ETag, opaqueEtag: opaque(out) }
}

export async function deleteObject(
  client: S3Client,
  bucket: string,
  key: string,
  signal: AbortSignal,
): Promise<void> {
  await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }), abortable(signal))
}

export interface ListedObject {
  readonly key: string
  readonly size: number
  readonly etag: string
}

/** Every object under `prefix`, page by page. */
export async function* listObjects(
  client: S3Client,
  bucket: string,
  prefix: string,
  signal: AbortSignal,
): AsyncGenerator<ListedObject> {
  let ContinuationToken: string | undefined
  for (;;) {
    const out = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken }),
      abortable(signal),
    )
    for (const o of out.Contents ?? []) {
      if (o.Key !== undefined) yield { key: o.Key, size: o.Size ?? 0, etag: o.ETag ?? '' }
    }
    if (out.IsTruncated !== true || !out.NextContinuationToken) return
    ContinuationToken = out.NextContinuationToken
  }
}
