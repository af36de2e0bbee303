import { S3CredentialsTimeoutError, S3CredentialsUnavailableError, isRetryable } from './errors.js'

export interface RetryPolicy {
  readonly maxAttempts: number
  readonly baseDelayMs: number
  readonly maxDelayMs: number
  readonly random: () => number
  readonly sleep: (ms: number) => Promise<void>
}

function gaveUp(err: unknown, attempts: number, why: string): unknown {
  const suffix = ` (${why} after ${attempts} attempt${attempts === 1 ? '' : 's'})`
  if (err instanceof S3CredentialsUnavailableError) {
    return new S3CredentialsUnavailableError(err.message + suffix, {
      cause: err.cause,
      status: err.status,
      retryAfterMs: err.retryAfterMs,
    })
  }
  if (err instanceof S3CredentialsTimeoutError) {
    return new S3CredentialsTimeoutError(err.message + suffix, { cause: err.cause })
  }
  return err
}

/**
 * Runs `attempt` until it succeeds, fails with a non-retryable error, or `maxAttempts` have
 * failed. Waits use exponential backoff with full jitter (random(0, min(max, base·2ⁿ⁻¹)), the
 * AWS Architecture Blog's recommendation) but never less than the server's `Retry-After`; a
 * `Retry-After` longer than `maxDelayMs` ends the retries at once rather than stall a caller.
 */
export async function withRetries<T>(
  attempt: (n: number) => Promise<T>,
  policy: RetryPolicy,
): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n)
    } catch (err) {
      if (!isRetryable(err)) throw err
      if (n >= policy.maxAttempts) throw gaveUp(err, n, 'gave up')
      const retryAfterMs =
        err instanceof S3CredentialsUnavailableError ? err.retryAfterMs : undefined
      if (retryAfterMs !== undefined && retryAfterMs > policy.maxDelayMs) {
        throw gaveUp(err, n, `server asked to wait ${Math.ceil(retryAfterMs / 1000)} s`)
      }
      const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (n - 1))
      await policy.sleep(Math.max(policy.random() * cap, retryAfterMs ?? 0))
    }
  }
}
