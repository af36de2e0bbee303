import { generateKeyPairSync } from 'node:crypto'
import { request as httpRequest } from 'node:http'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startEdlEmulator } from '@tea-ts/edl-emulator'
import {
  CURL,
  EMULATOR_CONFIG,
  FIREFOX,
  TEST_CLIENT_ID,
  TEST_CLIENT_PASSWORD,
  basic,
  startStack,
} from './fixtures/login-harness.js'
import type { Stack } from './fixtures/login-harness.js'

/**
 * The service on a real port against the EDL emulator: the browser-less login, bearer tokens,
 * every /login error branch, forged tokens, open redirects, request ids, oversized headers.
 */

let stack: Stack
beforeAll(async () => {
  stack = await startStack()
})
afterAll(async () => {
  await stack.close()
})
beforeEach(() => {
  stack.seen.length = 0
  stack.failures.length = 0
})

const get = (url: string, headers: Record<string, string> = {}) =>
  fetch(url, { headers, redirect: 'manual' })
const path = (p: string) => `${stack.server.url}${p}`
const enc = encodeURIComponent
const edlPaths = () => stack.seen.map((r) => `${r.method} ${r.path.split('?')[0]}`)

/** Follows EDL's authorize URL with Basic credentials; returns the callback URL EDL redirects to. */
async function authorize(location: string, user = 'demo', password = 'demo-pass'): Promise<string> {
  const res = await get(location, { authorization: basic(user, password), 'user-agent': CURL })
  expect(res.status).toBe(302)
  return res.headers.get('location') ?? ''
}
const authorizeUrl = (state?: string) =>
  `${stack.edl.url}/oauth/authorize?client_id=${TEST_CLIENT_ID}&response_type=code&redirect_uri=${enc(path('/login'))}` +
  (state === undefined ? '' : `&state=${enc(state)}`)

describe('browser-less login (TEA tests_e2e/test_auth.py)', () => {
  it('302 to EDL → 401 → Basic → code → /login 301 + cookie → the protected route', async () => {
    const first = await get(path('/protected'), { 'user-agent': CURL })
    expect(first.status).toBe(302)
    expect(await first.text()).toBe('')
    const location = first.headers.get('location') ?? ''
    expect(location).toBe(`${authorizeUrl('/protected')}&app_type=401`)

    const challenge = await get(location, { 'user-agent': CURL })
    expect(challenge.status).toBe(401)
    expect(challenge.headers.get('www-authenticate')).toMatch(/^Basic /)

    const callback = await authorize(location)
    expect(callback).toMatch(new RegExp(`^${path('/login')}\\?code=[^&]+&state=%2Fprotected$`))

    const login = await get(callback, { 'user-agent': CURL })
    expect(login.status).toBe(301)
    expect(login.headers.get('location')).toBe(path('/protected'))
    const setCookie = login.headers.get('set-cookie') ?? ''
    expect(setCookie).toMatch(
      /^asf-urs=[\w-]+\.[\w-]+\.[\w-]+; Expires=\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT; Path=\/; HttpOnly; Secure; SameSite=Lax$/,
    )
    const cookie = setCookie.split(';')[0] ?? ''

    const done = await get(path('/protected'), { cookie, 'user-agent': CURL })
    expect(done.status).toBe(200)
    expect(await done.json()).toEqual({ user: 'demo', groups: ['science_team'] })
    expect(edlPaths()).toEqual(['POST /oauth/token', 'GET /api/users/demo'])
    expect(stack.seen[1]?.path).toBe(`/api/users/demo?client_id=${TEST_CLIENT_ID}`)
    expect(stack.seen[0]?.headers['x-request-id']).toBe(login.headers.get('x-request-id'))
  })

  it('omits app_type for browsers and for requests without a User-Agent', async () => {
    const browser = await get(path('/protected'), { 'user-agent': FIREFOX })
    expect(browser.headers.get('location')).toBe(authorizeUrl('/protected'))
    const location = await new Promise<string | undefined>((resolve, reject) => {
      // node:http sends no User-Agent unless told to (fetch always sends one).
      httpRequest(path('/protected'), (res) => {
        res.resume()
        resolve(res.headers.location)
      })
        .on('error', reject)
        .end()
    })
    expect(location).toBe(authorizeUrl('/protected'))
  })
})

