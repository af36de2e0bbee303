import { readFileSync } from 'node:fs'
import type { FastifyInstance, FastifyPluginAsync } from 'fastify'
import { SignJWT, exportJWK, generateKeyPair } from 'jose'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from './app.js'
import type { AppDeps } from './app.js'
import type { EdlClient, EdlUser } from './auth/edl-client.js'
import { createSessionCodec } from './auth/session.js'
import type { UserProfile } from './auth/user-profile.js'
import type { Config } from './config.js'
import { EdlRejectedError, EulaNotAcceptedError, UpstreamFailedError } from './errors.js'
import { captureLog, recordSecretsPlugin } from '../../../test/log-audit/log-capture.js'
import {
  CURL,
  FIREFOX,
  JANE,
  TEST_CLIENT_ID,
  expectErrorBody,
  janeProfile as profileOf,
  testConfig as sharedTestConfig,
} from './testing/index.js'

/** The whole app through inject(): routes, authentication, errors, headers, logs. EDL is a fake. */

const key = (name: string): string =>
  readFileSync(new URL(`../../../test/fixtures/keys/${name}`, import.meta.url), 'utf8')
const NOW = 1_700_000_000_000
const BINDING_COOKIE =
  /^tea-login=\d+\.[\w-]{22}\.[\w-]{43}; Max-Age=600; Path=\/login; HttpOnly; Secure; SameSite=Lax$/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

const testConfig = (env: Record<string, string> = {}): Promise<Config> =>
  sharedTestConfig(
    { AUTH_BASE_URL: 'https://edl.example', ...env },
    { keys: { privateKey: key('tea-rsa'), publicKey: key('tea-rsa.pub') } },
  )

const jane = JANE
const janeProfile = profileOf()

/** A scripted EdlClient that records every call. */
function fakeEdl() {
  const calls: { op: string; input?: unknown; aux?: unknown }[] = []
  const script = {
    exchange: (): Promise<{ accessToken: string; userId: string }> =>
      Promise.resolve({ accessToken: 'user-token', userId: 'jdoe' }),
    profile: (_token: string): Promise<EdlUser> => Promise.resolve(jane),
    appToken: (): Promise<string> => Promise.resolve('app-token'),
  }
  const edl: EdlClient = {
    exchangeCode: (input, aux) => (
      calls.push({ op: 'exchangeCode', input, aux }),
      script.exchange()
    ),
    getProfile: (input, aux) => (
      calls.push({ op: 'getProfile', input, aux }),
      script.profile(input.token)
    ),
    getAppToken: (aux) => (calls.push({ op: 'getAppToken', aux }), script.appToken()),
  }
  return { edl, calls, script }
}

// EDL's signing key for bearer tokens, served by the fake fetch as a JWKS.
let edlKeys: Awaited<ReturnType<typeof generateKeyPair>>
let jwks: unknown
beforeAll(async () => {
  edlKeys = await generateKeyPair('RS256')
  jwks = {
    keys: [{ ...(await exportJWK(edlKeys.publicKey)), kid: 'edljwtpubkey_ops', alg: 'RS256' }],
  }
})
const edlToken = (claims: Record<string, unknown> = {}) =>
  new SignJWT({ type: 'User', uid: 'jdoe', exp: NOW / 1000 + 3600, iat: NOW / 1000, ...claims })
    .setProtectedHeader({
      typ: 'JWT',
      origin: 'Earthdata Login',
      sig: 'edljwtpubkey_ops',
      alg: 'RS256',
    })
    .sign(edlKeys.privateKey)

const protectedRoute: FastifyPluginAsync = async (app) => {
  const handler = async (request: { user: UserProfile | null }) => ({ user: request.user?.userId })
  app.get('/protected', { preHandler: app.requireUser }, handler)
  app.get('/DEV/protected', { preHandler: app.requireUser }, handler)
}

let app: FastifyInstance | undefined
afterEach(async () => {
  await app?.close()
  app = undefined
})

