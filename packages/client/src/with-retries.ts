import { retry } from '@tea-ts/retry'
import type { GiveUpReason, RetryPolicy } from '@tea-ts/retry'
import { S3CredentialsTimeoutError, S3CredentialsUnavailableError, isRetryable } from './errors.js'

export type { RetryPolicy } from '@tea-ts/retry'

/** Says why the retries ended in the message, keeping the code, status and Retry-After. */
function gaveUp(err: unknown, reason: GiveUpReason): unknown {
  const plural = reason.attempts === 1 ? '' : 's'
  const why =
    reason.kind === 'retry-after'
      ? `server asked to wait ${Math.ceil(reason.retryAfterMs / 1000)} s`
      : 'gave up'
  const suffix = ` (${why} after ${reason.attempts} attempt${plural})`
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
 * failed, waiting with full jitter but never less than the server's `Retry-After`; a
 * `Retry-After` longer than `maxDelayMs` ends the retries at once rather than stall a caller.
 */
export function withRetries<T>(
  attempt: (n: number) => Promise<T>,
  policy: RetryPolicy,
): Promise<T> {
  return retry(attempt, policy, {
    isRetryable,
    retryAfterMs: (err) =>
      err instanceof S3CredentialsUnavailableError ? err.retryAfterMs : undefined,
    onGiveUp: gaveUp,
  })
}
