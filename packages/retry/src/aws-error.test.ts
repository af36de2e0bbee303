import { describe, expect, it } from 'vitest'
import { classifyAwsError, errorCodeOf, httpStatusOf } from './aws-error.js'
import type { AwsErrorKind } from './aws-error.js'

function sdkError(name: string, status?: number, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error('UnknownError'), {
    name,
    ...(status === undefined ? {} : { $metadata: { httpStatusCode: status } }),
    ...extra,
  })
}

function netError(code: string): Error {
  return Object.assign(new Error(code === 'ECONNRESET' ? 'aborted' : code), { code })
}

describe('classifyAwsError', () => {
  it.each<[string, unknown, AwsErrorKind, boolean]>([
    ['SlowDown 503', sdkError('SlowDown', 503), 'throttling', true],
    ['ThrottlingException 400', sdkError('ThrottlingException', 400), 'throttling', true],
    ['ThrottledException', sdkError('ThrottledException'), 'throttling', true],
    ['HTTP 429, name Unknown', sdkError('Unknown', 429), 'throttling', true],
    [
      'ServiceUnavailableException 500',
      sdkError('ServiceUnavailableException', 500),
      'unavailable',
      true,
    ],
    ['HTTP 503, name Unknown', sdkError('Unknown', 503), 'unavailable', true],
    ['InternalError 500', sdkError('InternalError', 500), 'server-error', true],
    ['HTTP 502', sdkError('Unknown', 502), 'server-error', true],
    ['ECONNRESET', netError('ECONNRESET'), 'network', true],
    ['ENOTFOUND', netError('ENOTFOUND'), 'network', true],
    ['SDK TimeoutError', sdkError('TimeoutError'), 'network', true],
    ['RequestTimeout 400', sdkError('RequestTimeout', 400), 'network', true],
    ['RequestTimeoutException', sdkError('RequestTimeoutException', 400), 'network', true],
    ['premature close', netError('ERR_STREAM_PREMATURE_CLOSE'), 'network', true],
    ['wrapped in cause', new Error('outer', { cause: netError('ECONNRESET') }), 'network', true],
    ['AggregateError', new AggregateError([netError('ECONNREFUSED')], 'x'), 'network', true],
    ['ExpiredToken 400', sdkError('ExpiredToken', 400), 'expired-credentials', true],
    ['BadDigest 400', sdkError('BadDigest', 400), 'damaged-in-transit', true],
    ['AccessDenied 403', sdkError('AccessDenied', 403), 'rejected', false],
    ['NoSuchKey 404', sdkError('NoSuchKey', 404), 'rejected', false],
    ['PreconditionFailed 412', sdkError('PreconditionFailed', 412), 'rejected', false],
    ['SDK $retryable 400', sdkError('Odd', 400, { $retryable: {} }), 'rejected', true],
    ['AbortError', sdkError('AbortError'), 'unknown', false],
    ['a string', 'boom', 'unknown', false],
    ['null', null, 'unknown', false],
  ])('%s → %s (retryable %s)', (_case, err, kind, retryable) => {
    expect(classifyAwsError(err)).toMatchObject({ kind, retryable })
  })

  it('lists names with and without the Exception suffix, and survives a cause cycle', () => {
    const a: Error & { cause?: unknown } = sdkError('PackedPolicyTooLargeException', 400, {
      Code: 'PackedPolicyTooLarge',
    })
    a.cause = a
    const c = classifyAwsError(a)
    expect(c.names).toEqual([
      'PackedPolicyTooLargeException',
      'PackedPolicyTooLarge',
      'PackedPolicyTooLarge',
    ])
    expect(c.status).toBe(400)
  })
})

describe('httpStatusOf / errorCodeOf', () => {
  it('reads $metadata.httpStatusCode and the most specific code', () => {
    expect(httpStatusOf(sdkError('NoSuchKey', 404))).toBe(404)
    expect(httpStatusOf(new Error('x'))).toBeUndefined()
    expect(errorCodeOf(sdkError('Unknown', 403, { Code: 'AccessDenied' }))).toBe('AccessDenied')
    expect(errorCodeOf(netError('EPIPE'))).toBe('EPIPE')
    expect(errorCodeOf(new Error('plain'))).toBeUndefined()
    expect(errorCodeOf(null)).toBeUndefined()
  })
})
