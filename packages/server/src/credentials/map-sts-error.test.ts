import { describe, expect, it } from 'vitest'
import { AppError, BadRequestError, UpstreamThrottledError } from '../errors.js'
import { mapStsError } from './map-sts-error.js'

/** An SDK-like service error: what `@aws-sdk/client-sts` throws. */
function sdkError(name: string, status?: number, extra: Record<string, unknown> = {}): Error {
  const err = new Error(`STS says: ${name} (secret detail)`)
  err.name = name
  return Object.assign(
    err,
    status === undefined ? {} : { $metadata: { httpStatusCode: status } },
    extra,
  )
}

function netError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { code })
}

const ROLE = 'EGRESS_APP_DOWNLOAD_ROLE_INREGION_ARN'
const DENIED = `the egress service cannot assume ${ROLE}: check the role's trust policy (it must allow sts:AssumeRole by the service's role with ExternalId = the EDL user id)`
const NO_ROLE = `${ROLE} names a role that does not exist: check the ARN`
const OWN_CREDS =
  "STS rejected the egress service's own AWS credentials: check the service's credential chain"
const REJECTED = `STS rejected AssumeRole: check that S3_CREDENTIALS_DURATION_SECONDS is within the maximum session duration of ${ROLE}, and the bucket map's session policy`
const THROTTLED = 'STS is throttling AssumeRole; retry after 2 s'
const UNAVAILABLE = 'STS is unavailable; retry after 2 s'
const UNREACHABLE = 'STS could not be reached; retry after 5 s'
const TOO_LARGE =
  'the session policy for your groups is too large for STS; an operator must simplify the bucket map'