async function setup(options: { env?: Record<string, string>; logs?: string[] } = {}) {
  const config = await testConfig(options.env)
  const edl = fakeEdl()
  const fetches: string[] = []
  const kept = captureLog('app')
  const deps: AppDeps = {
    edl: edl.edl,
    roles: { assumeRole: () => Promise.reject(new Error('unused')) },
    fetch: (async (url: string | URL | Request) => (
      fetches.push(String(url)),
      Response.json(jwks)
    )) as typeof globalThis.fetch,
    now: () => NOW,
    // Every test's log is kept for the log audit; `logs` also gets the lines.
    log: {
      stream: {
        write: (line: string) => {
          kept.stream.write(line)
          options.logs?.push(line)
        },
      },
      level: 'debug',
    },
  }
  app = await buildApp(config, deps, { plugins: [protectedRoute, recordSecretsPlugin] })
  const codec = createSessionCodec({ ...config.session, ...config.session.keys, now: () => NOW })
  const cookie = async (user: UserProfile = janeProfile) =>
    `asf-urs=${(await codec.mint(user)).token}`
  return { app, config, codec, cookie, fetches, ...edl }
}

const get = (url: string, headers: Record<string, string> = {}) =>
  (app as FastifyInstance).inject({
    method: 'GET',
    url,
    headers: { host: 'tea.example', ...headers },
  })

describe('plain routes', () => {
  it('/version, /healthz, /profile, /pubkey', async () => {
    await setup({ env: { BUILD_VERSION: 'abc123', BUMP: '2024-05-01 12:00:00, req-9' } })
    const version = await get('/version')
    expect([version.statusCode, version.json()]).toEqual([
      200,
      { version_id: 'abc123', last_flush: '2024-05-01 12:00:00, req-9' },
    ])
    expect((await get('/healthz')).json()).toEqual({ status: 'ok' })
    const profile = await get('/profile')
    expect([profile.statusCode, profile.headers['content-type'], profile.body]).toEqual([
      200,
      'text/plain; charset=utf-8',
      'Profile not available.',
    ])
    expect((await get('/pubkey')).json()).toEqual({
      rsa_pub_key: key('tea-rsa.pub'),
      algorithm: 'RS256',
    })
  })

  it('/version without BUMP', async () => {
    await setup()
    expect((await get('/version')).json()).toEqual({ version_id: 'NOBUILD' })
  })

  it('gives every response an x-request-id and echoes a sane x-origin-request-id', async () => {
    await setup()
    const a = await get('/version', { 'x-origin-request-id': 'origin-123' })
    const b = await get('/nope', { 'x-origin-request-id': 'x'.repeat(201) })
    expect(a.headers['x-request-id']).toMatch(UUID)
    expect(a.headers['x-origin-request-id']).toBe('origin-123')
    expect(b.headers['x-request-id']).toMatch(UUID)
    expect(b.headers['x-request-id']).not.toBe(a.headers['x-request-id'])
    expect(b.headers['x-origin-request-id']).toBeUndefined()
    // A client cannot choose our request id.
    expect((await get('/version', { 'x-request-id': 'mine' })).headers['x-request-id']).toMatch(
      UUID,
    )
  })

  it('answers unknown paths with a JSON 404 and wrong methods with a 405 and Allow', async () => {
    await setup()
    const missing = await get('/nope?x=1')
    expect([missing.statusCode, missing.json()]).toEqual([
      404,
      {
        statusCode: 404,
        code: 'ERR_NOT_FOUND',
        error: 'Not Found',
        message: 'Route GET /nope not found',
      },
    ])
    const post = await app!.inject({
      method: 'POST',
      url: '/login',
      headers: { host: 'tea.example' },
    })
    expect([post.statusCode, post.headers.allow, post.json()]).toEqual([
      405,
      'GET, HEAD',
      {
        statusCode: 405,
        code: 'ERR_METHOD_NOT_ALLOWED',
        error: 'Method Not Allowed',
        message: 'Method POST is not allowed for /login',
      },
    ])
    expect((await app!.inject({ method: 'HEAD', url: '/version' })).statusCode).toBe(200)
  })

  it('refuses an invalid Host header with 400 instead of building URLs from it', async () => {
    await setup()
    const res = await get('/protected', { host: 'evil.example/path' })
    expectErrorBody(res, 400, 'ERR_BAD_REQUEST', 'Bad Request', 'Invalid Host header')
  })
})