describe('bearer tokens', () => {
  it('accepts an emulator-issued token, sets the cookie, and asks EDL once per minute', async () => {
    const token = await stack.edl.issueUserToken('demo')
    const res = await get(path('/protected'), {
      authorization: `Bearer ${token}`,
      'user-agent': CURL,
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ user: 'demo', groups: ['science_team'] })
    expect(res.headers.get('set-cookie')).toMatch(
      /^asf-urs=[\w-]+\.[\w-]+\.[\w-]+; Expires=.+; Path=\/; HttpOnly; Secure; SameSite=Lax$/,
    )
    const again = await get(path('/protected'), {
      authorization: `Bearer ${token}`,
      'user-agent': CURL,
    })
    expect(again.status).toBe(200)
    const profileCalls = edlPaths().filter((p) => p === 'GET /api/users/demo')
    expect(profileCalls).toHaveLength(1)
    // The cookie from a bearer request works on its own.
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
    expect((await get(path('/protected'), { cookie })).status).toBe(200)
  })

  describe('refuses forged, expired and malformed tokens without calling EDL', () => {
    beforeEach(async () => {
      // Warm the JWKS cache, then count from zero.
      const warm = await get(path('/protected'), {
        authorization: `Bearer ${await stack.edl.issueUserToken('demo')}`,
      })
      expect(warm.status).toBe(200)
      stack.seen.length = 0
    })

    const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
    it.each([
      [
        'forged signature',
        async () => {
          const [h, , s] = (await stack.edl.issueUserToken('demo')).split('.')
          return `${h}.${part({ type: 'User', uid: 'admin', exp: Math.floor(Date.now() / 1000) + 3600 })}.${s}`
        },
      ],
      ['expired', () => stack.edl.issueUserToken('demo', { expiresInSeconds: 0 })],
      [
        'signed by another EDL (wrong key, same key id)',
        async () => {
          // The emulator keeps one key per process unless given one: give it its own.
          const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
          const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
          const other = await startEdlEmulator({ config: EMULATOR_CONFIG, privateKeyPem })
          try {
            return await other.issueUserToken('demo')
          } finally {
            await other.close()
          }
        },
      ],
      ['not a JWT', async () => 'EDL-0123456789abcdef0123456789abcdef'],
      [
        'alg none',
        async () =>
          `${part({ alg: 'none', typ: 'JWT' })}.${part({ uid: 'demo', exp: 4_102_444_800 })}.`,
      ],
    ])(
      '%s → 401 invalid_token for scripts, 302 for browsers, zero EDL requests',
      async (_name, make) => {
        const token = await make()
        const script = await get(path('/protected'), {
          authorization: `Bearer ${token}`,
          'user-agent': CURL,
        })
        expect(script.status).toBe(401)
        expect(script.headers.get('www-authenticate')).toBe(
          'Bearer error="invalid_token", error_description="The access token is invalid or expired"',
        )
        expect(await script.json()).toEqual({
          statusCode: 401,
          code: 'ERR_INVALID_TOKEN',
          error: 'Unauthorized',
          message: 'The access token is invalid or expired',
        })
        const browser = await get(path('/protected'), {
          authorization: `Bearer ${token}`,
          'user-agent': FIREFOX,
        })
        expect(browser.status).toBe(302)
        expect(browser.headers.get('location')).toBe(authorizeUrl('/protected'))
        expect(stack.seen).toEqual([])
      },
    )
  })

  it('answers a user without the EULA with 403: JSON for scripts, an HTML link for browsers', async () => {
    const token = await stack.edl.issueUserToken('noeula')
    const script = await get(path('/protected'), {
      authorization: `Bearer ${token}`,
      'user-agent': CURL,
    })
    expect(script.status).toBe(403)
    expect(await script.json()).toEqual({
      error: 'invalid_token',
      error_description: 'EULA Acceptance Failure',
      status_code: 403,
      resolution_url: `${stack.edl.url}/approve_app?client_id=${TEST_CLIENT_ID}`,
    })
    const browser = await get(path('/protected'), {
      authorization: `Bearer ${token}`,
      'user-agent': FIREFOX,
    })
    expect(browser.status).toBe(403)
    const html = await browser.text()
    expect(html).toContain(`<a href="${stack.edl.url}/approve_app?client_id=${TEST_CLIENT_ID}">`)
    expect(html).toContain(
      'Could not fetch data because &quot;EULA Acceptance Failure&quot;. Please accept EULA here:',
    )
  })

  it('answers a malformed Authorization with 400', async () => {
    const res = await get(path('/protected'), { authorization: 'Bearer', 'user-agent': CURL })
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({
      status_code: 400,
      error_description: 'Malformed Authorization header',
    })
  })
})

