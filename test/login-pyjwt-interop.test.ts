import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { createSessionCodec } from '@tea-ts/server'
import type { UserProfile } from '@tea-ts/server'

/**
 * Cookies cross between TEA and us: PyJWT (what rain-api-core's JwtManager uses) verifies what
 * we mint and mints what we verify, with TEA-style keys (PKCS#1 private, OpenSSH public).
 * Uses Debian's python3-jwt; skipped where it is not installed.
 */

const PYTHON = '/usr/bin/python3'
const hasPyJwt =
  existsSync(PYTHON) &&
  (() => {
    try {
      execFileSync(PYTHON, ['-c', 'import jwt, cryptography'], { stdio: 'ignore' })
      return true
    } catch {
      return false
    }
  })()
const keyPath = (name: string) => new URL(`fixtures/keys/${name}`, import.meta.url).pathname
const key = (name: string) => readFileSync(keyPath(name), 'utf8')

/** Runs rain-api-core's calls (`jwt.decode` / `jwt.encode`) in PyJWT and returns stdout. */
function python(script: string, input: Record<string, unknown>): string {
  return execFileSync(PYTHON, ['-c', script], { input: JSON.stringify(input), encoding: 'utf8' })
}
const DECODE = `
import json, sys, jwt
a = json.load(sys.stdin)
print(json.dumps(jwt.decode(a["token"].encode(), a["key"], [a["alg"]]), sort_keys=True))
`
const ENCODE = `
import json, sys, jwt
a = json.load(sys.stdin)
print(jwt.encode(a["payload"], a["key"], a["alg"]))
`

const user: UserProfile = {
  userId: 'jdoe',
  firstName: 'Jane',
  lastName: 'Doe',
  email: 'jane@example.com',
  groups: [{ client_id: 'tea-client', name: 'science', group_id: 'g1' }],
  accessToken: 'edl-token',
}

describe.skipIf(!hasPyJwt)('session cookies interoperate with TEA (PyJWT)', () => {
  it.each(['tea-rsa.pub', 'tea-rsa.spki.pem'])(
    'PyJWT verifies our RS256 cookie with the %s public key',
    async (pub) => {
      const codec = createSessionCodec({
        algorithm: 'RS256',
        privateKey: key('tea-rsa'),
        publicKey: key(pub),
        ttlSeconds: 3600,
      })
      const { token, expiresAt } = await codec.mint(user)
      const claims = JSON.parse(python(DECODE, { token, key: key(pub), alg: 'RS256' })) as Record<
        string,
        unknown
      >
      expect(claims).toEqual({
        'urs-user-id': 'jdoe',
        first_name: 'Jane',
        last_name: 'Doe',
        email: 'jane@example.com',
        'urs-access-token': 'edl-token',
        'urs-groups': [{ client_id: 'tea-client', name: 'science', group_id: 'g1' }],
        iat: expiresAt - 3600,
        exp: expiresAt,
      })
    },
  )

  it('we verify a cookie PyJWT minted, and PyJWT refuses one signed by another key', async () => {
    const now = Math.floor(Date.now() / 1000)
    const payload = {
      'urs-user-id': 'teauser',
      'urs-access-token': 't',
      'urs-groups': [],
      first_name: 'T',
      last_name: 'U',
      email: 'e',
      iat: now,
      exp: now + 60,
    }
    const token = python(ENCODE, { payload, key: key('tea-rsa'), alg: 'RS256' }).trim()
    const codec = createSessionCodec({
      algorithm: 'RS256',
      privateKey: key('tea-rsa'),
      publicKey: key('tea-rsa.pub'),
      ttlSeconds: 3600,
    })
    expect((await codec.verify(token))?.user.userId).toBe('teauser')

    const other = createSessionCodec({
      algorithm: 'RS256',
      privateKey: key('other-rsa'),
      publicKey: key('other-rsa.pub'),
      ttlSeconds: 3600,
    })
    const foreign = (await other.mint(user)).token
    expect(() =>
      execFileSync(PYTHON, ['-c', DECODE], {
        input: JSON.stringify({ token: foreign, key: key('tea-rsa.pub'), alg: 'RS256' }),
        stdio: 'pipe',
      }),
    ).toThrow(/InvalidSignatureError/)
  })

  it('HS256 cookies cross both ways with the same secret', async () => {
    const secret = 'a-shared-hmac-secret-of-at-least-32-bytes!'
    const codec = createSessionCodec({
      algorithm: 'HS256',
      privateKey: secret,
      publicKey: secret,
      ttlSeconds: 3600,
    })
    const ours = (await codec.mint(user)).token
    expect(JSON.parse(python(DECODE, { token: ours, key: secret, alg: 'HS256' }))).toMatchObject({
      'urs-user-id': 'jdoe',
    })
    const now = Math.floor(Date.now() / 1000)
    const theirs = python(ENCODE, {
      payload: { 'urs-user-id': 'x', 'urs-access-token': 't', iat: now, exp: now + 60 },
      key: secret,
      alg: 'HS256',
    }).trim()
    expect((await codec.verify(theirs))?.user.userId).toBe('x')
  })
})