describe('mapStsError', () => {
  it.each([
    // [case, error, status, code, message, retry-after]
    [
      'AWS Throttling (400)',
      sdkError('Throttling', 400, { Code: 'Throttling' }),
      503,
      'ERR_UPSTREAM_THROTTLED',
      THROTTLED,
      '2',
    ],
    [
      'ThrottlingException',
      sdkError('ThrottlingException', 400),
      503,
      'ERR_UPSTREAM_THROTTLED',
      THROTTLED,
      '2',
    ],
    [
      'TooManyRequestsException',
      sdkError('TooManyRequestsException', 400),
      503,
      'ERR_UPSTREAM_THROTTLED',
      THROTTLED,
      '2',
    ],
    ['SlowDown', sdkError('SlowDown', 503), 503, 'ERR_UPSTREAM_THROTTLED', THROTTLED, '2'],
    [
      'RequestLimitExceeded',
      sdkError('RequestLimitExceeded', 400),
      503,
      'ERR_UPSTREAM_THROTTLED',
      THROTTLED,
      '2',
    ],
    [
      'HTTP 429, unknown name',
      sdkError('Unknown', 429),
      503,
      'ERR_UPSTREAM_THROTTLED',
      THROTTLED,
      '2',
    ],
    [
      'HTTP 503, unknown name',
      sdkError('Unknown', 503),
      503,
      'ERR_UPSTREAM_THROTTLED',
      UNAVAILABLE,
      '2',
    ],
    [
      'ServiceUnavailable',
      sdkError('ServiceUnavailable', 500),
      503,
      'ERR_UPSTREAM_THROTTLED',
      UNAVAILABLE,
      '2',
    ],
    ['ECONNREFUSED', netError('ECONNREFUSED'), 503, 'ERR_UPSTREAM_THROTTLED', UNREACHABLE, '5'],
    ['ECONNRESET', netError('ECONNRESET'), 503, 'ERR_UPSTREAM_THROTTLED', UNREACHABLE, '5'],
    ['ETIMEDOUT', netError('ETIMEDOUT'), 503, 'ERR_UPSTREAM_THROTTLED', UNREACHABLE, '5'],
    ['ENOTFOUND', netError('ENOTFOUND'), 503, 'ERR_UPSTREAM_THROTTLED', UNREACHABLE, '5'],
    ['SDK TimeoutError', sdkError('TimeoutError'), 503, 'ERR_UPSTREAM_THROTTLED', UNREACHABLE, '5'],
    [
      'AggregateError of refusals',
      new AggregateError([netError('ECONNREFUSED')], 'x'),
      503,
      'ERR_UPSTREAM_THROTTLED',
      UNREACHABLE,
      '5',
    ],
    [
      'wrapped in cause',
      new Error('outer', { cause: netError('ECONNRESET') }),
      503,
      'ERR_UPSTREAM_THROTTLED',
      UNREACHABLE,
      '5',
    ],
    [
      'PackedPolicyTooLargeException',
      sdkError('PackedPolicyTooLargeException', 400, { Code: 'PackedPolicyTooLarge' }),
      500,
      'ERR_POLICY_TOO_LARGE',
      TOO_LARGE,
      undefined,
    ],
    [
      'AWS AccessDenied',
      sdkError('AccessDenied', 403),
      502,
      'ERR_STS_ACCESS_DENIED',
      DENIED,
      undefined,
    ],
    [
      'RGW 403 (name Unknown)',
      sdkError('Unknown', 403),
      502,
      'ERR_STS_ACCESS_DENIED',
      DENIED,
      undefined,
    ],
    [
      'RGW 404 NoSuchEntity (name NotFound)',
      sdkError('NotFound', 404),
      502,
      'ERR_STS_ACCESS_DENIED',
      NO_ROLE,
      undefined,
    ],
    [
      'NoSuchEntity',
      sdkError('NoSuchEntity', 404),
      502,
      'ERR_STS_ACCESS_DENIED',
      NO_ROLE,
      undefined,
    ],
    [
      'ExpiredTokenException',
      sdkError('ExpiredTokenException', 400),
      502,
      'ERR_STS_ACCESS_DENIED',
      OWN_CREDS,
      undefined,
    ],
    [
      'InvalidClientTokenId',
      sdkError('InvalidClientTokenId', 403),
      502,
      'ERR_STS_ACCESS_DENIED',
      OWN_CREDS,
      undefined,
    ],
    [
      'SignatureDoesNotMatch',
      sdkError('SignatureDoesNotMatch', 403),
      502,
      'ERR_STS_ACCESS_DENIED',
      OWN_CREDS,
      undefined,
    ],
    [
      'no credentials in the chain',
      sdkError('CredentialsProviderError'),
      502,
      'ERR_STS_ACCESS_DENIED',
      OWN_CREDS,
      undefined,
    ],
    [
      'RGW 400 InvalidArgument (name Unknown)',
      sdkError('Unknown', 400),
      502,
      'ERR_UPSTREAM_FAILED',
      REJECTED,
      undefined,
    ],
    [
      'ValidationError',
      sdkError('ValidationError', 400),
      502,
      'ERR_UPSTREAM_FAILED',
      REJECTED,
      undefined,
    ],
    [
      'MalformedPolicyDocumentException',
      sdkError('MalformedPolicyDocumentException', 400),
      502,
      'ERR_UPSTREAM_FAILED',
      REJECTED,
      undefined,
    ],
    [
      'RegionDisabledException',
      sdkError('RegionDisabledException', 403),
      502,
      'ERR_UPSTREAM_FAILED',
      'STS is not activated in the configured region',
      undefined,
    ],
    [
      'HTTP 500 InternalFailure',
      sdkError('InternalFailure', 500),
      503,
      'ERR_UPSTREAM_THROTTLED',
      UNAVAILABLE,
      '2',
    ],
    [
      'HTTP 502, unknown name',
      sdkError('Unknown', 502),
      503,
      'ERR_UPSTREAM_THROTTLED',
      UNAVAILABLE,
      '2',
    ],
    ['a string', 'boom', 502, 'ERR_UPSTREAM_FAILED', 'STS AssumeRole failed', undefined],
    ['null', null, 502, 'ERR_UPSTREAM_FAILED', 'STS AssumeRole failed', undefined],
  ] as const)('%s → %i %s', (_case, err, statusCode, code, message, retryAfter) => {
    const mapped = mapStsError(err)
    expect(mapped).toBeInstanceOf(AppError)
    expect({ statusCode: mapped.statusCode, code: mapped.code, message: mapped.message }).toEqual({
      statusCode,
      code,
      message,
    })
    expect(mapped.headers['retry-after']).toBe(retryAfter)
    expect(mapped.cause).toBe(err)
    expect(mapped.message).not.toContain('secret detail')
    if (statusCode === 503) expect(mapped).toBeInstanceOf(UpstreamThrottledError)
  })

  it('passes an AppError through unchanged', () => {
    const e = new BadRequestError('x')
    expect(mapStsError(e)).toBe(e)
  })

  it('survives a cause cycle', () => {
    const a = new Error('a') as Error & { cause?: unknown }
    const b = new Error('b', { cause: a })
    a.cause = b
    expect(mapStsError(a).code).toBe('ERR_UPSTREAM_FAILED')
  })
})

describe('mapStsError: a refused role session name', () => {
  const NAME = (name: string) =>
    `STS refused the role session name "${name}": this STS does not accept every character of ` +
    'the app-name header (radosgw refuses "+"); use letters, digits and . _ - only'

  it('radosgw: a bare 400 for a name with "+" is about the session name (400), not the duration', () => {
    const err = mapStsError(sdkError('Unknown', 400), { sessionName: 'alice@my+app' })
    expect(err).toMatchObject({
      statusCode: 400,
      code: 'ERR_INVALID_APP_NAME',
      message: NAME('alice@my+app'),
    })
  })

  it('AWS: a ValidationError naming roleSessionName', () => {
    const aws = Object.assign(sdkError('ValidationError', 400), {
      message:
        "1 validation error detected: Value at 'roleSessionName' failed to satisfy constraint",
    })
    expect(mapStsError(aws, { sessionName: 'alice@x' })).toMatchObject({
      code: 'ERR_INVALID_APP_NAME',
      message: NAME('alice@x'),
    })
  })

  it('any other 400 keeps the duration message', () => {
    expect(mapStsError(sdkError('Unknown', 400), { sessionName: 'alice@app' }).message).toBe(
      REJECTED,
    )
  })
})
