import { createHmac, createSign } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { createSessionCodec } from './session.js'
import type { SessionCodecOptions } from './session.js'
import type { UserProfile } from './user-profile.js'

const fixture = (name: string): string =>
  readFileSync(new URL(`../../../../test/fixtures/${name}`, import.meta.url), 'utf8')
const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url')
const decodePart = (token: string, i: number): unknown =>
  JSON.parse(Buffer.from(token.split('.')[i] ?? '', 'base64url').toString())

const T0 = 1_700_000_000
const user: UserProfile = {
  userId: 'jdoe',
  firstName: 'Jane',
  lastName: 'Doe',
  email: 'jane@example.com',
  groups: [{ client_id: 'tea-client', name: 'science-team', group_id: 'g-1' }],
  accessToken: 'edl-token',
}
const rs256 = (over: Partial<SessionCodecOptions> = {}): SessionCodecOptions => ({
  algorithm: 'RS256',
  privateKey: fixture('keys/tea-rsa'),
  publicKey: fixture('keys/tea-rsa.pub'),
  ttlSeconds: 86_400,
  now: () => T0 * 1000,
  ...over,
})

/** Signs `payload` with an RSA private key, as any RS256 JWT library would. */
function signRs(payload: object, keyFile: string, alg = 'RS256', header: object = {}): string {
  const input = `${b64url({ alg, typ: 'JWT', ...header })}.${b64url(payload)}`
  const hash = { RS256: 'RSA-SHA256', RS512: 'RSA-SHA512' }[alg] ?? 'RSA-SHA256'
  return `${input}.${createSign(hash).update(input).sign(fixture(keyFile), 'base64url')}`
}

const claims = {
  'urs-user-id': 'jdoe',
  'urs-access-token': 't',
  'urs-groups': [],
  iat: T0,
  exp: T0 + 60,
}

describe('createSessionCodec: mint', () => {
  it("mints TEA's exact claims with header {alg, typ: JWT}", async () => {
    const { token, expiresAt } = await createSessionCodec(rs256()).mint(user)
    expect(decodePart(token, 0)).toEqual({ alg: 'RS256', typ: 'JWT' })
    expect(decodePart(token, 1)).toEqual({
      'urs-user-id': 'jdoe',
      first_name: 'Jane',
      last_name: 'Doe',
      email: 'jane@example.com',
      'urs-access-token': 'edl-token',
      'urs-groups': [{ client_id: 'tea-client', name: 'science-team', group_id: 'g-1' }],
      iat: T0,
      exp: T0 + 86_400,
    })
    expect(expiresAt).toBe(T0 + 86_400)
  })

  it('takes iat from the clock in whole seconds and exp = iat + ttl (sub-hour ttl)', async () => {
    const codec = createSessionCodec(rs256({ ttlSeconds: 1800, now: () => T0 * 1000 + 999 }))
    const { token } = await codec.mint(user)
    expect(decodePart(token, 1)).toMatchObject({ iat: T0, exp: T0 + 1800 })
  })

  it('refuses a ttl that is not a positive integer', () => {
    expect(() => createSessionCodec(rs256({ ttlSeconds: 0 }))).toThrow(
      new TypeError('ttlSeconds must be a positive integer'),
    )
    expect(() => createSessionCodec(rs256({ ttlSeconds: 1.5 }))).toThrow(TypeError)
  })
})

