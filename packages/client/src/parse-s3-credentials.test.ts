import { describe, expect, it } from 'vitest'
import { S3CredentialsResponseError } from './errors.js'
import { parseS3Credentials } from './parse-s3-credentials.js'

const SERVER_NOW = Date.parse('2021-01-26T23:50:09Z')
const body = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  sessionToken: 'FwoGZXIvYXdzEXAMPLETOKEN',
  expiration: '2021-01-27 00:50:09+00:00',
}

describe('parseS3Credentials', () => {
  it("parses TEA's body and keeps the server's lifetime on the local clock", () => {
    const creds = parseS3Credentials(body, { receivedAt: SERVER_NOW, serverDate: SERVER_NOW })
    expect(creds).toEqual({
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      sessionToken: 'FwoGZXIvYXdzEXAMPLETOKEN',
      expiresAt: Date.parse('2021-01-27T00:50:09Z'),
      ttlMs: 3_600_000,
    })
  })

  it('corrects a local clock that runs 10 minutes fast', () => {
    const localNow = SERVER_NOW + 600_000
    const creds = parseS3Credentials(body, { receivedAt: localNow, serverDate: SERVER_NOW })
    expect(creds.ttlMs).toBe(3_600_000)
    expect(creds.expiresAt).toBe(localNow + 3_600_000)
  })

  it('corrects a local clock that runs 2 hours slow (server expiry would look 3 h away)', () => {
    const localNow = SERVER_NOW - 7_200_000
    const creds = parseS3Credentials(body, { receivedAt: localNow, serverDate: SERVER_NOW })
    expect(creds.expiresAt).toBe(localNow + 3_600_000)
  })

  it('falls back to the local clock without a Date header', () => {
    const creds = parseS3Credentials(body, {
      receivedAt: SERVER_NOW + 60_000,
      serverDate: undefined,
    })
    expect(creds.ttlMs).toBe(3_540_000)
    expect(creds.expiresAt).toBe(Date.parse('2021-01-27T00:50:09Z'))
  })

  it('accepts ISO-8601 expirations and ignores extra fields', () => {
    const creds = parseS3Credentials(
      { ...body, expiration: '2021-01-27T00:50:09Z', accountId: '123' },
      { receivedAt: SERVER_NOW, serverDate: SERVER_NOW },
    )
    expect(creds.ttlMs).toBe(3_600_000)
    expect(Object.keys(creds)).toEqual([
      'accessKeyId',
      'secretAccessKey',
      'sessionToken',
      'expiresAt',
      'ttlMs',
    ])
  })

  const bad: [string, unknown, string][] = [
    ['null', null, 'not an object'],
    ['an array', [body], 'not an object'],
    ['a string', JSON.stringify(body), 'not an object'],
    ['missing accessKeyId', { ...body, accessKeyId: undefined }, '"accessKeyId" is missing'],
    ['numeric secret', { ...body, secretAccessKey: 42 }, '"secretAccessKey" is missing'],
    ['empty session token', { ...body, sessionToken: '' }, '"sessionToken" is empty'],
    [
      'AWS container shape',
      { AccessKeyId: 'a', SecretAccessKey: 'b', Token: 'c' },
      '"accessKeyId"',
    ],
    ['numeric expiration', { ...body, expiration: 1611708609 }, '"expiration" is missing'],
    ['zone-less expiration', { ...body, expiration: '2021-01-27 00:50:09' }, 'time zone'],
    ['expired', { ...body, expiration: '2021-01-26 23:50:09+00:00' }, 'not after'],
    ['a 13 h lifetime', { ...body, expiration: '2021-01-27 12:50:09+00:00' }, 'more than 12'],
  ]
  it.each(bad)('rejects %s', (_name, input, reason) => {
    let caught: unknown
    try {
      parseS3Credentials(input, { receivedAt: SERVER_NOW, serverDate: SERVER_NOW })
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(S3CredentialsResponseError)
    const err = caught as S3CredentialsResponseError
    expect(err.code).toBe('ERR_INVALID_RESPONSE')
    expect(err.message).toContain(reason)
    expect(err.message).toMatch(/^The credentials endpoint answered 200 but the body is not S3/)
    expect(err.message).not.toContain('wJalrXUtnFEMI')
    expect(err.message).not.toContain('FwoGZXIvYXdz')
  })
})
