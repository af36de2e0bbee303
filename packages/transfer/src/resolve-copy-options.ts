import { constants } from 'node:buffer'
import type { S3Client } from '@aws-sdk/client-s3'
import { TransferOptionError } from './errors.js'
import { formatBytes } from './parse-byte-size.js'
import { DEFAULT_PART_SIZE, MAX_PART_SIZE, checkPartSize } from './plan-parts.js'
import { resolveRetry } from './with-retry.js'
import type { ResolvedRetry, RetryEvent, RetryOptions } from './with-retry.js'

/**
 * The largest part a copy can hold in one buffer: S3's 5 GiB, or less where Node.js caps a
 * Buffer below that (4 GiB in Node 20).
 */
export const MAX_COPY_PART_SIZE = Math.min(MAX_PART_SIZE, constants.MAX_LENGTH)

/** One end of a copy: where, and the client (with its own credentials) to reach it. */
export interface S3Location {
  readonly bucket: string
  readonly key: string
  readonly client: S3Client
}

/** Reported as bytes arrive; `bytes` can go down when a part is read again after a failure. */
export interface CopyProgress {
  /** Source key. */
  readonly key: string
  /** Bytes at the destination, already there (resumed) or in flight. */
  readonly bytes: number
  readonly totalBytes: number
  readonly partsDone: number
  readonly parts: number
}

/** Tuning shared by {@link copyObject} and {@link copyPrefix}. */
export interface CopyTuning {
  /** Part size in bytes, 5 MiB to 5 GiB; raised when an object would need > 10,000 parts. Default: 134_217_728 (128 MiB). */
  readonly partSize?: number
  /** Parts in flight (each holds one part-sized buffer). Default: 4. */
  readonly concurrency?: number
  /** Cancels the copy: the multipart upload is aborted and the promise rejects with `ERR_ABORTED`. */
  readonly signal?: AbortSignal
  /** Per-step retries (each part's GET and UploadPart). Defaults: see {@link RetryOptions}. */
  readonly retry?: RetryOptions
  /** Hears of every retry (for logs). Default: none. */
  readonly onRetry?: (event: RetryEvent) => void
  /** Continue a crashed copy's open multipart upload to the same key. Default: true. */
  readonly resume?: boolean
  /**
   * On failure or abort, keep the multipart upload (its parts stay, invisible, billable) so a
   * re-run resumes it, instead of aborting it. Default: false.
   */
  readonly leavePartsOnError?: boolean
  /**
   * Pipe each part's GET body straight into its UploadPart (no part buffer; the part is proved
   * by a CRC32 the destination checks, or by its ETag against the MD5 computed on the way).
   * Parts are buffered and sent with Content-MD5 instead when neither proof is available: the
   * destination's ETags are not MD5s (SSE-KMS) and it takes no CRC32, or, with `checksum: 'md5'`,
   * its client computes request checksums (`requestChecksumCalculation` other than
   * `WHEN_REQUIRED`: radosgw 16 refuses streamed bodies with checksum trailers). Default: true.
   */
  readonly streamParts?: boolean
  /**
   * How streamed parts are proved (docs/transfer.md, "Integrity"):
   * - `crc32`: the SDK sends each part's CRC32 (computed natively) as a trailer the destination
   *   checks, and the object's composite CRC32 is checked at the end. For stores that verify
   *   checksums (AWS S3). About a sixth of the CPU of `md5`.
   * - `md5`: each part is hashed with MD5 on the way and its ETag must match. For stores that
   *   do not take checksum trailers (radosgw 16 answers them with 411).
   * - `auto`: `crc32` on AWS S3 (the client has no custom endpoint), `md5` elsewhere.
   *
   * A destination that turns out not to verify a CRC32 gets its parts by `md5` instead.
   * Default: `auto`.
   */
  readonly checksum?: 'auto' | 'crc32' | 'md5'
  /** Monotonic clock in ms (durations). Default: `performance.now`. */
  readonly now?: () => number
}

/** Options of {@link copyObject}. */
export interface CopyObjectOptions extends CopyTuning {
  readonly source: S3Location
  readonly dest: S3Location
  readonly onProgress?: (progress: CopyProgress) => void
}

export interface ResolvedTuning {
  readonly partSize: number
  readonly concurrency: number
  readonly signal: AbortSignal | undefined
  readonly retry: ResolvedRetry
  readonly onRetry: ((event: RetryEvent) => void) | undefined
  readonly resume: boolean
  readonly leavePartsOnError: boolean
  readonly streamParts: boolean
  readonly checksum: 'auto' | 'crc32' | 'md5'
  readonly now: () => number
}

function checkLocation(loc: S3Location | undefined, name: string): void {
  if (typeof loc?.bucket !== 'string' || loc.bucket === '') {
    throw new TransferOptionError(`${name}.bucket`, 'must be a non-empty string')
  }
  if (typeof loc.key !== 'string') throw new TransferOptionError(`${name}.key`, 'must be a string')
  if (typeof loc.client?.send !== 'function')
    throw new TransferOptionError(`${name}.client`, 'must be an S3Client')
}

/** Checks an object location (`key` non-empty) once; throws a TransferOptionError on misuse. */
export function checkObjectLocation(loc: S3Location | undefined, name: string): void {
  checkLocation(loc, name)
  if (loc?.key === '') throw new TransferOptionError(`${name}.key`, 'must be a non-empty string')
}

/** Checks a prefix location (any key, '' for the whole bucket); throws a TransferOptionError on misuse. */
export const checkPrefixLocation = checkLocation

/**
 * Fills in defaults and checks values once, before anything runs.
 *
 * @throws TransferOptionError (`ERR_INVALID_OPTION`) on misuse: part size outside 5 MiB..5 GiB (4 GiB on Node 20, see
 * {@link MAX_COPY_PART_SIZE}), concurrency < 1, bad retry policy.
 */
export function resolveTuning(options: CopyTuning): ResolvedTuning {
  const concurrency = options.concurrency ?? 4
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
    throw new TransferOptionError('concurrency', `must be an integer ≥ 1, got ${concurrency}`)
  }
  const partSize = checkPartSize(options.partSize ?? DEFAULT_PART_SIZE)
  if (partSize > MAX_COPY_PART_SIZE) {
    throw new TransferOptionError(
      'partSize',
      `must be at most ${formatBytes(MAX_COPY_PART_SIZE)}, the largest Buffer this Node.js can allocate, got ${formatBytes(partSize)}`,
    )
  }
  const checksum = options.checksum ?? 'auto'
  if (!['auto', 'crc32', 'md5'].includes(checksum)) {
    throw new TransferOptionError(
      'checksum',
      `must be 'auto', 'crc32' or 'md5', got ${String(checksum)}`,
    )
  }
  return Object.freeze({
    partSize,
    concurrency,
    signal: options.signal,
    retry: resolveRetry(options.retry),
    onRetry: options.onRetry,
    resume: options.resume ?? true,
    leavePartsOnError: options.leavePartsOnError ?? false,
    streamParts: options.streamParts ?? true,
    checksum,
    now: options.now ?? (() => performance.now()),
  })
}
