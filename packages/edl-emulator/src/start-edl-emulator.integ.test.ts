import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEdlEmulator } from './start-edl-emulator.js'
import type { RunningEdlEmulator } from './start-edl-emulator.js'
import { APP_AUTH, basic, startTestEmulator, TEST_CONFIG } from './testing/emulator-harness.js'

let edl: RunningEdlEmulator
beforeAll(async () => {
  ;({ edl } = await startTestEmulator())
})
afterAll(() => edl.close())

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe('startEdlEmulator', () => {
  it('listens on 127.0.0.1 on a free port and stops on close()', async () => {
    const own = await startEdlEmulator({ config: TEST_CONFIG })
    expect(own.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect((await fetch(`${own.url}/.well-known/edl_ops_jwks.json`)).status).toBe(200)
    await own.close()
    await expect(fetch(`${own.url}/.well-known/edl_ops_jwks.json`)).rejects.toThrow()
  })

  it('rejects an invalid config object with EmulatorConfigError', async () => {
    const bad = { users: [{ uid: 'x' }], apps: [] } as unknown as typeof TEST_CONFIG
    await expect(startEdlEmulator({ config: bad })).rejects.toMatchObject({
      name: 'EmulatorConfigError',
      code: 'ERR_EDL_EMULATOR_CONFIG',
    })
  })
})

describe('browser-less login, end to end (what TEA and a script do)', () => {
  it('401 challenge → Basic → code → token → profile', async () => {
    const redirectUri = 'http://127.0.0.1:1/login'
    const authorize = `${edl.url}/oauth/authorize?client_id=tea-local&response_type=code&redirect_uri=${redirectUri}&state=%2Fs3credentials&app_type=401`
    const challenge = await fetch(authorize, { redirect: 'manual' })
    expect(challenge.status).toBe(401)
    expect(challenge.headers.get('www-authenticate')).toMatch(/^Basic realm=/)

    const login = await fetch(authorize, {
      redirect: 'manual',
      headers: { authorization: basic('demo', 'demo-pass') },
    })
    expect(login.status).toBe(302)
    const callback = new URL(login.headers.get('location') ?? '')
    expect(callback.searchParams.get('state')).toBe('/s3credentials')

    const tokenRes = await fetch(`${edl.url}/oauth/token`, {
      method: 'POST',
      headers: { authorization: APP_AUTH },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: callback.searchParams.get('code') ?? '',
        redirect_uri: redirectUri,
      }),
    })
    const token = (await tokenRes.json()) as { access_token: string; endpoint: string }
    const uid = token.endpoint.split('/').at(-1)
    expect(uid).toBe('demo')

    const profile = await fetch(`${edl.url}/api/users/${uid}?client_id=tea-local`, {
      headers: { authorization: `Bearer ${token.access_token}` },
    })
    expect(profile.status).toBe(200)
    const body = (await profile.json()) as {
      user_groups: Array<{ client_id: string; name: string }>
    }
    expect(body.user_groups.filter((g) => g.client_id === 'tea-local').map((g) => g.name)).toEqual([
      'science_team',
    ])
  })
})

describe('X-Request-Id', () => {
  it('echoes the caller’s id on success, error and 404 responses', async () => {
    const headers = { 'x-request-id': 'abc-123' }
    for (const res of [
      await fetch(`${edl.url}/.well-known/edl_ops_jwks.json`, { headers }),
      await fetch(`${edl.url}/api/users/demo`, { headers }),
      await fetch(`${edl.url}/nope`, { headers }),
      await fetch(`${edl.url}/oauth/authorize`, { headers }),
    ]) {
      expect(res.headers.get('x-request-id')).toBe('abc-123')
    }
  })

  it('generates a UUID when the header is absent, empty or unreasonable', async () => {
    for (const id of [undefined, '', 'x'.repeat(201), 'has space']) {
      const res = await fetch(`${edl.url}/nope`, {
        headers: id === undefined ? {} : { 'x-request-id': id },
      })
      expect(res.headers.get('x-request-id'), String(id)).toMatch(UUID)
    }
  })
})