describe('/ and /logout', () => {
  it('offers the EDL login link (no state) to anonymous visitors', async () => {
    await setup()
    const res = await get('/', { 'user-agent': FIREFOX })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(res.body).toContain(
      '<a href="https://edl.example/oauth/authorize?client_id=tea-test-client&amp;response_type=code&amp;redirect_uri=http%3A%2F%2Ftea.example%2Flogin">Log In</a>',
    )
    expect(res.body).not.toContain('Welcome URS user')
  })

  it('welcomes a logged-in user, with the profile only when MATURITY=DEV', async () => {
    const { cookie } = await setup()
    const dev = await get('/', { cookie: await cookie() })
    expect(dev.body).toContain('Welcome URS user Jane Doe.')
    expect(dev.body).toContain('<a href="http://tea.example/logout">Log Out</a>')
    expect(dev.body).toContain('<li>science (tea-test-client)</li>')
    expect(dev.body).not.toContain('user-token')
    await app?.close()
    const prod = await setup({ env: { MATURITY: 'PROD' } })
    const res = await get('/', { cookie: await prod.cookie() })
    expect(res.body).toContain('Welcome URS user Jane Doe.')
    expect(res.body).not.toContain('id="profile"')
  })

  it('treats forged and malformed cookies as anonymous, never 500', async () => {
    await setup()
    for (const value of [
      'garbage',
      'a.b.c',
      'eyJhbGciOiJub25lIn0.eyJ1cnMtdXNlci1pZCI6ImFkbWluIn0.',
      '',
    ]) {
      const res = await get('/', { cookie: `asf-urs=${value}` })
      expect(res.statusCode).toBe(200)
      expect(res.body).toContain('Log In')
    }
  })

  it('logs out by expiring the cookie', async () => {
    const { cookie } = await setup({ env: { COOKIE_DOMAIN: '.tea.example' } })
    const res = await get('/logout', { cookie: await cookie() })
    expect(res.statusCode).toBe(200)
    const [expired, binding] = res.headers['set-cookie'] as string[]
    expect(expired).toBe(
      'asf-urs=expired; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/; Domain=.tea.example; HttpOnly; Secure; SameSite=Lax',
    )
    // The page's "Log In" link starts a login, bound to this browser.
    expect(binding).toMatch(BINDING_COOKIE)
    expect(res.body).toContain('<p id="contentstring">You are logged out.</p>')
    expect(res.body).toContain('<title>Egress | Logged Out</title>')
    expect((await get('/logout')).body).toContain('No active login found.')
  })
})

