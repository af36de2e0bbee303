import { createLocalJWKSet, decodeProtectedHeader, importJWK, jwtVerify } from 'jose'
import type { JSONWebKeySet } from 'jose'
import { generateKeyPairSync } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEdlEmulator } from '../start-edl-emulator.js'
import type { RunningEdlEmulator } from '../start-edl-emulator.js'
import { startTestEmulator, TEST_CONFIG } from '../testing/emulator-harness.js'

let edl: RunningEdlEmulator
beforeAll(async () => {
  ;({ edl } = await startTestEmulator())
})
afterAll(() => edl.close())

const jwks = async (url: string, env = 'ops'): Promise<JSONWebKeySet> =>
  (await fetch(`${url}/.well-known/edl_${env}_jwks.json`)).json() as Promise<JSONWebKeySet>

describe('GET /.well-known/edl_ops_jwks.json', () => {
  it('publishes one public RS256 key with kid = the configured key id', async () => {
    const res = await fetch(`${edl.url}/.well-known/edl_ops_jwks.json`)
    expect(res.status).toBe(200)
    const body = (await res.json()) as JSONWebKeySet
    expect(body.keys).toHaveLength(1)
    expect(body.keys[0]).toEqual({
      kty: 'RSA',
      n: expect.stringMatching(/^[A-Za-z0-9_-]{342}$/),
      e: 'AQAB',
      kid: 'edljwtpubkey_ops',
      alg: 'RS256',
      use: 'sig',
    })
  })

  it('verifies an issued token, picking the key by the non-standard sig header', async () => {
    const token = await edl.issueUserToken('demo', { clientId: 'tea-local' })
    const header = decodeProtectedHeader(token)
    expect(header).toEqual({
      typ: 'JWT',
      origin: 'Earthdata Login',
      sig: 'edljwtpubkey_ops',
      alg: 'RS256',
    })
    const key = (await jwks(edl.url)).keys.find((k) => k.kid === header.sig)
    expect(key).toBeDefined()
    const { payload } = await jwtVerify(token, await importJWK(key ?? {}, 'RS256'), {
      issuer: 'https://urs.earthdata.nasa.gov',
      algorithms: ['RS256'],
      currentDate: new Date(Date.UTC(2030, 0, 1)),
    })
    expect(payload).toMatchObject({ type: 'User', uid: 'demo', client_id: 'tea-local' })
  })

  it('uses the configured key id and issuer, and serves the UAT and SIT names too', async () => {
    const { edl: custom } = await startTestEmulator({
      ...TEST_CONFIG,
      issuer: 'Earthdata Login',
      key_id: 'edljwtpubkey_development',
    })
    try {
      const token = await custom.issueUserToken('demo')
      expect(decodeProtectedHeader(token).sig).toBe('edljwtpubkey_development')
      for (const env of ['uat', 'sit']) {
        const set = await jwks(custom.url, env)
        expect(set.keys[0]?.kid).toBe('edljwtpubkey_development')
        // The header has no kid; with a single key, a plain JWKS verifier still finds it.
        const { payload } = await jwtVerify(token, createLocalJWKSet(set), {
          issuer: 'Earthdata Login',
          currentDate: new Date(Date.UTC(2030, 0, 1)),
        })
        expect(payload.iss).toBe('Earthdata Login')
      }
    } finally {
      await custom.close()
    }
  })

  it('signs with a given privateKeyPem and rejects tokens signed with another key', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const own = await startEdlEmulator({
      config: TEST_CONFIG,
      privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    })
    try {
      const [key] = (await jwks(own.url)).keys
      expect(key?.n).toBe(publicKey.export({ format: 'jwk' }).n)
      const foreign = await edl.issueUserToken('demo')
      const res = await fetch(`${own.url}/api/users/demo`, {
        headers: { authorization: `Bearer ${foreign}` },
      })
      expect(res.status).toBe(401)
      const token = await own.issueUserToken('demo')
      await expect(jwtVerify(token, createLocalJWKSet(await jwks(edl.url)))).rejects.toMatchObject({
        code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      })
    } finally {
      await own.close()
    }
  })
})