describe('robustness: bad input never produces a 5xx', () => {
  const huge = 'a'.repeat(6000)
  const cases: Array<[string, string, RequestInit]> = [
    [
      'token: Basic without colon',
      '/oauth/token',
      post({ authorization: `Basic ${b64('nocolon')}` }),
    ],
    ['token: Basic bad base64', '/oauth/token', post({ authorization: 'Basic ====' })],
    ['token: Basic empty', '/oauth/token', post({ authorization: 'Basic' })],
    ['token: scheme only', '/oauth/token', post({ authorization: 'Bearer' })],
    ['token: invalid JSON', '/oauth/token', appJson('{"grant_type":')],
    ['token: JSON array', '/oauth/token', appJson('[1,2]')],
    ['token: JSON string', '/oauth/token', appJson('"x"')],
    ['token: empty JSON body', '/oauth/token', appJson('')],
    [
      'token: unknown content-type',
      '/oauth/token',
      post({ authorization: APP_AUTH, 'content-type': 'text/xml' }, '<a/>'),
    ],
    [
      'token: body too large',
      '/oauth/token',
      post(
        { authorization: APP_AUTH, 'content-type': 'application/x-www-form-urlencoded' },
        `code=${'a'.repeat(70_000)}`,
      ),
    ],
    [
      'token: repeated params',
      '/oauth/token',
      post({ authorization: APP_AUTH }, 'grant_type=client_credentials&grant_type=refresh_token'),
    ],
    [
      'token: huge code',
      '/oauth/token',
      post(
        { authorization: APP_AUTH },
        `grant_type=authorization_code&code=${huge}&redirect_uri=${huge}`,
      ),
    ],
    [
      'token: __proto__',
      '/oauth/token',
      post({ authorization: APP_AUTH }, '__proto__=x&constructor=y&grant_type=client_credentials'),
    ],
    [
      'authorize: huge params',
      `/oauth/authorize?client_id=${huge}&redirect_uri=${huge}&state=${huge}`,
      {},
    ],
    ['authorize: array params', '/oauth/authorize?client_id=a&client_id=b&redirect_uri[x]=1', {}],
    ['authorize: bad percent-encoding', '/oauth/authorize?client_id=%E0%A4%A&state=%', {}],
    [
      'authorize: redirect_uri with newline',
      `/oauth/authorize?client_id=tea-local&response_type=code&redirect_uri=${encodeURIComponent('http://a/\r\nx: y')}`,
      { headers: { authorization: basic('demo', 'demo-pass') } },
    ],
    [
      'profile: long uid',
      `/api/users/${'u'.repeat(500)}`,
      { headers: { authorization: 'Bearer x' } },
    ],
    ['profile: encoded uid', '/api/users/%00%ff', { headers: { authorization: 'Bearer x' } }],
    [
      'profile: Bearer with spaces',
      '/api/users/demo',
      { headers: { authorization: 'Bearer a b c' } },
    ],
    [
      'profile: huge token',
      '/api/users/demo',
      { headers: { authorization: `Bearer ${'a'.repeat(6000)}.b.c` } },
    ],
    [
      'tokens/user: huge token',
      '/oauth/tokens/user',
      post({ authorization: APP_AUTH }, `token=${huge}`),
    ],
    ['user token: non-UTF-8 Basic', '/api/users/token', post({ authorization: 'Basic /w==' })],
    [
      'revoke: token array',
      '/api/users/revoke_token?token=a&token=b',
      post({ authorization: basic('demo', 'demo-pass') }),
    ],
    ['approve: empty body', '/approve_app', post({})],
  ]

  it.each(cases)('%s', async (_name, path, init) => {
    const res = await fetch(`${edl.url}${path}`, { redirect: 'manual', ...init })
    expect(res.status).toBeGreaterThanOrEqual(200)
    expect(res.status).toBeLessThan(500)
    if (res.headers.get('content-type')?.startsWith('application/json') === true) {
      const body = (await res.json()) as Record<string, unknown>
      if (res.status >= 400) {
        expect(typeof body.error).toBe('string')
        expect(typeof body.error_description).toBe('string')
      }
    }
  })

  it('maps an oversized body to 413 and invalid JSON to 400, EDL-shaped', async () => {
    const big = await fetch(
      `${edl.url}/oauth/token`,
      post({ authorization: APP_AUTH }, `code=${'a'.repeat(70_000)}`),
    )
    expect(big.status).toBe(413)
    expect(await big.json()).toEqual({
      error: 'invalid_request',
      error_description: 'The request body is too large',
    })
    const json = await fetch(`${edl.url}/oauth/token`, appJson('{'))
    expect(json.status).toBe(400)
    expect(await json.json()).toEqual({
      error: 'invalid_request',
      error_description: 'The request body is not valid JSON',
    })
  })

  it('keeps the EDL shape for URLs and headers rejected before routing', async () => {
    const bad = await fetch(`${edl.url}/api/users/%00%ff`, { headers: { 'x-request-id': 'r1' } })
    expect(bad.status).toBe(400)
    expect(bad.headers.get('x-request-id')).toBe('r1')
    expect(await bad.json()).toEqual({
      error: 'invalid_request',
      error_description: 'Malformed URL',
    })
    const long = await fetch(`${edl.url}/api/users/${'u'.repeat(201)}`)
    expect(long.status).toBe(414)
    expect(await long.json()).toEqual({
      error: 'invalid_request',
      error_description: 'A path segment is too long',
    })
    const headers = await fetch(`${edl.url}/oauth/authorize?state=${'s'.repeat(20_000)}`)
    expect(headers.status).toBe(431)
    expect(await headers.json()).toEqual({
      error: 'invalid_request',
      error_description: 'The request headers are too large',
    })
  })

  it('answers unknown paths with a JSON 404', async () => {
    const res = await fetch(`${edl.url}/api/unknown`)
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({ error: 'not_found', error_description: 'No such endpoint' })
  })
})

/** A POST with the app's credentials and a JSON content type. */
function appJson(body: string): RequestInit {
  return post({ authorization: APP_AUTH, 'content-type': 'application/json' }, body)
}

function post(headers: Record<string, string>, body?: string): RequestInit {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body,
  }
}

function b64(text: string): string {
  return Buffer.from(text).toString('base64')
}
