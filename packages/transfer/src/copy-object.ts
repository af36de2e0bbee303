import type { BufferPool } from './buffer-pool.js'
import { createBufferPool } from './buffer-pool.js'
import type { CopyContext } from './copy-context.js'
import { createProgressTracker, runStep } from './copy-context.js'
import { copyMultipart } from './copy-multipart.js'
import { copySingle } from './copy-single.js'
import { ObjectTooLargeError, TransferAbortedError, TransferError } from './errors.js'
import { normalizeEtag } from './etags.js'
import { planParts } from './plan-parts.js'
import { MAX_COPY_PART_SIZE, checkObjectLocation, resolveTuning } from './resolve-copy-options.js'
import type { CopyObjectOptions, ResolvedTuning } from './resolve-copy-options.js'
import { headObject } from './s3-ops.js'
import type { ObjectHeaders, SourceInfo } from './s3-ops.js'
import { describeCause } from './to-transfer-error.js'
import { verifyDest } from './verify-dest.js'
import type { VerifiedBy } from './verify-dest.js'

/** User metadata key (x-amz-meta-tea-source-etag) recording which source version a copy holds. */
export const SOURCE_ETAG_METADATA = 'tea-source-etag'

/** What {@link copyObject} did. */
export interface CopyResult {
  /** Object size. */
  readonly bytes: number
  /** Parts in the destination object (1 for a single PutObject). */
  readonly parts: number
  readonly seconds: number
  /** The destination object's ETag, without quotes. */
  readonly etag: string
  /**
   * `checksum`: the composite CRC32 matched the part CRC32s the destination checked; `etag`: the
   * ETag matched the one computed from the part MD5s; `size`: only the size could be checked.
   */
  readonly verifiedBy: VerifiedBy
  /** The multipart upload used, if any. */
  readonly uploadId?: string
  /** Parts found at the destination from an earlier, interrupted run. */
  readonly resumed?: { readonly parts: number; readonly bytes: number }
}

function destHeaders(source: SourceInfo): ObjectHeaders {
  const metadata = { ...source.headers.Metadata }
  metadata[SOURCE_ETAG_METADATA] = normalizeEtag(source.etag) ?? ''
  return { ...source.headers, Metadata: metadata }
}

/** Copies one object with already-resolved tuning and a given buffer pool (shared by copyPrefix). */
export async function copyWith(
  options: Pick<CopyObjectOptions, 'source' | 'dest' | 'onProgress'>,
  tuning: ResolvedTuning,
  pool: BufferPool,
): Promise<CopyResult> {
  const started = tuning.now()
  const { source, dest } = options
  const stop = new AbortController()
  const onAbort = (): void =>
    stop.abort(
      new TransferAbortedError(`The copy of s3://${source.bucket}/${source.key} was aborted`, {
        cause: tuning.signal?.reason,
      }),
    )
  if (tuning.signal?.aborted) onAbort()
  tuning.signal?.addEventListener('abort', onAbort, { once: true })
  try {
    const base = { source, dest, tuning, pool, signal: stop.signal }
    const { bucket, key } = source
    const step = { side: 'source', operation: 'HeadObject', bucket, key } as const
    const sourceInfo = await runStep(base, step, () =>
      headObject(source.client, bucket, key, stop.signal),
    )
    const plan = planParts(sourceInfo.size, { partSize: tuning.partSize })
    if (plan.partSize > MAX_COPY_PART_SIZE) {
      throw new ObjectTooLargeError(
        `s3://${source.bucket}/${source.key} (${plan.size} bytes) needs parts larger than ${MAX_COPY_PART_SIZE} bytes, the largest Buffer this Node.js can allocate`,
      )
    }
    const ctx: CopyContext = {
      ...base,
      sourceInfo,
      plan,
      destHeaders: destHeaders(sourceInfo),
      progress: createProgressTracker(source.key, plan, options.onProgress),
    }
    const outcome = plan.multipart ? await copyMultipart(ctx, stop) : await copySingle(ctx)
    const expected = {
      etag: outcome.expectedEtag,
      crc32: 'expectedCrc32' in outcome ? outcome.expectedCrc32 : undefined,
    }
    const { etag, verifiedBy } = await verifyDest(ctx, expected)
    const seconds = Math.round(tuning.now() - started) / 1000
    return {
      bytes: plan.size,
      parts: plan.partCount,
      seconds,
      etag,
      verifiedBy,
      ...('uploadId' in outcome ? { uploadId: outcome.uploadId } : {}),
      ...('resumed' in outcome && outcome.resumed ? { resumed: outcome.resumed } : {}),
    }
  } catch (err) {
    if (stop.signal.reason instanceof TransferAbortedError) throw stop.signal.reason
    if (err instanceof TransferError) throw err
    throw new TransferError(
      `Copy of s3://${source.bucket}/${source.key} failed: ${describeCause(err)}`,
      {
        cause: err,
      },
    )
  } finally {
    tuning.signal?.removeEventListener('abort', onAbort)
  }
}

/**
 * Copies one S3 object to another bucket/key, reading with the source client's credentials and
 * writing with the destination client's. HEADs the source, then either one GET + PutObject
 * with Content-MD5 (objects up to one part, empty ones included) or a multipart upload whose
 * parts come from ranged GETs (If-Match on the ETag), `concurrency` at a time, each piped into
 * UploadPart (or buffered, see `streamParts`) and proved by a CRC32 the destination checks or by
 * its MD5 (see `checksum`). Parts are retried with backoff; any fatal error or abort aborts the
 * multipart upload, so no partial object ever appears; an interrupted copy is resumed. The
 * result is verified with HeadObject: size, and the composite CRC32 or the ETag predicted from
 * the parts.
 *
 * @throws TransferOptionError (`ERR_INVALID_OPTION`) on misuse (bad locations, part size outside 5 MiB..5 GiB, concurrency < 1).
 * @throws TransferError (with `code`) when the copy fails; the S3 error is the `cause`.
 * @example
 * ```ts
 * const result = await copyObject({
 *   source: { bucket: 'daac-bucket', key: 'granule.h5', client: sourceS3 },
 *   dest: { bucket: 'my-bucket', key: 'granule.h5', client: destS3 },
 *   partSize: 256 * 1024 ** 2,
 * })
 * console.log(`${result.bytes} bytes in ${result.seconds} s, ETag ${result.etag}`)
 * ```
 */
export async function copyObject(options: CopyObjectOptions): Promise<CopyResult> {
  checkObjectLocation(options.source, 'source')
  checkObjectLocation(options.dest, 'dest')
  const tuning = resolveTuning(options)
  return copyWith(options, tuning, createBufferPool(tuning.concurrency))
}
