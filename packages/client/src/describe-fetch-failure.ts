import { S3CredentialsTimeoutError, S3CredentialsUnavailableError } from './errors.js'

/**
 * Turns what `fetch` threw (a timeout from `AbortSignal.timeout`, or undici's
 * `TypeError('fetch failed')` with a system error as `cause`) into a retryable typed error.
 * Only the error code (e.g. ECONNREFUSED) is quoted, never a URL's query or a header.
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
  const code = typeof cause?.code === 'string' ? `: ${cause.code}` : ''
  return new S3CredentialsUnavailableError(`${what} could not be reached${code}`, { cause: err })
}