describe('GET /login (as TEA do_login)', () => {
  const page = (status: number, text: string) => ({
    status,
    title: `<title>Egress | ${status} Could Not Login</title>`,
    text: `<div id="contentstring">${text}</div>`,
  })
  it.each([
    ['', page(400, 'No params')],
    ['?error=access_denied', page(401, 'Be sure to agree to the EULA.')],
    [
      '?error=server_error&code=x',
      page(
        400,
        'An error occurred while trying to log into URS. URS says: &quot;server_error&quot;. ',
      ),
    ],
    [
      '?error=%3Cscript%3E',
      page(
        400,
        'An error occurred while trying to log into URS. URS says: &quot;&lt;script&gt;&quot;. ',
      ),
    ],
    ['?state=%2F', page(400, 'Did not get the required CODE from URS')],
    ['?code=', page(400, 'Did not get the required CODE from URS')],
  ])('%s → error page', async (query, expected) => {
    const { calls } = await setup()
    const res = await get(`/login${query}`, { 'user-agent': CURL })
    expect(res.statusCode).toBe(expected.status)
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(res.body).toContain(expected.title)
    expect(res.body).toContain(expected.text)
    expect(res.body).toContain(`<span id="requestid">${res.headers['x-request-id']}</span>`)
    expect(calls).toEqual([])
  })

  it('exchanges the code, fetches the profile, sets the cookie and redirects 301 to state', async () => {
    const { calls, codec } = await setup()
    const res = await get('/login?code=the-code&state=%2Fprotected%3Fa%3D1', {
      'x-origin-request-id': 'o-1',
    })
    expect(res.statusCode).toBe(301)
    expect(res.headers.location).toBe('http://tea.example/protected?a=1')
    expect(res.body).toBe('')
    const aux = { 'x-request-id': res.headers['x-request-id'], 'x-origin-request-id': 'o-1' }
    expect(calls).toEqual([
      {
        op: 'exchangeCode',
        input: { code: 'the-code', redirectUri: 'http://tea.example/login' },
        aux,
      },
      { op: 'getProfile', input: { userId: 'jdoe', token: 'user-token' }, aux },
    ])
    const setCookie = String(res.headers['set-cookie'])
    expect(setCookie).toMatch(
      /^asf-urs=[\w-]+\.[\w-]+\.[\w-]+; Expires=Wed, 15 Nov 2023 22:13:20 GMT; Path=\/; HttpOnly; Secure; SameSite=Lax$/,
    )
    const session = await codec.verify(setCookie.slice('asf-urs='.length, setCookie.indexOf(';')))
    expect(session).toEqual({
      user: janeProfile,
      issuedAt: NOW / 1000,
      expiresAt: NOW / 1000 + 86_400,
    })
  })

  it.each([
    ['https://evil.example/x'],
    ['//evil.example'],
    ['/\\evil.example'],
    ['javascript:alert(1)'],
    ['%2F%2Fevil.example'],
  ])('sends an unsafe state %j to the base URL', async (state) => {
    await setup()
    const res = await get(`/login?code=c&state=${encodeURIComponent(state)}`)
    expect([res.statusCode, res.headers.location]).toEqual([301, 'http://tea.example/'])
  })

  it('uses DOMAIN_NAME for redirect_uri and the default redirect', async () => {
    const { calls } = await setup({ env: { DOMAIN_NAME: 'data.example' } })
    const res = await get('/login?code=c')
    expect(res.headers.location).toBe('https://data.example/')
    expect(calls[0]?.input).toEqual({ code: 'c', redirectUri: 'https://data.example/login' })
  })

  it('falls back to an app token when the user token cannot read the profile', async () => {
    const { calls, script } = await setup()
    script.profile = (token) =>
      token === 'user-token' ? Promise.reject(new EdlRejectedError(401, {})) : Promise.resolve(jane)
    const res = await get('/login?code=c')
    expect(res.statusCode).toBe(301)
    expect(calls.map((c) => c.op)).toEqual([
      'exchangeCode',
      'getProfile',
      'getAppToken',
      'getProfile',
    ])
    expect(calls[3]?.input).toEqual({ userId: 'jdoe', token: 'app-token' })
  })

  it.each([
    ['the token exchange fails', 'exchange', 'There was a problem talking to URS Login'],
    ['the profile cannot be had', 'profile', 'Could not get user profile from URS'],
  ])('400 when %s', async (_name, step, text) => {
    const { script } = await setup()
    const fail = () => Promise.reject(new EdlRejectedError(400, { error: 'invalid_grant' }))
    if (step === 'exchange') script.exchange = fail
    else script.profile = () => Promise.reject(new UpstreamFailedError('down'))
    const res = await get('/login?code=c')
    expect(res.statusCode).toBe(400)
    expect(res.body).toContain(`<div id="contentstring">${text}</div>`)
    expect(res.headers['set-cookie']).toBeUndefined()
  })
})

