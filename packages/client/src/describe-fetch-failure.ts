import { S3CredentialsTimeoutError, S3CredentialsUnavailableError } from './errors.js'

/**
 * Turns what `fetch` threw (a timeout from `AbortSignal.timeout`, or undici's
 * `TypeError('fetch failed')` with a system error as `cause`) into a retryable typed error.
 * Only the system error code (e.g. ECONNREFUSED) or undici's short reason is quoted.
 */
export function describeFetchFailure(
  err: unknown,
  what: string,
  timeoutMs: number,
): S3CredentialsTimeoutError | S3CredentialsUnavailableError {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
    return new S3CredentialsTimeoutError(`${what} did not answer within ${timeoutMs} ms`, {
      cause: err,
    })
  }
  const cause = err instanceof Error ? (err.cause as { code?: unknown } | undefined) : undefined
  // undici puts the system error (ECONNREFUSED, ENOTFOUND…) or its own reason ("bad port") in cause.
  const reason =
    typeof cause?.code === 'string'
      ? cause.code
      : cause instanceof Error
        ? cause.message.slice(0, 100)
        : undefined
  return new S3CredentialsUnavailableError(
    `${what} could not be reached${reason ? `: ${reason}` : ''}`,
    { cause: err },
  )
}
