import { classifyAwsError } from '@tea-ts/retry'
import { AppError, UpstreamFailedError, UpstreamThrottledError } from '../errors.js'
import { PolicyTooLargeError } from '../bucket-map/policy-too-large.js'
import { InvalidAppNameError, StsAccessDeniedError } from './credential-errors.js'

/** Retry-After (seconds) when STS throttles us or answers 503. */
export const THROTTLED_RETRY_AFTER_S = 2
/** Retry-After (seconds) when STS cannot be reached at all (refused, reset, timed out). */
export const UNREACHABLE_RETRY_AFTER_S = 5

const ROLE = 'EGRESS_APP_DOWNLOAD_ROLE_INREGION_ARN'

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
  const { kind, names, status } = classifyAwsError(err)
  const cause = { cause: err }

  if (kind === 'throttling') {
    return new UpstreamThrottledError(
      `STS is throttling AssumeRole; retry after ${THROTTLED_RETRY_AFTER_S} s`,
      THROTTLED_RETRY_AFTER_S,
      cause,
    )
  }
  // STS's own 5xx (InternalFailure) are transient, as AWS documents: the caller should retry.
  if (kind === 'unavailable' || kind === 'server-error') {
    return new UpstreamThrottledError(
      `STS is unavailable; retry after ${THROTTLED_RETRY_AFTER_S} s`,
      THROTTLED_RETRY_AFTER_S,
      cause,
    )
  }
  if (kind === 'network') {
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
  if (names.some((n) => OWN_CREDENTIALS.has(n))) {
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
