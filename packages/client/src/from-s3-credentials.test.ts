import { mkdtempSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { S3CredentialsError } from './errors.js'
import { fromS3Credentials } from './from-s3-credentials.js'
import type { FromS3CredentialsOptions } from './resolve-options.js'
import { fakeJwt } from './testing/fake-jwt.js'
import { sendJson, startFakeHttpServer, teaCredentials } from './testing/fake-http-server.js'
import type { FakeHttpServer } from './testing/fake-http-server.js'

const SERVER_NOW = Date.parse('2030-06-01T12:00:00Z')
const HOUR = 3_600_000
const TOKEN = fakeJwt({ uid: 'alice', exp: SERVER_NOW / 1000 + 86_400 })
const EMPTY_HOME = mkdtempSync(join(tmpdir(), 'tea-client-home-'))

type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void | Promise<void>
let server: FakeHttpServer
let handler: Handler
let sleeps: number[]

/** TEA's success answer: a Date header and a 1 h expiration, both on the server's clock. */
const ok =
  (n = 1): Handler =>
  (_req, res) =>
    sendJson(res, 200, teaCredentials(n, SERVER_NOW + HOUR), {
      date: new Date(SERVER_NOW).toUTCString(),
      'cache-control': 'no-store',
    })

beforeAll(async () => {
  server = await startFakeHttpServer((req, res, n) => handler(req, res, n))
})
afterAll(() => server.close())
beforeEach(() => {
  server.requests.length = 0
  sleeps = []
  handler = ok()
})

function provider(options: FromS3CredentialsOptions = {}) {
  return fromS3Credentials({
    endpoint: `${server.url}/s3credentials`,
    token: TOKEN,
    env: {},
    homeDir: EMPTY_HOME,
    now: () => SERVER_NOW,
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(Math.round(ms))
    },
    ...options,
  })
}

async function failure(options: FromS3CredentialsOptions = {}): Promise<S3CredentialsError> {
  const err: unknown = await provider(options)().then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(S3CredentialsError)
  return err as S3CredentialsError
}

