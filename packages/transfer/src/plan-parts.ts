import { ObjectTooLargeError, TransferOptionError } from './errors.js'
import { formatBytes } from './parse-byte-size.js'

export const MiB = 1024 ** 2
export const GiB = 1024 ** 3
/** S3 rejects parts under 5 MiB, except the last one of an upload. */
export const MIN_PART_SIZE = 5 * MiB
/** S3's largest part, and its largest single PutObject. */
export const MAX_PART_SIZE = 5 * GiB
/** S3's most parts per multipart upload. */
export const MAX_PARTS = 10_000
/** The part size used when the caller gives none. */
export const DEFAULT_PART_SIZE = 128 * MiB

/** How an object of `size` bytes is cut into parts. */
export interface PartPlan {
  readonly size: number
  /** The size of every part but the last (which holds the remainder). */
  readonly partSize: number
  readonly partCount: number
  /** False when the object fits in one part: then it is copied with a single PutObject. */
  readonly multipart: boolean
}

/** One part: S3 part number (1-based) and its byte range in the object. */
export interface PartRange {
  readonly partNumber: number
  readonly start: number
  readonly length: number
}

export interface PlanPartsOptions {
  /** Requested part size in bytes. Default: {@link DEFAULT_PART_SIZE} (128 MiB). */
  readonly partSize?: number
  /** Default: {@link MAX_PARTS} (10,000). */
  readonly maxParts?: number
}

/** Throws a TransferOptionError unless `partSize` is an integer within S3's part limits. */
export function checkPartSize(partSize: number): number {
  if (!Number.isSafeInteger(partSize) || partSize < MIN_PART_SIZE || partSize > MAX_PART_SIZE) {
    const got = Number.isFinite(partSize) ? `${partSize} (${formatBytes(partSize)})` : partSize
    throw new TransferOptionError(
      'partSize',
      `must be an integer from ${MIN_PART_SIZE} (5 MiB) to ${MAX_PART_SIZE} (5 GiB), got ${got}`,
    )
  }
  return partSize
}

/**
 * Plans the parts of an object: `partSize` as asked, raised (rounded up to a whole MiB) when
 * the object would otherwise need more than `maxParts` parts. An object no larger than one
 * part gets a single-part plan (copied with PutObject), and so does an empty object.
 *
 * @throws TransferOptionError (`ERR_INVALID_OPTION`) for a bad `size`, `partSize` or `maxParts`.
 * @throws ObjectTooLargeError when even 5 GiB parts would be more than `maxParts`.
 * @example
 * ```ts
 * planParts(300 * MiB, { partSize: 128 * MiB }) // { partSize: 134217728, partCount: 3, multipart: true, ... }
 * ```
 */
export function planParts(size: number, options: PlanPartsOptions = {}): PartPlan {
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new TransferOptionError('size', `must be a non-negative integer, got ${size}`)
  }
  const requested = checkPartSize(options.partSize ?? DEFAULT_PART_SIZE)
  const maxParts = options.maxParts ?? MAX_PARTS
  if (!Number.isSafeInteger(maxParts) || maxParts < 1 || maxParts > MAX_PARTS) {
    throw new TransferOptionError(
      'maxParts',
      `must be an integer from 1 to ${MAX_PARTS}, got ${maxParts}`,
    )
  }
  if (size <= requested) return { size, partSize: requested, partCount: 1, multipart: false }
  let partSize = requested
  if (Math.ceil(size / partSize) > maxParts) {
    partSize = Math.ceil(size / maxParts / MiB) * MiB
  }
  if (partSize > MAX_PART_SIZE) {
    throw new ObjectTooLargeError(
      `An object of ${size} bytes needs more than ${maxParts} parts of 5 GiB, the most S3 allows`,
    )
  }
  return { size, partSize, partCount: Math.ceil(size / partSize), multipart: true }
}

/** The byte range of part `partNumber` (1-based) of `plan`. */
export function partRange(plan: PartPlan, partNumber: number): PartRange {
  if (!Number.isSafeInteger(partNumber) || partNumber < 1 || partNumber > plan.partCount) {
    throw new RangeError(`part ${partNumber} is outside 1..${plan.partCount}`)
  }
  const start = (partNumber - 1) * plan.partSize
  return { partNumber, start, length: Math.min(plan.partSize, plan.size - start) }
}