describe('createSessionCodec: verify', () => {
  it.each(['keys/tea-rsa.pub', 'keys/tea-rsa.spki.pem', 'keys/tea-rsa.pkcs1.pub.pem'])(
    'round-trips with the public key as %s and a PKCS#8 private key',
    async (pub) => {
      const codec = createSessionCodec(
        rs256({ publicKey: fixture(pub), privateKey: fixture('keys/tea-rsa.pkcs8.pem') }),
      )
      const { token } = await codec.mint(user)
      expect(await codec.verify(token)).toEqual({ user, issuedAt: T0, expiresAt: T0 + 86_400 })
    },
  )

  it('accepts a cookie minted by TEA (PyJWT 2.6, same keys) until it expires', async () => {
    const { token, payload } = JSON.parse(fixture('pyjwt-cookie.json')) as {
      token: string
      payload: { iat: number; exp: number }
    }
    const at = (seconds: number) => createSessionCodec(rs256({ now: () => seconds * 1000 }))
    expect(await at(payload.iat + 10).verify(token)).toEqual({
      user: {
        userId: 'teauser',
        firstName: 'Tea',
        lastName: 'User',
        email: 'tea.user@example.com',
        groups: [
          {
            client_id: 'tea-client',
            name: 'science-team',
            group_id: 'g-1',
            tag: null,
            shared_user_group: false,
          },
        ],
        accessToken: 'EDL-access-token-from-tea',
      },
      issuedAt: payload.iat,
      expiresAt: payload.exp,
    })
    expect(await at(payload.exp).verify(token)).toBeNull()
  })

  it('treats an expired cookie as anonymous', async () => {
    const { token } = await createSessionCodec(rs256({ ttlSeconds: 60 })).mint(user)
    expect(
      await createSessionCodec(rs256({ now: () => (T0 + 59) * 1000 })).verify(token),
    ).not.toBeNull()
    expect(
      await createSessionCodec(rs256({ now: () => (T0 + 60) * 1000 })).verify(token),
    ).toBeNull()
  })

  it('refuses alg none, another algorithm, another key, and a changed payload', async () => {
    const codec = createSessionCodec(rs256())
    const none = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims)}.`
    const good = signRs(claims, 'keys/tea-rsa')
    const [h, , s] = good.split('.')
    expect(await codec.verify(good)).not.toBeNull()
    expect(await codec.verify(none)).toBeNull()
    expect(await codec.verify(signRs(claims, 'keys/tea-rsa', 'RS512'))).toBeNull()
    expect(await codec.verify(signRs(claims, 'keys/other-rsa'))).toBeNull()
    expect(
      await codec.verify(`${h}.${b64url({ ...claims, 'urs-user-id': 'admin' })}.${s}`),
    ).toBeNull()
  })

  it.each(['keys/tea-rsa.pub', 'keys/tea-rsa.spki.pem'])(
    'refuses HS256 signed with the public key text (%s) as the HMAC secret',
    async (pub) => {
      const input = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url(claims)}`
      const forged = `${input}.${createHmac('sha256', fixture(pub)).update(input).digest('base64url')}`
      expect(await createSessionCodec(rs256({ publicKey: fixture(pub) })).verify(forged)).toBeNull()
    },
  )

  it.each([
    ['empty', ''],
    ['one segment', 'abc'],
    ['two segments', 'a.b'],
    ['junk segments', 'a.b.c'],
    ['non-JSON header', `${Buffer.from('{').toString('base64url')}.e30.sig`],
    ['the literal value TEA uses on logout', 'expired'],
    ['a huge value', 'x'.repeat(10_000)],
  ])('treats a malformed value (%s) as anonymous, never throwing', async (_name, value) => {
    expect(await createSessionCodec(rs256()).verify(value)).toBeNull()
  })

  it.each([
    ['no urs-user-id', { ...claims, 'urs-user-id': undefined }],
    ['empty urs-user-id', { ...claims, 'urs-user-id': '' }],
    ['no urs-access-token', { ...claims, 'urs-access-token': undefined }],
    ['no iat', { ...claims, iat: undefined }],
    ['no exp', { ...claims, exp: undefined }],
  ])('refuses a validly signed cookie with %s', async (_name, payload) => {
    expect(await createSessionCodec(rs256()).verify(signRs(payload, 'keys/tea-rsa'))).toBeNull()
  })

  it('keeps only well-formed group entries and defaults missing names to ""', async () => {
    const token = signRs(
      {
        ...claims,
        'urs-groups': [{ client_id: 'c', name: 'n' }, 'x', { name: 'no-client' }],
        first_name: null,
      },
      'keys/tea-rsa',
    )
    const session = await createSessionCodec(rs256()).verify(token)
    expect(session?.user).toEqual({
      userId: 'jdoe',
      firstName: '',
      lastName: '',
      email: '',
      groups: [{ client_id: 'c', name: 'n' }],
      accessToken: 't',
    })
  })
})

describe('createSessionCodec: HS256', () => {
  const secret = 'a-shared-hmac-secret-of-at-least-32-bytes!'
  const hs = (over: Partial<SessionCodecOptions> = {}) =>
    createSessionCodec({
      ...rs256(),
      algorithm: 'HS256',
      privateKey: secret,
      publicKey: secret,
      ...over,
    })

  it('round-trips with a shared secret and refuses RS256 tokens', async () => {
    const { token } = await hs().mint(user)
    expect(decodePart(token, 0)).toEqual({ alg: 'HS256', typ: 'JWT' })
    expect((await hs().verify(token))?.user).toEqual(user)
    expect(await hs().verify(signRs(claims, 'keys/tea-rsa'))).toBeNull()
    expect(await hs({ privateKey: `${secret}x`, publicKey: `${secret}x` }).verify(token)).toBeNull()
  })

  it('refuses RSA or SSH keys as secrets, different secrets and short secrets', () => {
    expect(() =>
      hs({ privateKey: fixture('keys/tea-rsa'), publicKey: fixture('keys/tea-rsa') }),
    ).toThrow(new TypeError('HS256 needs a shared secret, not an RSA or SSH key'))
    expect(() => hs({ publicKey: fixture('keys/tea-rsa.pub') })).toThrow(TypeError)
    expect(() => hs({ publicKey: `${secret}x` })).toThrow(
      new TypeError(
        'HS256 signs and verifies with one secret: rsa_priv_key and rsa_pub_key must be equal',
      ),
    )
    expect(() => hs({ privateKey: 'short', publicKey: 'short' })).toThrow(
      new TypeError('the HS256 secret must be at least 32 bytes'),
    )
  })
})