describe('requireUser (as TEA RequestAuthorizer)', () => {
  const authorize = (state: string, appType: boolean) =>
    `https://edl.example/oauth/authorize?client_id=tea-test-client&response_type=code&redirect_uri=http%3A%2F%2Ftea.example%2Flogin&state=${state}${appType ? '&app_type=401' : ''}`

  it('redirects anonymous callers to EDL with state, and app_type=401 for scripts', async () => {
    await setup()
    const script = await get('/protected?x=1', { 'user-agent': CURL })
    expect([script.statusCode, script.headers.location, script.body]).toEqual([
      302,
      authorize('%2Fprotected%3Fx%3D1', true),
      '',
    ])
    expect((await get('/protected', { 'user-agent': FIREFOX })).headers.location).toBe(
      authorize('%2Fprotected', false),
    )
    expect((await get('/protected', { 'user-agent': '' })).headers.location).toBe(
      authorize('%2Fprotected', true),
    )
    expect(
      (await get('/protected', { authorization: 'Basic dTpw', 'user-agent': CURL })).headers
        .location,
    ).toBe(authorize('%2Fprotected', true))
  })

  it('strips the stage from state when DOMAIN_NAME is set', async () => {
    await setup({ env: { DOMAIN_NAME: 'data.example', STAGE_NAME: 'DEV' } })
    const res = await get('/DEV/protected', { 'user-agent': FIREFOX })
    expect(res.headers.location).toBe(
      'https://edl.example/oauth/authorize?client_id=tea-test-client&response_type=code&redirect_uri=https%3A%2F%2Fdata.example%2Flogin&state=%2Fprotected',
    )
  })

  it('lets a cookie in without setting a new one', async () => {
    const { cookie } = await setup()
    const res = await get('/protected', { cookie: await cookie() })
    expect([res.statusCode, res.json(), res.headers['set-cookie']]).toEqual([
      200,
      { user: 'jdoe' },
      undefined,
    ])
  })

  it('lets an EDL bearer token in and sets the session cookie', async () => {
    const { calls, codec, fetches } = await setup()
    const token = await edlToken()
    const res = await get('/protected', { authorization: `Bearer ${token}`, 'user-agent': CURL })
    expect([res.statusCode, res.json()]).toEqual([200, { user: 'jdoe' }])
    const setCookie = String(res.headers['set-cookie'])
    const session = await codec.verify(setCookie.slice('asf-urs='.length, setCookie.indexOf(';')))
    expect(session?.user).toEqual({ ...janeProfile, accessToken: token })
    expect(calls).toEqual([
      {
        op: 'getProfile',
        input: { userId: 'jdoe', token },
        aux: { 'x-request-id': res.headers['x-request-id'] },
      },
    ])
    expect(fetches).toEqual(['https://edl.example/.well-known/edl_ops_jwks.json'])
  })

  it('answers a malformed Authorization with 400 in TEA JSON for scripts and HTML for browsers', async () => {
    await setup()
    const script = await get('/protected', { authorization: 'Bearer', 'user-agent': CURL })
    expect([script.statusCode, script.json()]).toEqual([
      400,
      { status_code: 400, error_description: 'Malformed Authorization header' },
    ])
    const browser = await get('/protected', { authorization: 'Bearer', 'user-agent': FIREFOX })
    expect(browser.statusCode).toBe(400)
    expect(browser.body).toContain('<title>Egress | 400 Bad Request</title>')
    expect(browser.body).toContain('<div id="contentstring">Malformed Authorization header</div>')
  })

  it('answers an invalid token with 401 + WWW-Authenticate for scripts and EDL for browsers, without asking EDL', async () => {
    const { calls, fetches } = await setup()
    const expired = await edlToken({ exp: NOW / 1000 - 1 })
    const script = await get('/protected', {
      authorization: `Bearer ${expired}`,
      'user-agent': CURL,
    })
    expect(script.statusCode).toBe(401)
    expect(script.headers['www-authenticate']).toBe(
      'Bearer error="invalid_token", error_description="The access token is invalid or expired"',
    )
    expect(script.json()).toEqual({
      statusCode: 401,
      code: 'ERR_INVALID_TOKEN',
      error: 'Unauthorized',
      message: 'The access token is invalid or expired',
    })
    const browser = await get('/protected', {
      authorization: 'Bearer not-a-jwt',
      'user-agent': FIREFOX,
    })
    expect([browser.statusCode, browser.headers.location]).toEqual([
      302,
      authorize('%2Fprotected', false),
    ])
    expect(calls).toEqual([])
    expect(fetches).toEqual([])
  })

  it('answers a EULA refusal with 403: EDL body + status_code for scripts, a page with the link for browsers', async () => {
    const { script } = await setup()
    const edlBody = {
      error: 'invalid_token',
      status_code: 401,
      error_description: 'EULA Acceptance Failure',
      resolution_url: 'https://edl.example/approve_app?client_id=tea-test-client&x=<y>',
    }
    script.profile = () =>
      Promise.reject(new EulaNotAcceptedError('EULA Acceptance Failure', edlBody))
    const token = await edlToken()
    const json = await get('/protected', { authorization: `Bearer ${token}`, 'user-agent': CURL })
    expect([json.statusCode, json.json()]).toEqual([403, { ...edlBody, status_code: 403 }])
    const html = await get('/protected', {
      authorization: `Bearer ${token}`,
      'user-agent': FIREFOX,
    })
    expect(html.statusCode).toBe(403)
    expect(html.body).toContain('<title>Egress | 403 EULA Acceptance Failure</title>')
    expect(html.body).toContain(
      '<div id="contentstring">Could not fetch data because &quot;EULA Acceptance Failure&quot;. Please accept EULA here: ' +
        '<a href="https://edl.example/approve_app?client_id=tea-test-client&amp;x=&lt;y&gt;">https://edl.example/approve_app?client_id=tea-test-client&amp;x=&lt;y&gt;</a> and try again.</div>',
    )
    expect(html.headers['set-cookie']).toBeUndefined()
  })

  it("passes other EDL refusals through with EDL's status and body", async () => {
    const { script } = await setup()
    script.profile = () =>
      Promise.reject(
        new EdlRejectedError(401, { error: 'invalid_token', error_description: 'Token revoked' }),
      )
    const res = await get('/protected', {
      authorization: `Bearer ${await edlToken()}`,
      'user-agent': CURL,
    })
    expect([res.statusCode, res.json()]).toEqual([
      401,
      { error: 'invalid_token', error_description: 'Token revoked' },
    ])
  })
})

