import { classifyAwsError } from '@tea-ts/retry'

export { errorCodeOf, httpStatusOf } from '@tea-ts/retry'

/**
 * Whether a failed S3 step should be tried again: 5xx, 429, throttling, expired tokens (the next
 * attempt asks the credential provider again), BadDigest, timeouts, dropped connections (also
 * mid-body), and errors marked retryable by the SDK or by us (`retryable: true`). Other 4xx
 * such as 403, 404 and 412 are final.
 */
export function isRetryable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false
  if ((err as { retryable?: unknown }).retryable === true) return true
  return classifyAwsError(err).retryable
}
