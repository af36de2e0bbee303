import { SignJWT, exportJWK, generateKeyPair } from 'jose'
import type { JWK } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import { InvalidTokenError, UpstreamFailedError } from '../errors.js'
import { createEdlTokenVerifier } from './edl-token-verifier.js'

type Keys = Awaited<ReturnType<typeof generateKeyPair>>
const NOW = 1_700_000_000
let ops: Keys
let rotated: Keys
let opsJwk: JWK
let rotatedJwk: JWK

beforeAll(async () => {
  ops = await generateKeyPair('RS256', { extractable: true })
  rotated = await generateKeyPair('RS256', { extractable: true })
  opsJwk = {
    ...(await exportJWK(ops.publicKey)),
    kid: 'edljwtpubkey_ops',
    alg: 'RS256',
    use: 'sig',
  }
  rotatedJwk = {
    ...(await exportJWK(rotated.publicKey)),
    kid: 'edljwtpubkey_next',
    alg: 'RS256',
    use: 'sig',
  }
})

/** An EDL user token: key id in the non-standard `sig` header, as EDL sends it. */
function edlToken(
  claims: Record<string, unknown>,
  key: Keys = ops,
  header: Record<string, unknown> = { sig: 'edljwtpubkey_ops' },
) {
  return new SignJWT({
    type: 'User',
    uid: 'jdoe',
    client_id: 'tea-client',
    iat: NOW - 60,
    exp: NOW + 3600,
    iss: 'Earthdata Login',
    ...claims,
  })
    .setProtectedHeader({ typ: 'JWT', origin: 'Earthdata Login', alg: 'RS256', ...header })
    .sign(key.privateKey)
}
const unsigned = (header: object, payload: object, signature = '') =>
  `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${signature}`

function jwksServer() {
  const state = { keys: [opsJwk], fetches: 0, fail: false }
  const fetch = (async () => {
    state.fetches++
    if (state.fail) throw new TypeError('fetch failed')
    return Response.json({ keys: state.keys })
  }) as typeof globalThis.fetch
  return { state, fetch }
}
const verifierFor = (fetch: typeof globalThis.fetch, cooldownMs?: number) =>
  createEdlTokenVerifier({
    jwksUrl: 'https://edl.example/.well-known/edl_ops_jwks.json',
    fetch,
    now: () => NOW * 1000,
    cooldownMs,
  })

describe('createEdlTokenVerifier', () => {
  it('verifies a token whose key id is in `sig`, fetching the JWKS once', async () => {
    const { state, fetch } = jwksServer()
    const verifier = verifierFor(fetch)
    expect(await verifier.verify(await edlToken({}))).toEqual({
      uid: 'jdoe',
      expiresAt: NOW + 3600,
    })
    expect(await verifier.verify(await edlToken({ uid: 'other' }))).toEqual({
      uid: 'other',
      expiresAt: NOW + 3600,
    })
    expect(state.fetches).toBe(1)
  })

  it('also takes a standard `kid`, or no key id when the set has one key', async () => {
    const { fetch } = jwksServer()
    const verifier = verifierFor(fetch)
    expect((await verifier.verify(await edlToken({}, ops, { kid: 'edljwtpubkey_ops' }))).uid).toBe(
      'jdoe',
    )
    expect((await verifier.verify(await edlToken({}, ops, {}))).uid).toBe('jdoe')
  })

  it.each([
    ['expired', () => edlToken({ exp: NOW - 1 })],
    ['expiring this second', () => edlToken({ exp: NOW })],
    ['without uid', () => edlToken({ uid: undefined })],
    ['with an empty uid', () => edlToken({ uid: '' })],
    ['without exp', () => edlToken({ exp: undefined })],
    ['alg none', async () => unsigned({ alg: 'none', typ: 'JWT' }, { uid: 'jdoe', exp: NOW + 60 })],
    [
      'HS256',
      async () =>
        unsigned({ alg: 'HS256', sig: 'edljwtpubkey_ops' }, { uid: 'jdoe', exp: NOW + 60 }, 'c2ln'),
    ],
    ['not a JWT', async () => 'EDL-abcdef0123456789'],
    ['garbage segments', async () => 'a.b.c'],
  ])('refuses a token %s without any network call', async (_name, make) => {
    const { state, fetch } = jwksServer()
    await expect(verifierFor(fetch).verify(await make())).rejects.toBeInstanceOf(InvalidTokenError)
    expect(state.fetches).toBe(0)
  })

  it('refuses a forged signature with a known key id without fetching again', async () => {
    const { state, fetch } = jwksServer()
    const verifier = verifierFor(fetch)
    await verifier.verify(await edlToken({}))
    const forged = await edlToken({ uid: 'admin' }, rotated)
    const genuine = (await edlToken({ uid: 'admin' })).split('.')
    const tampered = `${genuine[0]}.${Buffer.from(JSON.stringify({ uid: 'root', exp: NOW + 60 })).toString('base64url')}.${genuine[2]}`
    await expect(verifier.verify(forged)).rejects.toThrow(new InvalidTokenError())
    await expect(verifier.verify(tampered)).rejects.toThrow(new InvalidTokenError())
    expect(state.fetches).toBe(1)
  })

  it('refetches the set for an unknown key id, at most once per cooldown', async () => {
    const { state, fetch } = jwksServer()
    const limited = verifierFor(fetch)
    await limited.verify(await edlToken({}))
    state.keys = [opsJwk, rotatedJwk]
    const next = await edlToken({}, rotated, { sig: 'edljwtpubkey_next' })
    await expect(limited.verify(next)).rejects.toBeInstanceOf(InvalidTokenError)
    expect(state.fetches).toBe(1)

    const eager = verifierFor(fetch, 0)
    state.keys = [opsJwk]
    await eager.verify(await edlToken({}))
    state.keys = [opsJwk, rotatedJwk]
    expect((await eager.verify(next)).uid).toBe('jdoe')
    expect(state.fetches).toBe(3)
  })

  it('reports an unreachable key set as an upstream failure, not a bad token', async () => {
    const { state, fetch } = jwksServer()
    state.fail = true
    await expect(verifierFor(fetch).verify(await edlToken({}))).rejects.toThrow(
      new UpstreamFailedError('EDL key set could not be fetched'),
    )
  })
})