describe('/login error branches (TEA §5.2)', () => {
  const page = async (res: Response) => ({
    status: res.status,
    type: res.headers.get('content-type'),
    content: /<div id="contentstring">(.*)<\/div>/.exec(await res.text())?.[1],
  })

  it.each([
    ['/login', 400, 'No params'],
    [
      '/login?error=server_error',
      400,
      'An error occurred while trying to log into URS. URS says: &quot;server_error&quot;. ',
    ],
    ['/login?state=%2Fprotected', 400, 'Did not get the required CODE from URS'],
    ['/login?code=not-a-real-code', 400, 'There was a problem talking to URS Login'],
  ])('%s → %i', async (url, status, content) => {
    expect(await page(await get(path(url)))).toEqual({
      status,
      type: 'text/html; charset=utf-8',
      content,
    })
  })

  it('401 when EDL reports access_denied (a user who refuses the EULA)', async () => {
    const callback = await authorize(authorizeUrl('/protected'), 'noeula', 'noeula-pass')
    expect(callback).toBe(`${path('/login')}?error=access_denied&state=%2Fprotected`)
    expect(await page(await get(callback))).toEqual({
      status: 401,
      type: 'text/html; charset=utf-8',
      content: 'Be sure to agree to the EULA.',
    })
  })

  it('400 when the token exchange fails (wrong app password)', async () => {
    const wrong = await startStack({ password: 'wrong-password' })
    try {
      const callback = await authorize(
        `${wrong.edl.url}/oauth/authorize?client_id=${TEST_CLIENT_ID}&response_type=code&redirect_uri=${enc(`${wrong.server.url}/login`)}`,
      )
      const res = await get(callback)
      expect(await page(res)).toEqual({
        status: 400,
        type: 'text/html; charset=utf-8',
        content: 'There was a problem talking to URS Login',
      })
      expect(res.headers.get('set-cookie')).toBeNull()
      expect(wrong.seen.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /oauth/token'])
    } finally {
      await wrong.close()
    }
  })

  it('400 when the profile cannot be fetched, after the app-token fallback', async () => {
    stack.failures.push({ match: /^\/api\/users\//, status: 503 })
    const res = await get(await authorize(authorizeUrl('/protected')))
    expect(await page(res)).toEqual({
      status: 400,
      type: 'text/html; charset=utf-8',
      content: 'Could not get user profile from URS',
    })
    expect(edlPaths()).toEqual([
      'POST /oauth/token',
      'GET /api/users/demo',
      'POST /oauth/token',
      'GET /api/users/demo',
    ])
    expect(stack.seen[2]?.headers['authorization']).toBe(
      basic(TEST_CLIENT_ID, TEST_CLIENT_PASSWORD),
    )
  })
})

describe('open redirect via state (fixed)', () => {
  it.each([
    ['/protected?x=1', '/protected?x=1'],
    ['https://evil.example/', 'BASE'],
    ['//evil.example', 'BASE'],
    ['/\\evil.example', 'BASE'],
    ['javascript:alert(document.cookie)', 'BASE'],
    ['%2F%2Fevil.example', 'BASE'],
    ['/%2F%2Fevil.example', 'BASE'],
    ['/.//evil.com', 'BASE'],
    ['/..//evil.com', 'BASE'],
    ['/a/..//evil.com', 'BASE'],
    ['/%2e//evil.com', 'BASE'],
    ['/%2E%2E//evil.com', 'BASE'],
    ['/x/%2e%2e//evil.com', 'BASE'],
  ])('state %j → %s', async (state, expected) => {
    const res = await get(await authorize(authorizeUrl(state)))
    expect(res.status).toBe(301)
    expect(res.headers.get('location')).toBe(
      expected === 'BASE' ? `${stack.server.url}/` : `${stack.server.url}${expected}`,
    )
    expect(res.headers.get('set-cookie')).toMatch(/^asf-urs=/)
  })
})

describe('request ids and limits', () => {
  it('sets x-request-id on every response and echoes x-origin-request-id, also to EDL', async () => {
    const a = await get(path('/version'), { 'x-origin-request-id': 'caller-trace-1' })
    expect(a.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
    expect(a.headers.get('x-origin-request-id')).toBe('caller-trace-1')
    const token = await stack.edl.issueUserToken('demo', { expiresInSeconds: 120 })
    const b = await get(path('/protected'), {
      authorization: `Bearer ${token}`,
      'x-origin-request-id': 'caller-trace-2',
    })
    expect(b.status).toBe(200)
    const profile = stack.seen.find((r) => r.path.startsWith('/api/users/'))
    expect(profile?.headers).toMatchObject({
      'x-request-id': b.headers.get('x-request-id'),
      'x-origin-request-id': 'caller-trace-2',
    })
    const missing = await get(path('/nope'))
    expect(missing.status).toBe(404)
    expect(missing.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('answers headers over 16 KiB with 431 in the JSON error shape, never 500', async () => {
    const res = await get(path('/protected'), { cookie: `asf-urs=${'x'.repeat(20_000)}` })
    expect(res.status).toBe(431)
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
    expect(await res.json()).toEqual({
      statusCode: 431,
      code: 'ERR_BAD_REQUEST',
      error: 'Request Header Fields Too Large',
      message: 'Request headers are too large',
    })
    // The server is still fine afterwards.
    expect((await get(path('/healthz'))).status).toBe(200)
  })
})
