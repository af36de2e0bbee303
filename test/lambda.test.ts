import type { Context } from 'aws-lambda'
import type { FastifyInstance, FastifyPluginAsync } from 'fastify'
import { SignJWT, exportJWK, generateKeyPair } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp, createLambdaHandler } from '@tea-ts/server'
import type { AppDeps, Config, EdlClient, LambdaResult } from '@tea-ts/server'
import { CURL, configFor } from './fixtures/login-harness.js'
import { v1Event, v2Event } from './helpers/apigw-events.js'
import type { Request } from './helpers/apigw-events.js'
import { serverLog } from './log-audit/log-capture.js'

/**
 * The Lambda handler fed API Gateway REST (v1), HTTP API (v2) and Function URL events gives
 * what the Node server gives for the same requests: status, Location, Set-Cookie, body.
 */

const NOW = 1_700_000_000_000
const context = (awsRequestId: string) =>
  ({ awsRequestId, functionName: 'tea' }) as unknown as Context

let edlKeys: Awaited<ReturnType<typeof generateKeyPair>>
let jwks: unknown
const edlToken = () =>
  new SignJWT({ type: 'User', uid: 'demo', exp: NOW / 1000 + 3600, iat: NOW / 1000 })
    .setProtectedHeader({ typ: 'JWT', sig: 'edljwtpubkey_ops', alg: 'RS256' })
    .sign(edlKeys.privateKey)

const edl: EdlClient = {
  exchangeCode: async () => ({ accessToken: 'user-token', userId: 'demo' }),
  getProfile: async () => ({
    uid: 'demo',
    firstName: 'Demo',
    lastName: 'User',
    email: 'demo@example.com',
    groups: [],
  }),
  getAppToken: async () => 'app-token',
}
const deps = (): AppDeps => ({
  edl,
  roles: { assumeRole: () => Promise.reject(new Error('unused')) },
  fetch: (async () => Response.json(jwks)) as typeof globalThis.fetch,
  now: () => NOW,
  log: serverLog('lambda'),
})

/** Test-only routes: who is logged in, and one that adds a second Set-Cookie to the bearer's. */
const testRoutes: FastifyPluginAsync = async (app) => {
  app.get('/protected', { preHandler: app.requireUser }, async (request) => ({
    user: request.user?.userId,
  }))
  app.get('/two-cookies', { preHandler: app.requireUser }, async (_request, reply) => {
    void reply.header('set-cookie', 'second=1; Path=/')
    return { ok: true }
  })
}

/** The login-binding cookie carries a random nonce; compare everything else about it. */
const maskBinding = (cookies: string[]): string[] =>
  cookies.map((c) => c.replace(/^tea-login=[^;]+/, 'tea-login=<nonce>'))

/** What we compare: status, the headers that matter, every Set-Cookie, the body. */
function fromLambda(result: LambdaResult) {
  const headers = Object.fromEntries(
    Object.entries(result.headers).map(([k, v]) => [k.toLowerCase(), v]),
  )
  const multi = result.multiValueHeaders?.['set-cookie']
  const single = headers['set-cookie']
  return {
    status: result.statusCode,
    location: headers.location,
    contentType: headers['content-type'],
    cookies: maskBinding(result.cookies ?? multi ?? (single === undefined ? [] : [single])),
    body: result.body,
  }
}

let nodeApp: FastifyInstance
let config: Config

async function fromNode(request: Request) {
  const url = request.query ? `${request.path}?${new URLSearchParams(request.query)}` : request.path
  const headers: Record<string, string> = {
    host: 'data.example',
    'user-agent': CURL,
    ...request.headers,
  }
  if (request.cookies) headers.cookie = request.cookies.join('; ')
  const res = await nodeApp.inject({ method: 'GET', url, headers })
  const setCookie = res.headers['set-cookie']
  return {
    status: res.statusCode,
    location: res.headers.location,
    contentType: res.headers['content-type'],
    cookies: maskBinding(
      setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [setCookie],
    ),
    body: res.body,
  }
}

beforeAll(async () => {
  edlKeys = await generateKeyPair('RS256')
  jwks = {
    keys: [{ ...(await exportJWK(edlKeys.publicKey)), kid: 'edljwtpubkey_ops', alg: 'RS256' }],
  }
  // With DOMAIN_NAME both runtimes build the same base URL, so their answers must be identical.
  config = await configFor('https://edl.example', {
    DOMAIN_NAME: 'data.example',
    STAGE_NAME: 'DEV',
  })
  nodeApp = await buildApp(config, deps(), { plugins: [testRoutes] })
})
afterAll(async () => {
  await nodeApp.close()
})

