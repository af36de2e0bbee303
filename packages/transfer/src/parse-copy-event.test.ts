import { describe, expect, it } from 'vitest'
import { InvalidEventError } from './errors.js'
import { parseCopyEvent } from './parse-copy-event.js'

const valid = {
  CredentialsEndpoint: 'https://data.example.org/s3credentials',
  BearerToken: 'secret-token-value',
  Source: { Bucket: 'src', Key: 'a/b.h5' },
  Dest: { Bucket: 'dst' },
}
const expected =
  'Expected {"CredentialsEndpoint", "BearerToken", "Source": {"Bucket", "Key"}, "Dest": {"Bucket", "Key"?}}'

function problem(event: unknown): string {
  try {
    parseCopyEvent(event)
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidEventError)
    expect(err).toMatchObject({ code: 'ERR_INVALID_EVENT' })
    const message = (err as Error).message
    expect(message).not.toContain('secret-token-value')
    return message
  }
  throw new Error('expected the event to be refused')
}

describe('parseCopyEvent', () => {
  it('accepts the seed event, with and without Dest.Key', () => {
    expect(parseCopyEvent(valid)).toEqual(valid)
    const withKey = { ...valid, Dest: { Bucket: 'dst', Key: 'c.h5' } }
    expect(parseCopyEvent(withKey)).toEqual(withKey)
  })

  it.each([
    [null, 'the event must be a JSON object'],
    ['{}', 'the event must be a JSON object'],
    [[], 'the event must be a JSON object'],
    [
      {},
      'CredentialsEndpoint is missing; BearerToken is missing; Source is missing; Dest is missing',
    ],
    [{ ...valid, BearerToken: '' }, 'BearerToken must be a non-empty string'],
    [{ ...valid, BearerToken: 'secret-token-value x' }, 'BearerToken must not contain whitespace'],
    [{ ...valid, Source: { Bucket: 'src' } }, 'Source.Key is missing'],
    [{ ...valid, Source: 'src/key' }, 'Source must be an object'],
    [{ ...valid, Dest: { Bucket: 3 } }, 'Dest.Bucket must be a non-empty string'],
    [{ ...valid, Dest: { Bucket: 'dst', key: 'x' } }, 'Dest.key is not allowed'],
    [{ ...valid, Destination: {} }, 'Destination is not allowed'],
  ])('refuses %j: %s', (event, message) => {
    expect(problem(event)).toBe(`Invalid event: ${message}. ${expected}`)
  })
})