describe('logging', () => {
  it('writes JSON lines without cookies, tokens, authorization codes or Authorization headers', async () => {
    const logs: string[] = []
    const { cookie } = await setup({ logs })
    const sessionCookie = await cookie()
    const token = await edlToken()
    await get('/protected', { cookie: sessionCookie })
    await get('/protected', { authorization: `Bearer ${token}` })
    await get('/login?code=SECRET-CODE&state=%2F')
    const text = logs.join('')
    for (const line of logs) expect(() => JSON.parse(line)).not.toThrow()
    expect(text).not.toContain(sessionCookie.slice(8, 40))
    expect(text).not.toContain(token.slice(0, 30))
    expect(text).not.toContain('SECRET-CODE')
    expect(text).not.toContain('user-token')
    expect(text).toContain('/login?code=[REDACTED]&state=%2F')
    const authenticated = logs
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.url === '/protected')
    expect(authenticated.map((l) => [l.userId, l.via])).toEqual([
      ['jdoe', 'cookie'],
      ['jdoe', 'bearer'],
    ])
  })

  it('writes one access line per request, with what the route added', async () => {
    const logs: string[] = []
    const { cookie } = await setup({ logs })
    const ok = await get('/protected', { cookie: await cookie(), 'x-origin-request-id': 'o-1' })
    const missing = await get('/nowhere?page=2', { 'user-agent': CURL })
    const badUrl = await get('/%E0%A4%A')
    expect(logs).toHaveLength(3)
    const [first, second, third] = logs.map((l) => JSON.parse(l) as Record<string, unknown>)
    // Fastify's frameworkErrors skip the response hooks: the error handler logs that line.
    expect(third).toMatchObject({
      reqId: badUrl.headers['x-request-id'],
      statusCode: 400,
      code: 'FST_ERR_BAD_URL',
    })
    expect(first).toEqual({
      level: 30,
      time: expect.any(Number),
      pid: process.pid,
      hostname: expect.any(String),
      reqId: ok.headers['x-request-id'],
      method: 'GET',
      url: '/protected',
      statusCode: 200,
      responseTime: expect.any(Number),
      remoteAddress: '127.0.0.1',
      userAgent: 'lightMyRequest',
      originRequestId: 'o-1',
      userId: 'jdoe',
      via: 'cookie',
      msg: 'request completed',
    })
    expect(second).toMatchObject({
      reqId: missing.headers['x-request-id'],
      url: '/nowhere?page=2',
      statusCode: 404,
      userAgent: CURL,
      errorCode: 'ERR_NOT_FOUND',
      errorMessage: 'Route GET /nowhere not found',
      msg: 'request completed',
    })
  })

  it('redacts secrets nested in state (encoded once or twice) and caps logged headers', async () => {
    const logs: string[] = []
    await setup({ logs })
    const nested = '/s3credentials?token=NESTED-TOKEN&X-Amz-Security-Token=NESTED-STS&page=2'
    const once = encodeURIComponent(nested)
    const twice = encodeURIComponent(once)
    const longAgent = `curl/8.5.0 ${'a'.repeat(16_000)}`
    const longOrigin = 'r'.repeat(16_000)
    await get(`/login?code=C1&state=${once}`, { 'user-agent': longAgent })
    await get(`/login?code=C2&state=${twice}`, { 'x-origin-request-id': longOrigin })
    await get(`/nowhere?redirect=${once}`)
    const text = logs.join('')
    for (const secret of ['NESTED-TOKEN', 'NESTED-STS', 'C1', 'C2']) {
      expect(text).not.toContain(secret)
    }
    const lines = logs.map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(lines.map((l) => l.url)).toEqual([
      `/login?code=[REDACTED]&state=${encodeURIComponent('/s3credentials?token=[REDACTED]&X-Amz-Security-Token=[REDACTED]&page=2')}`,
      `/login?code=[REDACTED]&state=${encodeURIComponent('/s3credentials?token=[REDACTED]&X-Amz-Security-Token=[REDACTED]&page=2')}`,
      `/nowhere?redirect=${encodeURIComponent('/s3credentials?token=[REDACTED]&X-Amz-Security-Token=[REDACTED]&page=2')}`,
    ])
    expect(lines[0]?.userAgent).toBe(`${longAgent.slice(0, 256)}…[16011 chars]`)
    expect(lines[1]?.originRequestId).toBe(`${longOrigin.slice(0, 256)}…[16000 chars]`)
    for (const line of logs) expect(line.length).toBeLessThan(2048)
  })

  it('warns when a session cookie grows past 4096 bytes (many groups)', async () => {
    const logs: string[] = []
    const { script } = await setup({ logs })
    const groups = Array.from({ length: 80 }, (_, i) => ({
      client_id: TEST_CLIENT_ID,
      name: `group-number-${i}`,
    }))
    script.profile = () => Promise.resolve({ ...jane, groups })
    const res = await get('/login?code=c')
    expect(res.statusCode).toBe(301)
    const bytes = Buffer.byteLength(String(res.headers['set-cookie']))
    expect(bytes).toBeGreaterThan(4096)
    const warning = logs
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.level === 40)
    // Logged through request.log: the per-request child (made on first use) binds reqId.
    expect(warning).toMatchObject({
      reqId: res.headers['x-request-id'],
      msg: 'session cookie exceeds 4096 bytes; browsers may drop it',
      bytes,
      groups: 80,
    })
  })
})