describe('Lambda handler = Node server', () => {
  let sessionCookie = ''
  const login: Request = { path: '/login', query: { code: 'the-code', state: '/protected' } }

  it('GET /login: 301, Location and the session cookie, from v1, v2 and Function URL events', async () => {
    const handler = createLambdaHandler({
      loadConfig: async () => config,
      deps,
      plugins: [testRoutes],
    })
    const node = await fromNode(login)
    expect(node).toMatchObject({
      status: 301,
      location: 'https://data.example/protected',
      body: '',
    })
    expect(node.cookies).toHaveLength(1)
    sessionCookie = (node.cookies[0] ?? '').split(';')[0] ?? ''
    const v1 = await handler(v1Event(login), context('req-v1'))
    expect(fromLambda(v1)).toEqual(node)
    expect(v1.headers['set-cookie']).toBe(node.cookies[0])
    const v2 = await handler(v2Event(login), context('req-v2'))
    expect(fromLambda(v2)).toEqual(node)
    expect(v2.cookies).toEqual(node.cookies)
    expect(v2.headers['set-cookie']).toBeUndefined()
    expect(
      fromLambda(await handler(v2Event(login, 'function-url-event.json'), context('req-url'))),
    ).toEqual(node)
  })

  it('a protected route: 302 to EDL without a cookie, 200 with it (v2 sends cookies apart)', async () => {
    const handler = createLambdaHandler({
      loadConfig: async () => config,
      deps,
      plugins: [testRoutes],
    })
    const anonymous: Request = { path: '/protected' }
    const node = await fromNode(anonymous)
    expect(node.status).toBe(302)
    expect(node.location).toBe(
      'https://edl.example/oauth/authorize?client_id=tea-test-client&response_type=code&redirect_uri=https%3A%2F%2Fdata.example%2Flogin&state=%2Fprotected&app_type=401',
    )
    expect(fromLambda(await handler(v1Event(anonymous), context('a')))).toEqual(node)
    expect(fromLambda(await handler(v2Event(anonymous), context('b')))).toEqual(node)

    const withCookie: Request = { path: '/protected', cookies: ['other=1', sessionCookie] }
    const ok = await fromNode(withCookie)
    expect(ok).toMatchObject({ status: 200, body: '{"user":"demo"}' })
    expect(fromLambda(await handler(v1Event(withCookie), context('c')))).toEqual(ok)
    expect(fromLambda(await handler(v2Event(withCookie), context('d')))).toEqual(ok)
  })

  it('several Set-Cookies: multiValueHeaders for v1, the cookies array for v2', async () => {
    const handler = createLambdaHandler({
      loadConfig: async () => config,
      deps,
      plugins: [testRoutes],
    })
    const request: Request = {
      path: '/two-cookies',
      headers: { Authorization: `Bearer ${await edlToken()}` },
    }
    const node = await fromNode(request)
    expect(node.status).toBe(200)
    expect(node.cookies).toHaveLength(2)
    expect(node.cookies[1]).toBe('second=1; Path=/')
    const v1 = await handler(v1Event(request), context('e'))
    expect(v1.multiValueHeaders?.['set-cookie']).toEqual(node.cookies)
    expect(v1.headers['set-cookie']).toBeUndefined()
    expect(fromLambda(v1)).toEqual(node)
    const v2 = await handler(v2Event(request), context('f'))
    expect(v2.cookies).toEqual(node.cookies)
    expect(fromLambda(v2)).toEqual(node)
  })
})

describe('Lambda specifics', () => {
  it('uses the Lambda request id as x-request-id; a client cannot set it', async () => {
    const handler = createLambdaHandler({ loadConfig: async () => config, deps })
    const forged = {
      'x-tea-lambda-request-id': 'forged',
      'X-Request-Id': 'also-forged',
      'x-origin-request-id': 'trace-1',
    }
    const v1 = await handler(
      v1Event({ path: '/version', headers: forged }),
      context('8d1b5e0c-aws'),
    )
    expect(v1.headers['x-request-id']).toBe('8d1b5e0c-aws')
    expect(v1.headers['x-origin-request-id']).toBe('trace-1')
    const v2 = await handler(
      v2Event({ path: '/version', headers: forged }),
      context('9e2c6f1d-aws'),
    )
    expect(v2.headers['x-request-id']).toBe('9e2c6f1d-aws')
  })

  it("builds TEA's base URL from API Gateway without DOMAIN_NAME: https://{domainName}/{stage}/", async () => {
    const plain = await configFor('https://edl.example')
    const handler = createLambdaHandler({
      loadConfig: async () => plain,
      deps,
      plugins: [testRoutes],
    })
    const v1 = await handler(v1Event({ path: '/protected' }), context('g'))
    expect(v1.headers.location).toBe(
      'https://edl.example/oauth/authorize?client_id=tea-test-client&response_type=code' +
        '&redirect_uri=https%3A%2F%2Fabc123def4.execute-api.us-west-2.amazonaws.com%2FDEV%2Flogin&state=%2FDEV%2Fprotected&app_type=401',
    )
    const staged = await handler(
      v2Event({ path: '/protected' }, 'apigw-v2-event.json', 'DEV'),
      context('h'),
    )
    expect(staged.headers.location).toContain(
      'redirect_uri=https%3A%2F%2Fxyz789ghi0.execute-api.us-west-2.amazonaws.com%2FDEV%2Flogin&state=%2FDEV%2Fprotected&',
    )
    const url = await handler(
      v2Event({ path: '/protected' }, 'function-url-event.json'),
      context('i'),
    )
    expect(url.headers.location).toContain(
      'redirect_uri=https%3A%2F%2Fabcdefghijklmnopqrstuvwxyz012345.lambda-url.us-west-2.on.aws%2Flogin&state=%2Fprotected&',
    )
    const login = await handler(v1Event({ path: '/login', query: { code: 'c' } }), context('j'))
    expect(login.headers.location).toBe(
      'https://abc123def4.execute-api.us-west-2.amazonaws.com/DEV/',
    )
  })

  it('answers a non-HTTP event with 400 and builds the app once', async () => {
    let loads = 0
    const handler = createLambdaHandler({ loadConfig: async () => (loads++, config), deps })
    const bad = await handler({ Records: [] }, context('k'))
    expect(bad.statusCode).toBe(400)
    expect(JSON.parse(bad.body)).toEqual({
      statusCode: 400,
      code: 'ERR_BAD_REQUEST',
      error: 'Bad Request',
      message: 'Not an API Gateway or Function URL HTTP event',
    })
    await Promise.all([
      handler(v1Event({ path: '/version' }), context('l')),
      handler(v2Event({ path: '/healthz' }), context('m')),
    ])
    await handler(v1Event({ path: '/version' }), context('n'))
    expect(loads).toBe(1)
  })
})
