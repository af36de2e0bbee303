import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningEdlEmulator } from '../start-edl-emulator.js'
import type { FakeClock } from '../testing/emulator-harness.js'
import { APP_AUTH, basic, decodeJwtPart, startTestEmulator } from '../testing/emulator-harness.js'

const REDIRECT = 'http://127.0.0.1:1/login'

let edl: RunningEdlEmulator
let clock: FakeClock
beforeAll(async () => {
  ;({ edl, clock } = await startTestEmulator())
})
afterAll(() => edl.close())

async function code(clientId = 'tea-local', redirectUri = REDIRECT): Promise<string> {
  const url = new URL('/oauth/authorize', edl.url)
  url.search = new URLSearchParams({
    client_id: clientId,
    redirect_uri: redirectUri,
    response_type: 'code',
  }).toString()
  const res = await fetch(url, {
    redirect: 'manual',
    headers: { authorization: basic('demo', 'demo-pass') },
  })
  return new URL(res.headers.get('location') ?? '').searchParams.get('code') ?? ''
}

const token = (form: Record<string, string>, authorization: string | null = APP_AUTH) =>
  fetch(`${edl.url}/oauth/token`, {
    method: 'POST',
    headers: authorization === null ? {} : { authorization },
    body: new URLSearchParams(form),
  })

const exchange = async (c: string, redirectUri = REDIRECT) =>
  token({ grant_type: 'authorization_code', code: c, redirect_uri: redirectUri })

describe('POST /oauth/token grant_type=authorization_code', () => {
  it('returns EDL token JSON with the user endpoint', async () => {
    const res = await exchange(await code())
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(res.headers.get('cache-control')).toBe('no-store')
    const body = (await res.json()) as Record<string, unknown>
    expect(Object.keys(body)).toEqual([
      'access_token',
      'token_type',
      'expires_in',
      'refresh_token',
      'endpoint',
    ])
    expect(body).toMatchObject({
      token_type: 'Bearer',
      expires_in: 3600,
      endpoint: '/api/users/demo',
    })
    expect(decodeJwtPart(String(body.access_token), 1)).toEqual({
      type: 'User',
      uid: 'demo',
      client_id: 'tea-local',
      identity_provider: 'edl_ops',
      acr: 'edl',
      assurance_level: 3,
      jti: expect.any(String),
      iat: clock.ms / 1000,
      exp: clock.ms / 1000 + 3600,
      iss: 'https://urs.earthdata.nasa.gov',
    })
  })

  it('accepts a code once only', async () => {
    const c = await code()
    expect((await exchange(c)).status).toBe(200)
    const again = await exchange(c)
    expect(again.status).toBe(400)
    expect(await again.json()).toEqual({
      error: 'invalid_grant',
      error_description: 'Invalid, expired or already used code',
    })
  })

  it('accepts a code for 60 seconds', async () => {
    const fresh = await code()
    const stale = await code()
    clock.advance(59)
    expect((await exchange(fresh)).status).toBe(200)
    clock.advance(1)
    const res = await exchange(stale)
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: string }).error).toBe('invalid_grant')
  })

  it('rejects a different or missing redirect_uri, and burns the code', async () => {
    const c = await code()
    expect((await exchange(c, 'http://127.0.0.1:1/other')).status).toBe(400)
    expect((await exchange(c)).status).toBe(400)
    const missing = await token({ grant_type: 'authorization_code', code: await code() })
    expect(missing.status).toBe(400)
    expect(((await missing.json()) as { error: string }).error).toBe('invalid_grant')
  })

  it("rejects another app's code", async () => {
    const res = await exchange(await code('other-app'))
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: string }).error).toBe('invalid_grant')
  })

  it('requires the code parameter', async () => {
    const res = await token({ grant_type: 'authorization_code', redirect_uri: REDIRECT })
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({
      error: 'invalid_request',
      error_description: 'Missing required parameter: code',
    })
  })
})

describe('POST /oauth/token grant_type=refresh_token', () => {
  it('issues a new access token for the same user, keeping the refresh token', async () => {
    const first = (await (await exchange(await code())).json()) as Record<string, string>
    clock.advance(10)
    const res = await token({
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token ?? '',
    })
    expect(res.status).toBe(200)
    const body = (await res.json()) as Record<string, unknown>
    expect(body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 3600,
      refresh_token: first.refresh_token,
      endpoint: '/api/users/demo',
    })
    expect(body.access_token).not.toBe(first.access_token)
  })

  it('rejects an unknown refresh token and one belonging to another app', async () => {
    const first = (await (await exchange(await code())).json()) as Record<string, string>
    const other = basic('other-app', 'other-secret')
    for (const [refresh, auth] of [
      ['nope', APP_AUTH],
      [first.refresh_token ?? '', other],
    ] as const) {
      const res = await token({ grant_type: 'refresh_token', refresh_token: refresh }, auth)
      expect(res.status).toBe(400)
      expect(await res.json()).toEqual({
        error: 'invalid_grant',
        error_description: 'Invalid refresh token',
      })
    }
  })
})

describe('POST /oauth/token grant_type=client_credentials', () => {
  it('issues an App token without refresh token or endpoint', async () => {
    const res = await token({ grant_type: 'client_credentials' })
    expect(res.status).toBe(200)
    const body = (await res.json()) as Record<string, unknown>
    expect(Object.keys(body)).toEqual(['access_token', 'token_type', 'expires_in'])
    expect(body.expires_in).toBe(3600)
    const claims = decodeJwtPart(String(body.access_token), 1) as Record<string, unknown>
    expect(claims.type).toBe('App')
    expect(claims.client_id).toBe('tea-local')
    expect(claims.uid).toBeUndefined()
  })

  it('accepts a JSON body as well as a form', async () => {
    const res = await fetch(`${edl.url}/oauth/token`, {
      method: 'POST',
      headers: { authorization: APP_AUTH, 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials' }),
    })
    expect(res.status).toBe(200)
  })
})

describe('POST /oauth/token errors', () => {
  it.each([
    ['no Authorization', null],
    ['a wrong password', basic('tea-local', 'nope')],
    ['an unknown app', basic('ghost', 'x')],
    ['user credentials', basic('demo', 'demo-pass')],
    ['malformed Basic', 'Basic ###'],
    ['a Bearer token', 'Bearer abc'],
  ])('answers 401 invalid_client for %s', async (_name, authorization) => {
    const res = await token({ grant_type: 'client_credentials' }, authorization)
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBe(
      'Basic realm="Please enter your Earthdata Login credentials"',
    )
    expect(await res.json()).toEqual({
      error: 'invalid_client',
      error_description: 'Invalid client credentials',
    })
  })

  it('answers 400 invalid_request without grant_type', async () => {
    const res = await token({})
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({
      error: 'invalid_request',
      error_description: 'Missing required parameter: grant_type',
    })
  })

  it('answers 400 unsupported_grant_type for other grants', async () => {
    const res = await token({ grant_type: 'password', username: 'demo', password: 'demo-pass' })
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({
      error: 'unsupported_grant_type',
      error_description: 'Unsupported grant_type',
    })
  })
})