describe('login CSRF: a login is bound to the browser that started it', () => {
  const bindingOf = (setCookie: unknown): string => {
    const all = Array.isArray(setCookie) ? setCookie : [setCookie]
    const line = all.find((c) => typeof c === 'string' && c.startsWith('tea-login=')) as string
    expect(line).toMatch(BINDING_COOKIE)
    return line.split(';', 1)[0] ?? ''
  }

  it("refuses a browser that reaches /login with an attacker's code and no binding cookie", async () => {
    const { calls } = await setup()
    const res = await get('/login?code=attackers-code&state=%2Fprotected', {
      'user-agent': FIREFOX,
    })
    expect(res.statusCode).toBe(400)
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(res.body).toContain('This login was not started in this browser, or it took too long.')
    expect(res.body).toContain('<a href="http://tea.example/protected">Log in again</a>')
    expect(res.headers['set-cookie']).toBeUndefined()
    expect(calls).toEqual([])
  })

  it('lets a browser that went to EDL from here log in, then removes the binding cookie', async () => {
    const { calls } = await setup()
    const start = await get('/protected', { 'user-agent': FIREFOX })
    expect(start.statusCode).toBe(302)
    expect(start.headers['cache-control']).toBe('no-store')
    const binding = bindingOf(start.headers['set-cookie'])
    const res = await get('/login?code=the-code&state=%2Fprotected', {
      'user-agent': FIREFOX,
      cookie: binding,
    })
    expect(res.statusCode).toBe(301)
    expect(res.headers.location).toBe('http://tea.example/protected')
    const cookies = res.headers['set-cookie'] as string[]
    expect(cookies[0]).toBe('tea-login=; Max-Age=0; Path=/login; HttpOnly; Secure; SameSite=Lax')
    expect(cookies[1]).toMatch(/^asf-urs=/)
    expect(calls.map((c) => c.op)).toEqual(['exchangeCode', 'getProfile'])
  })

  it('refuses a binding cookie issued for another state, or altered, even from a script', async () => {
    const { calls } = await setup()
    const binding = bindingOf(
      (await get('/protected', { 'user-agent': CURL })).headers['set-cookie'],
    )
    const [name, value] = binding.split('=') as [string, string]
    const flipped = `${value.slice(0, -2)}${value.endsWith('AA') ? 'BA' : 'AA'}`
    for (const [state, cookie] of [
      ['%2Fother', binding],
      ['%2Fprotected', `${name}=${flipped}`],
      ['%2Fprotected', `${name}=garbage`],
    ] as const) {
      const res = await get(`/login?code=c&state=${state}`, { 'user-agent': CURL, cookie })
      expect(res.statusCode).toBe(400)
      expect(res.body).toContain('Log in again')
    }
    expect(calls).toEqual([])
  })

  it('binds the login link on / and /logout (no state) too', async () => {
    await setup()
    const root = await get('/', { 'user-agent': FIREFOX })
    const binding = bindingOf(root.headers['set-cookie'])
    expect(root.headers['cache-control']).toBe('no-store')
    const res = await get('/login?code=c', { 'user-agent': FIREFOX, cookie: binding })
    expect([res.statusCode, res.headers.location]).toEqual([301, 'http://tea.example/'])
  })

  it('lets scripts without a cookie jar log in as before (no browser, no CSRF victim)', async () => {
    await setup()
    const res = await get('/login?code=c&state=%2Fprotected', { 'user-agent': CURL })
    expect(res.statusCode).toBe(301)
    expect(res.headers['set-cookie']).toMatch(/^asf-urs=/)
  })

  it('scopes the cookie to the public /login path (stage prefix) without Secure when COOKIE_SECURE=false', async () => {
    await setup({ env: { TEA_PUBLIC_URL: 'https://tea.example/DEV', COOKIE_SECURE: 'false' } })
    const start = await get('/protected', { 'user-agent': FIREFOX })
    expect(start.headers['set-cookie']).toMatch(
      /^tea-login=[\w.-]+; Max-Age=600; Path=\/DEV\/login; HttpOnly; SameSite=Lax$/,
    )
  })
})

