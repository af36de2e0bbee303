/** S3 error codes worth another attempt: throttling, server trouble, expired tokens, bad transit. */
const RETRYABLE_CODES = new Set([
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestTimeout',
  'RequestTimeTooSkewed',
  'InternalError',
  'ServiceUnavailable',
  // Temporary credentials that lapsed: the next attempt asks the provider again.
  'ExpiredToken',
  'ExpiredTokenException',
  'TokenRefreshRequired',
  'RequestExpired',
  // Content-MD5 did not match what the server received: the bytes were damaged on the way.
  'BadDigest',
  'TimeoutError',
])

/** Socket-level failures: the connection was refused, reset or dropped mid-body. */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ERR_STREAM_PREMATURE_CLOSE',
  'UND_ERR_SOCKET',
])

interface ErrorLike {
  readonly name?: unknown
  readonly code?: unknown
  readonly Code?: unknown
  readonly $retryable?: unknown
  readonly $metadata?: { readonly httpStatusCode?: unknown }
}

/** HTTP status of an SDK service error, if it has one. */
export function httpStatusOf(err: unknown): number | undefined {
  const status = (err as ErrorLike | null)?.$metadata?.httpStatusCode
  return typeof status === 'number' ? status : undefined
}

/** The S3 error code (`AccessDenied`, `SlowDown`) or Node error code (`ECONNRESET`), if any. */
export function errorCodeOf(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined
  const e = err as ErrorLike
  for (const v of [e.Code, e.code, e.name]) {
    if (typeof v === 'string' && v !== '' && v !== 'Error' && v !== 'Unknown') return v
  }
  return undefined
}

/**
 * Whether a failed S3 step should be tried again: 5xx, 429, throttling, expired tokens,
 * BadDigest, timeouts, dropped connections (also mid-body), and errors marked retryable by
 * the SDK or by us (`retryable: true`). 4xx such as 403, 404 and 412 are final.
 */
export function isRetryable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false
  const e = err as ErrorLike & { retryable?: unknown; cause?: unknown }
  if (e.retryable === true || e.$retryable !== undefined) return true
  const status = httpStatusOf(err)
  if (status !== undefined && (status >= 500 || status === 429)) return true
  for (const v of [e.Code, e.code, e.name]) {
    if (typeof v === 'string' && (RETRYABLE_CODES.has(v) || NETWORK_CODES.has(v))) return true
  }
  // Node reports a response cut mid-body as Error('aborted') with code ECONNRESET; some
  // layers wrap it, so look one level into `cause` too.
  return status === undefined && e.cause !== undefined && e.cause !== err && isRetryable(e.cause)
}
