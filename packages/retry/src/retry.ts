/** How long to wait between attempts: exponential backoff with full jitter. */
export interface BackoffPolicy {
  /** Attempt n (n ≥ 1) waits random(0, min(maxDelayMs, baseDelayMs·2ⁿ⁻¹)). */
  readonly baseDelayMs: number
  /** Longest wait between attempts. */
  readonly maxDelayMs: number
  /** Uniform [0, 1) for the jitter. */
  readonly random: () => number
}

export interface RetryPolicy extends BackoffPolicy {
  /** Attempts, the first included. */
  readonly maxAttempts: number
  /** Waits between attempts; must reject when `signal` aborts. */
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>
}

/** Why {@link retry} stopped retrying a retryable error. */
export type GiveUpReason =
  | { readonly kind: 'attempts'; readonly attempts: number }
  | { readonly kind: 'retry-after'; readonly attempts: number; readonly retryAfterMs: number }

/** Passed to `onRetry` before each wait. */
export interface RetryAttemptFailure {
  /** The attempt that failed (1-based). */
  readonly attempt: number
  readonly delayMs: number
  readonly error: unknown
}

export interface RetryHooks {
  /** Whether `err` is worth another attempt; anything else is rethrown at once, unchanged. */
  readonly isRetryable: (err: unknown) => boolean
  /**
   * The wait the server asked for (`Retry-After`), if any: a lower bound for the next wait, and
   * when it is longer than `maxDelayMs` the retries end at once rather than stall the caller.
   */
  readonly retryAfterMs?: (err: unknown) => number | undefined
  /** No further attempt once this aborts (the last error is rethrown). */
  readonly signal?: AbortSignal | undefined
  readonly onRetry?: ((failure: RetryAttemptFailure) => void) | undefined
  /** Maps the last error when a retryable error ends the retries. Default: rethrow it unchanged. */
  readonly onGiveUp?: (err: unknown, reason: GiveUpReason) => unknown
}

/**
 * The wait before attempt `attempt + 1`: full jitter, random(0, min(max, base·2ⁿ⁻¹)), the AWS
 * Architecture Blog's recommendation ("Exponential Backoff And Jitter"), which spreads clients
 * that failed together better than equal or decorrelated jitter.
 */
export function fullJitterDelay(attempt: number, policy: BackoffPolicy): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1))
  return policy.random() * cap
}

/**
 * Runs `step` until it succeeds, fails with an error `isRetryable` refuses, `maxAttempts` have
 * failed, the server asks for a wait longer than `maxDelayMs`, or `signal` aborts.
 */
export async function retry<T>(
  step: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  hooks: RetryHooks,
): Promise<T> {
  const giveUp = hooks.onGiveUp ?? ((err: unknown) => err)
  for (let attempt = 1; ; attempt++) {
    try {
      return await step(attempt)
    } catch (err) {
      if (hooks.signal?.aborted === true || !hooks.isRetryable(err)) throw err
      if (attempt >= policy.maxAttempts) throw giveUp(err, { kind: 'attempts', attempts: attempt })
      const retryAfterMs = hooks.retryAfterMs?.(err)
      if (retryAfterMs !== undefined && retryAfterMs > policy.maxDelayMs) {
        throw giveUp(err, { kind: 'retry-after', attempts: attempt, retryAfterMs })
      }
      const delayMs = Math.max(fullJitterDelay(attempt, policy), retryAfterMs ?? 0)
      hooks.onRetry?.({ attempt, delayMs, error: err })
      await policy.sleep(delayMs, hooks.signal)
    }
  }
}
