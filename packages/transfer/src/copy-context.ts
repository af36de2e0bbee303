import type { BufferPool } from './buffer-pool.js'
import { failed, succeeded } from './attempt-outcome.js'
import type { AttemptFailure, AttemptOutcome } from './attempt-outcome.js'
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

/** Progress of a copy. Bytes count as they arrive, and an attempt that fails takes its bytes back. */
export interface ProgressTracker {
  /** A counter for one attempt at one part's bytes. */
  part(): PartProgress
  /** A part that is already at the destination (resumed). */
  resumed(bytes: number): void
}

/** One attempt at one part. */
export interface PartProgress {
  add(bytes: number): void
  /** Takes back everything this attempt counted (it failed, or its bytes are sent again). */
  discard(): void
  /** The part is at the destination: its bytes stay counted. */
  done(): void
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
    part() {
      let counted = 0
      return {
        add(n) {
          counted += n
          bytes += n
          emit()
        },
        discard() {
          if (counted === 0) return
          bytes -= counted
          counted = 0
          emit()
        },
        done() {
          counted = 0
          partsDone++
          emit()
        },
      }
    },
    resumed(n) {
      bytes += n
      partsDone++
      emit()
    },
  }
}

/** A step of the copy: where a failure is reported when the attempt does not say otherwise. */
export interface Step {
  readonly side: TransferSide
  readonly operation: string
  readonly partNumber?: number | undefined
  readonly bucket: string
  readonly key: string
}

class AttemptFailed extends Error {
  readonly failure: AttemptFailure
  constructor(failure: AttemptFailure) {
    super(`${failure.operation} failed`, { cause: failure.cause })
    this.failure = failure
  }
}

/**
 * Runs a step whose attempts report how they ended, with the copy's retry policy: a failed
 * attempt is tried again when it says it is retryable. The final failure becomes a
 * TransferError naming the side and operation that failed, the object and the part.
 */
export async function runAttempts<T>(
  ctx: Pick<CopyContext, 'tuning' | 'signal'> & Partial<Pick<CopyContext, 'source' | 'dest'>>,
  step: Step,
  attempt: (n: number) => Promise<AttemptOutcome<T>>,
): Promise<T> {
  const onRetry = ctx.tuning.onRetry
  try {
    // withRetry speaks exceptions: a failed outcome travels as AttemptFailed, inside this function only.
    return await withRetry(
      async (n) => {
        const outcome = await attempt(n).catch((err: unknown) =>
          failed(step.side, step.operation, err),
        )
        if (!outcome.ok) throw new AttemptFailed(outcome)
        return outcome.value
      },
      ctx.tuning.retry,
      {
        operation: step.operation,
        partNumber: step.partNumber,
        signal: ctx.signal,
        isRetryable: (err) => err instanceof AttemptFailed && err.failure.retryable,
        onRetry:
          onRetry &&
          ((e) => {
            const f = (e.error as AttemptFailed).failure
            onRetry({ ...e, operation: f.operation, error: f.cause })
          }),
      },
    )
  } catch (err) {
    if (!(err instanceof AttemptFailed)) throw err
    const f = err.failure
    // A streamed part's step is on the destination, but its GET may be what failed.
    const other = f.side === step.side ? undefined : ctx[f.side]
    const where = other ? { bucket: other.bucket, key: other.key } : {}
    throw toTransferError(f.cause, { ...step, ...where, side: f.side, operation: f.operation })
  }
}

/**
 * {@link runAttempts} for a step that is one S3 call on one side: whatever it throws is a
 * failure of that side, retryable by the usual S3 and network rules.
 */
export function runStep<T>(
  ctx: Pick<CopyContext, 'tuning' | 'signal'>,
  step: Step,
  fn: (attempt: number) => Promise<T>,
): Promise<T> {
  return runAttempts(ctx, step, async (n) => succeeded(await fn(n)))
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
