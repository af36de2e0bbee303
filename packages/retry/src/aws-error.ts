/**
 * What went wrong in an AWS SDK v3 call (or an S3-compatible server's answer), read from the
 * error's names and HTTP status. Each package maps the kind to its own errors: the egress
 * service to a 503 with Retry-After or a 502, transfer to "try this step again" or a final error.
 */
export type AwsErrorKind =
  /** 429, or a throttling code (SlowDown, Throttling, TooManyRequests, ...). */
  | 'throttling'
  /** 503, or ServiceUnavailable. */
  | 'unavailable'
  /** Another 5xx (InternalError, InternalFailure, 500, 502, ...). */
  | 'server-error'
  /** No usable answer: refused, reset or dropped connection, DNS failure, timeout. */
  | 'network'
  /** The caller's temporary credentials lapsed; fresh ones may succeed. */
  | 'expired-credentials'
  /** The body was damaged on the way (Content-MD5 mismatch). */
  | 'damaged-in-transit'
  /** Any other 4xx: the request itself was refused. */
  | 'rejected'
  /** Nothing recognisable: no status and no known code. */
  | 'unknown'

export interface AwsErrorClass {
  readonly kind: AwsErrorKind
  /** Worth another attempt: every kind but `rejected` and `unknown`, or the SDK's `$retryable`. */
  readonly retryable: boolean
  /** HTTP status of the service's answer, when there was one. */
  readonly status: number | undefined
  /**
   * The error's codes (`name`, `Code`, `code`, `errno`), also without the `Exception` suffix
   * the SDK adds to some, then those of its causes and of an AggregateError's errors.
   */
  readonly names: readonly string[]
}

/** Socket-level and timeout failures from Node, undici and the SDK: one list for every package. */
export const NETWORK_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  // A response body cut short.
  'ERR_STREAM_PREMATURE_CLOSE',
  'UND_ERR_SOCKET',
  // The SDK's request timeout, and S3's "your socket was idle too long".
  'TimeoutError',
  'RequestTimeout',
])

// Codes are compared without the SDK's `Exception` suffix.
const THROTTLING = new Set([
  'Throttling',
  'Throttled',
  'TooManyRequests',
  'RequestLimitExceeded',
  'SlowDown',
])
const UNAVAILABLE = new Set(['ServiceUnavailable'])
const SERVER_ERROR = new Set(['InternalError', 'InternalFailure'])
const EXPIRED_CREDENTIALS = new Set([
  'ExpiredToken',
  'TokenRefreshRequired',
  'RequestExpired',
  // The SDK corrects its clock offset from the failed answer, so the next signature is valid.
  'RequestTimeTooSkewed',
])
const DAMAGED = new Set(['BadDigest'])

/** HTTP status of an SDK service error (`$metadata.httpStatusCode`), if it has one. */
export function httpStatusOf(err: unknown): number | undefined {
  const meta = field(err, '$metadata')
  const status = field(meta, 'httpStatusCode')
  return typeof status === 'number' ? status : undefined
}

/** The error's own code (`AccessDenied`, `SlowDown`, `ECONNRESET`), if it has a meaningful one. */
export function errorCodeOf(err: unknown): string | undefined {
  for (const key of ['Code', 'code', 'name']) {
    const v = field(err, key)
    if (typeof v === 'string' && v !== '' && v !== 'Error' && v !== 'Unknown') return v
  }
  return undefined
}

/**
 * Classifies what an AWS SDK call threw. RGW answers some errors S3-style, which the SDK reports
 * as `name: "Unknown"`, so the HTTP status is the fallback signal.
 */
export function classifyAwsError(err: unknown): AwsErrorClass {
  const names = errorNames(err)
  const status = httpStatusOf(err)
  const kind = kindOf(names, status)
  const sdkRetryable = field(err, '$retryable') !== undefined
  return {
    kind,
    retryable: sdkRetryable || (kind !== 'rejected' && kind !== 'unknown'),
    status,
    names,
  }
}

function kindOf(names: readonly string[], status: number | undefined): AwsErrorKind {
  const has = (set: ReadonlySet<string>): boolean => names.some((n) => set.has(n))
  if (has(THROTTLING) || status === 429) return 'throttling'
  if (has(UNAVAILABLE) || status === 503) return 'unavailable'
  if (has(SERVER_ERROR) || (status !== undefined && status >= 500)) return 'server-error'
  if (has(NETWORK_ERROR_CODES)) return 'network'
  if (has(EXPIRED_CREDENTIALS)) return 'expired-credentials'
  if (has(DAMAGED)) return 'damaged-in-transit'
  if (status !== undefined && status >= 400) return 'rejected'
  return 'unknown'
}

function errorNames(err: unknown, depth = 0, seen = new Set<unknown>()): string[] {
  if (typeof err !== 'object' || err === null || depth > 3 || seen.has(err)) return []
  seen.add(err)
  const out: string[] = []
  for (const key of ['name', 'Code', 'code', 'errno']) {
    const v = field(err, key)
    if (typeof v === 'string' && v !== '') {
      out.push(v)
      if (v.endsWith('Exception')) out.push(v.slice(0, -'Exception'.length))
    }
  }
  // Node wraps some connect failures (several addresses tried) in an AggregateError.
  const nested = field(err, 'errors')
  if (Array.isArray(nested)) for (const e of nested) out.push(...errorNames(e, depth + 1, seen))
  // Node reports a response cut mid-body as Error('aborted') with code ECONNRESET, and the SDK
  // and undici wrap such errors, so the causes count too.
  out.push(...errorNames(field(err, 'cause'), depth + 1, seen))
  return out
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)[key]
    : undefined
}
