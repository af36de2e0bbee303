import type { BufferPool } from './buffer-pool.js'
import { isRetryable } from './classify-error.js'
import type { TransferSide } from './errors.js'
import type { PartPlan } from './plan-parts.js'
import type { CopyProgress, ResolvedTuning, S3Location } from './resolve-copy-options.js'
import type { ObjectHeaders, SourceInfo } from './s3-ops.js'
import { toTransferError } from './to-transfer-error.js'
import { withRetry } from './with-retry.js'

/** Everything the steps of one object's copy share. */
export interface CopyContext {
  readonly source: S3Location
  readonly dest: S3Location
  readonly tuning: ResolvedTuning
  /** Aborts on the caller's signal or on the first fatal part failure. */
  readonly signal: AbortSignal
  readonly pool: BufferPool
  readonly progress: ProgressTracker
  readonly sourceInfo: SourceInfo
  readonly plan: PartPlan
  /** Headers and metadata for the destination object. */
  readonly destHeaders: ObjectHeaders
}

export interface ProgressTracker {
  add(bytes: number): void
  partDone(): void
}

export function createProgressTracker(
  key: string,
  plan: PartPlan,
  onProgress: ((p: CopyProgress) => void) | undefined,
): ProgressTracker {
  let bytes = 0
  let partsDone = 0
  const emit = (): void =>
    onProgress?.({ key, bytes, totalBytes: plan.size, partsDone, parts: plan.partCount })
  return {
    add(n) {
      bytes += n
      emit()
    },
    partDone() {
      partsDone++
      emit()
    },
  }
}

/**
 * Thrown inside a step that spans both ends (a streamed part): says which end failed, so the
 * retry decision, the `onRetry` event and the final error are about that end's error.
 */
export class StepFailure extends Error {
  readonly step: { side: TransferSide; operation: string; bucket: string; key: string }

  constructor(step: StepFailure['step'], cause: unknown) {
    super(`${step.operation} failed`, { cause })
    this.name = 'StepFailure'
    this.step = step
  }
}

const unwrap = (err: unknown): unknown => (err instanceof StepFailure ? err.cause : err)

/**
 * Runs one S3 call with the copy's retry policy and turns its final error into a
 * TransferError naming the side, operation, object and part.
 */
export async function runStep<T>(
  ctx: Pick<CopyContext, 'tuning' | 'signal'>,
  step: { side: TransferSide; operation: string; partNumber?: number; bucket: string; key: string },
  fn: (attempt: number) => Promise<T>,
): Promise<T> {
  const onRetry = ctx.tuning.onRetry
  try {
    return await withRetry(fn, ctx.tuning.retry, {
      operation: step.operation,
      partNumber: step.partNumber,
      signal: ctx.signal,
      isRetryable: (err) => isRetryable(unwrap(err)),
      onRetry:
        onRetry &&
        ((e) =>
          onRetry({
            ...e,
            operation: e.error instanceof StepFailure ? e.error.step.operation : e.operation,
            error: unwrap(e.error),
          })),
    })
  } catch (err) {
    throw toTransferError(unwrap(err), err instanceof StepFailure ? { ...step, ...err.step } : step)
  }
}

/** `runStep` on the source object. */
export const onSource = (ctx: CopyContext, operation: string, partNumber?: number) => ({
  side: 'source' as const,
  operation,
  partNumber,
  bucket: ctx.source.bucket,
  key: ctx.source.key,
})

/** `runStep` on the destination object. */
export const onDest = (ctx: CopyContext, operation: string, partNumber?: number) => ({
  side: 'dest' as const,
  operation,
  partNumber,
  bucket: ctx.dest.bucket,
  key: ctx.dest.key,
})
