import { describe, expect, it } from 'vitest'
import { readJwtClaims } from './read-jwt-claims.js'

const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url')
const jwt = (payload: unknown): string =>
  `${b64({ typ: 'JWT', origin: 'Earthdata Login', sig: 'edljwtpubkey_development', alg: 'RS256' })}.${b64(payload)}.c2ln`

describe('readJwtClaims', () => {
  it('reads exp (seconds → ms) and uid from an EDL-style token', () => {
    const token = jwt({
      type: 'User',
      client_id: 'x',
      exp: 1767225600,
      iat: 1,
      iss: 'Earthdata Login',
      uid: 'alice',
    })
    expect(readJwtClaims(token)).toEqual({ expiresAt: 1767225600000, uid: 'alice' })
  })

  it('leaves out claims of the wrong type', () => {
    expect(readJwtClaims(jwt({ exp: '1767225600', uid: 7 }))).toEqual({
      expiresAt: undefined,
      uid: undefined,
    })
    expect(readJwtClaims(jwt({ uid: '' }))).toEqual({ expiresAt: undefined, uid: undefined })
  })

  it.each([
    'EDL-U1234567890abcdef',
    'a.b',
    'a.b.c.d',
    `x.${Buffer.from('not json').toString('base64url')}.y`,
    `x.${b64(null)}.y`,
    'x.!!!.y',
    '',
  ])('returns undefined for a non-JWT %j', (token) => {
    expect(readJwtClaims(token)).toBeUndefined()
  })
})