describe('fromS3Credentials against a TEA-like endpoint', () => {
  it('sends one GET with the bearer token and app-name, and returns an SDK identity', async () => {
    const creds = await provider({ appName: 'my-pipeline' })()
    expect(server.requests).toHaveLength(1)
    const [seen] = server.requests
    expect(seen?.method).toBe('GET')
    expect(seen?.url).toBe('/s3credentials')
    expect(seen?.headers.authorization).toBe(`Bearer ${TOKEN}`)
    expect(seen?.headers['app-name']).toBe('my-pipeline')
    expect(seen?.headers.accept).toBe('application/json')
    expect(creds).toEqual({
      accessKeyId: 'ASIAFAKE0001',
      secretAccessKey: 'secret-1-wJalrXUtnFEMIK7MDENGbPxRfiCY',
      sessionToken: 'session-1-FwoGZXIvYXdzEXAMPLE',
      expiration: new Date(SERVER_NOW + HOUR),
    })
  })

  it('omits app-name when none is configured', async () => {
    await provider()()
    expect(server.requests[0]?.headers['app-name']).toBeUndefined()
  })

  it('moves the expiry onto a local clock that runs 7 minutes slow', async () => {
    const local = SERVER_NOW - 7 * 60_000
    const creds = await provider({ now: () => local })()
    expect(creds.expiration).toEqual(new Date(local + HOUR))
  })

  it('caches: 100 calls, one fetch; forceRefresh fetches again', async () => {
    const p = provider()
    await Promise.all(Array.from({ length: 100 }, () => p()))
    expect(server.requests).toHaveLength(1)
    handler = ok(2)
    expect((await p.forceRefresh()).accessKeyId).toBe('ASIAFAKE0002')
    expect((await p({ forceRefresh: true })).accessKeyId).toBe('ASIAFAKE0002')
    expect(server.requests).toHaveLength(3)
    expect((await p()).accessKeyId).toBe('ASIAFAKE0002')
    expect(server.requests).toHaveLength(3)
  })

  it('is marked memoized so the AWS SDK does not wrap it in its own 5-minute memoize', () => {
    expect((provider() as unknown as { memoized: unknown }).memoized).toBe(true)
  })

  it('does not follow a redirect to EDL: it is an auth error that says what to do', async () => {
    handler = (_req, res) => {
      res.writeHead(302, {
        location: `${server.url}/oauth/authorize?client_id=x&response_type=code&app_type=401`,
      })
      res.end()
    }
    const err = await failure({ token: 'opaque-token-value' })
    expect(server.requests.map((r) => r.url)).toEqual(['/s3credentials'])
    expect(err.code).toBe('ERR_UNAUTHENTICATED')
    expect(err.status).toBe(302)
    expect(err.message).toBe(
      `The credentials endpoint ${server.url}/s3credentials did not accept the Earthdata Login ` +
        `token from the token option: it redirected (302) to ${server.url.slice(7)}, i.e. to a login. ` +
        'Use a valid EDL user token (EARTHDATA_TOKEN), or EARTHDATA_USERNAME and ' +
        'EARTHDATA_PASSWORD, or a "machine urs.earthdata.nasa.gov" entry in ~/.netrc.',
    )
  })

  it('says when the token itself has expired', async () => {
    handler = (_req, res) => sendJson(res, 401, { error: 'token_expired' })
    const expired = fakeJwt({ uid: 'alice', exp: SERVER_NOW / 1000 - 60 })
    const err = await failure({ token: expired })
    expect(err.code).toBe('ERR_UNAUTHENTICATED')
    expect(err.message).toContain(
      'it answered 401: token_expired. The token expired at 2030-06-01T11:59:00.000Z.',
    )
  })

  it('maps a 403 with resolution_url to ERR_EULA_NOT_ACCEPTED and shows the URL', async () => {
    const url = 'https://urs.earthdata.nasa.gov/approve_app?client_id=abc'
    handler = (_req, res) =>
      sendJson(res, 403, {
        error: 'invalid_token',
        status_code: 403,
        error_description: 'EULA Acceptance Failure',
        resolution_url: url,
      })
    const err = await failure()
    expect(err.code).toBe('ERR_EULA_NOT_ACCEPTED')
    expect(err.status).toBe(403)
    expect((err as unknown as { resolutionUrl: string }).resolutionUrl).toBe(url)
    expect(err.message).toBe(
      `EULA Acceptance Failure: Earthdata Login requires accepting an application's EULA before ` +
        `credentials are vended by ${server.url}/s3credentials. Accept it at ${url} and try again.`,
    )
  })

  const matrix: [string, Handler, string, RegExp][] = [
    [
      'a 401',
      (_q, s) => sendJson(s, 401, {}),
      'ERR_UNAUTHENTICATED',
      /did not accept .* it answered 401\./,
    ],
    [
      'a 200 HTML login page',
      (_q, s) => {
        s.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        s.end('<!DOCTYPE html><html><body><form action="/login">')
      },
      'ERR_UNAUTHENTICATED',
      /it answered with an HTML page \(a login page\?\) instead of JSON\./,
    ],
    [
      'a 403 without a EULA link',
      (_q, s) => {
        s.writeHead(403, { 'content-type': 'text/html' })
        s.end('<html>You do not have permission to access any data.</html>')
      },
      'ERR_FORBIDDEN',
      /^The credentials endpoint \S+ refused access \(403\): the EDL user may have no data permission$/,
    ],
    [
      'a 400 for a bad app-name',
      (_q, s) =>
        sendJson(s, 400, {
          statusCode: 400,
          code: 'ERR_INVALID_APP_NAME',
          message: 'bad app-name',
        }),
      'ERR_CONFIG',
      /^The credentials endpoint \S+ rejected the request \(400\): bad app-name; check the endpoint URL$/,
    ],
    [
      'a 404',
      (_q, s) => sendJson(s, 404, { message: 'File not found' }),
      'ERR_CONFIG',
      /rejected the request \(404\): File not found; check the endpoint URL$/,
    ],
    [
      'a 200 that is not JSON',
      (_q, s) => {
        s.writeHead(200, { 'content-type': 'application/json' })
        s.end('{"accessKeyId": ')
      },
      'ERR_INVALID_RESPONSE',
      /answered 200 with a body that is not JSON$/,
    ],
    [
      'a 200 in the AWS container shape',
      (_q, s) => sendJson(s, 200, { AccessKeyId: 'a', SecretAccessKey: 'b', Token: 'c' }),
      'ERR_INVALID_RESPONSE',
      /"accessKeyId" is missing or not a string/,
    ],
    [
      'an unexpected 204',
      (_q, s) => {
        s.writeHead(204)
        s.end()
      },
      'ERR_INVALID_RESPONSE',
      /answered an unexpected 204$/,
    ],
  ]
  it.each(matrix)('maps %s', async (_name, answer, code, message) => {
    handler = answer
    const err = await failure()
    expect(err.code).toBe(code)
    expect(err.message).toMatch(message)
    expect(server.requests).toHaveLength(1) // none of these is retried
  })

  it('retries 5xx and 429 with backoff and succeeds', async () => {
    handler = (req, res, n) => {
      if (n === 0) return sendJson(res, 500, { message: 'boom' })
      if (n === 1) return sendJson(res, 429, {}, { 'retry-after': '2' })
      if (n === 2) return sendJson(res, 502, {})
      return ok()(req, res, n)
    }
    expect((await provider()()).accessKeyId).toBe('ASIAFAKE0001')
    expect(server.requests).toHaveLength(4)
    expect(sleeps).toEqual([125, 2000, 500]) // random 0.5 of 250, 500, 1000; Retry-After 2 s wins
  })

  it('gives up after maxAttempts with ERR_UNAVAILABLE', async () => {
    handler = (_q, s) =>
      sendJson(s, 503, { code: 'ERR_UPSTREAM_THROTTLED', message: 'STS is throttling' })
    const err = await failure()
    expect(server.requests).toHaveLength(4)
    expect(err.code).toBe('ERR_UNAVAILABLE')
    expect(err.status).toBe(503)
    expect(err.message).toBe(
      `The credentials endpoint ${server.url}/s3credentials answered 503: STS is throttling ` +
        '(gave up after 4 attempts)',
    )
  })

  it('does not stall on a long Retry-After', async () => {
    handler = (_q, s) => sendJson(s, 503, {}, { 'retry-after': '120' })
    const err = await failure()
    expect(server.requests).toHaveLength(1)
    expect(err.message).toMatch(/answered 503 \(server asked to wait 120 s after 1 attempt\)$/)
  })

  it('retries network errors and reports the system error code', async () => {
    const closed = await startFakeHttpServer(() => {})
    await closed.close()
    const err = await failure({ endpoint: `${closed.url}/s3credentials` })
    expect(err.code).toBe('ERR_UNAVAILABLE')
    expect(err.message).toBe(
      `The credentials endpoint ${closed.url}/s3credentials could not be reached: ECONNREFUSED ` +
        '(gave up after 4 attempts)',
    )
    expect(sleeps).toHaveLength(3)
  })

  it('times out a silent server', async () => {
    handler = () => {} // never answers
    const err = await failure({ timeoutMs: 100, maxAttempts: 2 })
    expect(err.code).toBe('ERR_TIMEOUT')
    expect(err.message).toBe(
      `The credentials endpoint ${server.url}/s3credentials did not answer within 100 ms ` +
        '(gave up after 2 attempts)',
    )
    expect(server.requests).toHaveLength(2)
  })

  it('after a 401, retries once with a renewed token from a token function', async () => {
    const tokens = ['first-token', 'second-token']
    let calls = 0
    handler = (req, res, n) =>
      req.headers.authorization === 'Bearer second-token'
        ? ok()(req, res, n)
        : sendJson(res, 401, {})
    const creds = await provider({ token: async () => tokens[calls++] ?? 'none' })()
    expect(creds.accessKeyId).toBe('ASIAFAKE0001')
    expect(server.requests.map((r) => r.headers.authorization)).toEqual([
      'Bearer first-token',
      'Bearer second-token',
    ])
  })

  it('does not loop when the token function keeps returning the refused token', async () => {
    handler = (_q, s) => sendJson(s, 401, {})
    const err = await failure({ token: async () => 'same-token' })
    expect(err.code).toBe('ERR_UNAUTHENTICATED')
    expect(server.requests).toHaveLength(1)
  })

  it('never puts the token, password or secrets in a message', async () => {
    const answers: Handler[] = [
      (q, s) => sendJson(s, 400, { error_description: `bad ${q.headers.authorization}` }),
      (q, s) => sendJson(s, 401, { error: String(q.headers.authorization) }),
      (q, s) => sendJson(s, 403, { message: `token ${q.headers.authorization} refused` }),
      (q, s) =>
        sendJson(s, 403, { error: String(q.headers.authorization), resolution_url: 'https://x/y' }),
      (q, s) => sendJson(s, 503, { message: String(q.headers.authorization) }),
      (_q, s) => sendJson(s, 200, { ...teaCredentials(1, SERVER_NOW + HOUR), expiration: 'never' }),
    ]
    for (const answer of answers) {
      handler = answer
      for (const token of [TOKEN, 'EDL-opaque-secret-token']) {
        const err = await failure({ token })
        const text = `${err.message} ${String(err)} ${JSON.stringify(err)}`
        expect(text).not.toContain(token)
        expect(text).not.toContain(TOKEN.split('.')[1])
        expect(text).not.toContain('wJalrXUtnFEMIK7MDENGbPxRfiCY')
        expect(text).not.toContain('FwoGZXIvYXdz')
      }
    }
  })
})
