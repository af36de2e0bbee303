import { AppError, UpstreamFailedError, UpstreamThrottledError } from '../errors.js'
import { PolicyTooLargeError } from '../bucket-map/policy-too-large.js'
import { InvalidAppNameError, StsAccessDeniedError } from './credential-errors.js'

/** Retry-After (seconds) when STS throttles us or answers 503. */
export const THROTTLED_RETRY_AFTER_S = 2
/** Retry-After (seconds) when STS cannot be reached at all (refused, reset, timed out). */
export const UNREACHABLE_RETRY_AFTER_S = 5

const ROLE = 'EGRESS_APP_DOWNLOAD_ROLE_INREGION_ARN'

const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequests',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'SlowDown',
])
// STS's own 5xx (InternalFailure) are transient, as AWS documents: the caller should retry.
const UNAVAILABLE = new Set([
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalFailure',
  'InternalError',
])
const NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
])
const OWN_CREDENTIALS = new Set([
  'ExpiredToken',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'UnrecognizedClient',
  'MissingAuthenticationToken',
  'IncompleteSignature',
  'CredentialsProviderError',
])

/**
 * Maps anything an STS `AssumeRole` call throws to one AppError, once. Throttling and an
 * unreachable or failing (5xx) STS are 503 with Retry-After; a refused or unknown role is 502
 * ERR_STS_ACCESS_DENIED with a message that tells an operator what to check. The body never
 * carries STS's text; the original error is the `cause`, for the log.
 *
 * RGW answers STS errors S3-style, which the SDK reports as `name: "Unknown"`, so the HTTP
 * status is the fallback signal (403, 404, 400, 429, 503).
 */
export function mapStsError(
  err: unknown,
  request: { readonly sessionName?: string } = {},
): AppError {
  if (err instanceof AppError) return err
  const names = errorNames(err)
  const status = httpStatus(err)
  const has = (set: ReadonlySet<string>): boolean => names.some((n) => set.has(n))
  const cause = { cause: err }

  if (has(THROTTLING) || status === 429) {
    return new UpstreamThrottledError(
      `STS is throttling AssumeRole; retry after ${THROTTLED_RETRY_AFTER_S} s`,
      THROTTLED_RETRY_AFTER_S,
      cause,
    )
  }
  if (has(UNAVAILABLE) || (status !== undefined && status >= 500)) {
    return new UpstreamThrottledError(
      `STS is unavailable; retry after ${THROTTLED_RETRY_AFTER_S} s`,
      THROTTLED_RETRY_AFTER_S,
      cause,
    )
  }
  if (has(NETWORK)) {
    return new UpstreamThrottledError(
      `STS could not be reached; retry after ${UNREACHABLE_RETRY_AFTER_S} s`,
      UNREACHABLE_RETRY_AFTER_S,
      cause,
    )
  }
  if (names.includes('PackedPolicyTooLarge')) {
    return new PolicyTooLargeError(
      'the session policy for your groups is too large for STS; an operator must simplify the bucket map',
      cause,
    )
  }
  if (names.includes('RegionDisabled')) {
    return new UpstreamFailedError('STS is not activated in the configured region', cause)
  }
  if (has(OWN_CREDENTIALS)) {
    return new StsAccessDeniedError(
      "STS rejected the egress service's own AWS credentials: check the service's credential chain",
      cause,
    )
  }
  if (names.includes('NoSuchEntity') || status === 404) {
    return new StsAccessDeniedError(
      `${ROLE} names a role that does not exist: check the ARN`,
      cause,
    )
  }
  if (names.includes('AccessDenied') || status === 403) {
    return new StsAccessDeniedError(
      `the egress service cannot assume ${ROLE}: check the role's trust policy (it must allow ` +
        "sts:AssumeRole by the service's role with ExternalId = the EDL user id)",
      cause,
    )
  }
  if (refusedSessionName(err, status, request.sessionName)) {
    return new InvalidAppNameError(
      `STS refused the role session name "${request.sessionName ?? ''}": this STS does not ` +
        'accept every character of the app-name header (radosgw refuses "+"); use letters, ' +
        'digits and . _ - only',
      cause,
    )
  }
  if (status !== undefined && status >= 400 && status < 500) {
    return new UpstreamFailedError(
      `STS rejected AssumeRole: check that S3_CREDENTIALS_DURATION_SECONDS is within the ` +
        `maximum session duration of ${ROLE}, and the bucket map's session policy`,
      cause,
    )
  }
  return new UpstreamFailedError('STS AssumeRole failed', cause)
}

/**
 * AWS names the parameter in its ValidationError text; radosgw answers a bare 400, and of the
 * STS alphabet it is known to refuse only `+`.
 */
function refusedSessionName(
  err: unknown,
  status: number | undefined,
  sessionName: string | undefined,
): boolean {
  if (status !== 400 || sessionName === undefined) return false
  const message = err instanceof Error ? err.message : ''
  return /rolesessionname/i.test(message) || sessionName.includes('+')
}

/** Candidate error names, with any `Exception` suffix removed (the SDK adds it to some). */
function errorNames(err: unknown, depth = 0): string[] {
  if (typeof err !== 'object' || err === null || depth > 3) return []
  const out: string[] = []
  for (const key of ['name', 'Code', 'code', 'errno'] as const) {
    const v: unknown = (err as Record<string, unknown>)[key]
    if (typeof v === 'string' && v !== '') out.push(v, v.replace(/Exception$/, ''))
  }
  // Node wraps some connect failures (several addresses tried) in an AggregateError.
  const nested: unknown = (err as Record<string, unknown>)['errors']
  if (Array.isArray(nested)) for (const e of nested) out.push(...errorNames(e, depth + 1))
  const cause: unknown = (err as Record<string, unknown>)['cause']
  out.push(...errorNames(cause, depth + 1))
  return out
}

function httpStatus(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined
  const meta: unknown = (err as Record<string, unknown>)['$metadata']
  if (typeof meta !== 'object' || meta === null) return undefined
  const s: unknown = (meta as Record<string, unknown>)['httpStatusCode']
  return typeof s === 'number' ? s : undefined
}