describe('security headers', () => {
  const CSP =
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; " +
    "form-action 'none'; frame-ancestors 'none'"

  it('nosniff and no-referrer on every response; CSP and X-Frame-Options on HTML', async () => {
    await setup()
    const responses = {
      json: await get('/version'),
      notFound: await get('/nope'),
      redirect: await get('/protected', { 'user-agent': CURL }),
      html: await get('/', { 'user-agent': FIREFOX }),
      errorPage: await get('/login'),
    }
    for (const res of Object.values(responses)) {
      expect(res.headers['x-content-type-options']).toBe('nosniff')
      expect(res.headers['referrer-policy']).toBe('no-referrer')
      expect(res.headers['strict-transport-security']).toBeUndefined()
    }
    for (const res of [responses.html, responses.errorPage]) {
      expect(res.headers['content-security-policy']).toBe(CSP)
      expect(res.headers['x-frame-options']).toBe('DENY')
    }
    expect(responses.json.headers['content-security-policy']).toBeUndefined()
    expect(responses.html.body).not.toContain('<script')
  })

  it('no-store on every response that sets a cookie, including the /login redirect', async () => {
    await setup()
    const login = await get('/login?code=c&state=%2F', { 'user-agent': CURL })
    expect([login.statusCode, login.headers['cache-control']]).toEqual([301, 'no-store'])
    expect((await get('/version')).headers['cache-control']).toBeUndefined()
  })

  it('HSTS only when TEA_PUBLIC_URL is https', async () => {
    await setup({ env: { TEA_PUBLIC_URL: 'https://tea.example' } })
    expect((await get('/version')).headers['strict-transport-security']).toBe('max-age=63072000')
    expect((await get('/nope')).headers['strict-transport-security']).toBe('max-age=63072000')
    await app?.close()
    await setup({ env: { TEA_PUBLIC_URL: 'http://tea.example' } })
    expect((await get('/version')).headers['strict-transport-security']).toBeUndefined()
  })
})
