import { retry } from '@tea-ts/retry'
import { TransferOptionError } from './errors.js'
/** Per-step retry policy of a copy (each part's GET and UploadPart is one step). */
export interface RetryOptions {
  /** Attempts per step, the first included. Default: 5. */
  readonly maxAttempts?: number
  /** Backoff base: attempt n (n ≥ 1) waits random(0, min(maxDelayMs, baseDelayMs·2ⁿ⁻¹)), full jitter. Default: 500. */
  readonly baseDelayMs?: number
  /** Longest wait between attempts. Default: 20_000. */
  readonly maxDelayMs?: number
  /** Uniform [0, 1) for the jitter. Default: `Math.random`. */
  readonly random?: () => number
  /** Waits between attempts; must reject when `signal` aborts. Default: a `setTimeout` promise. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>
}

export type ResolvedRetry = Required<RetryOptions>

/** Passed to `onRetry` before each wait. */
export interface RetryEvent {
  /** `HeadObject`, `GetObject`, `UploadPart`, ... */
  readonly operation: string
  readonly partNumber: number | undefined
  /** The attempt that failed (1-based). */
  readonly attempt: number
  readonly delayMs: number
  readonly error: unknown
}

const sleepFor = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason)
    const done = (): void => {
      signal.removeEventListener('abort', abort)
      resolve()
    }
    const timer = setTimeout(done, ms)
    const abort = (): void => {
      clearTimeout(timer)
      reject(signal.reason)
    }
    signal.addEventListener('abort', abort, { once: true })
  })

/** Fills in defaults; throws a TransferOptionError for out-of-range values (misuse). */
export function resolveRetry(options: RetryOptions = {}): ResolvedRetry {
  const r = {
    maxAttempts: options.maxAttempts ?? 5,
    baseDelayMs: options.baseDelayMs ?? 500,
    maxDelayMs: options.maxDelayMs ?? 20_000,
    random: options.random ?? Math.random,
    sleep: options.sleep ?? sleepFor,
  }
  if (!Number.isSafeInteger(r.maxAttempts) || r.maxAttempts < 1) {
    throw new TransferOptionError(
      'retry.maxAttempts',
      `must be an integer ≥ 1, got ${r.maxAttempts}`,
    )
  }
  for (const k of ['baseDelayMs', 'maxDelayMs'] as const) {
    if (!Number.isFinite(r[k]) || r[k] < 0)
      throw new TransferOptionError(`retry.${k}`, 'must be ≥ 0')
  }
  return Object.freeze(r)
}

export interface RetryContext {
  readonly operation: string
  readonly partNumber?: number
  readonly signal: AbortSignal
  readonly isRetryable: (err: unknown) => boolean
  readonly onRetry?: ((event: RetryEvent) => void) | undefined
}

/**
 * Runs `step` until it succeeds, it fails with an error `isRetryable` refuses, the attempts run
 * out or `signal` aborts; then rethrows the last error unchanged (callers map it).
 */
export function withRetry<T>(
  step: (attempt: number) => Promise<T>,
  policy: ResolvedRetry,
  ctx: RetryContext,
): Promise<T> {
  return retry(
    step,
    { ...policy, sleep: (ms) => policy.sleep(ms, ctx.signal) },
    {
      isRetryable: ctx.isRetryable,
      signal: ctx.signal,
      onRetry: ({ attempt, delayMs, error }) =>
        ctx.onRetry?.({
          operation: ctx.operation,
          partNumber: ctx.partNumber,
          attempt,
          // Whole milliseconds for the progress lines and logs.
          delayMs: Math.floor(delayMs),
          error,
        }),
    },
  )
}
