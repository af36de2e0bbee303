import { createServer } from 'node:http'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startEdlEmulator } from '@tea-ts/edl-emulator'
import type { RunningEdlEmulator } from '@tea-ts/edl-emulator'
import { buildDeps, startServer } from '@tea-ts/server'
import type { Config, RunningServer } from '@tea-ts/server'

import { startFaultProxy } from './helpers/fault-proxy.js'
import { recordSecrets } from './log-audit/log-capture.js'
import type { Fault, FaultProxy } from './helpers/fault-proxy.js'
import { readS3Env } from './helpers/s3-env.js'
import {
  TEST_CLIENT_ID,
  TEST_CLIENT_PASSWORD,
  demoMap,
  EMULATOR_ALICE,
  logCapture,
  sessionCookie,
  s3CredentialsConfig,
  user,
  createStsRoleVendor,
} from '@tea-ts/server/testing'

/**
 * Fault injection with real processes: the server listens on a real port, and every upstream
 * (radosgw STS, the EDL emulator's API, its key set, a blacklist server) sits behind its own
 * fault proxy on a real port. For each fault: the exact status, that no request waits longer
 * than UPSTREAM_TIMEOUT_SECONDS (plus scheduling slack), recovery once the upstream is back,
 * and no unhandled rejection. Needs the local S3 stack in the environment.
 */

const s3 = readS3Env()
const TIMEOUT_S = 1.5
/** What a request may take beyond the timeout: loopback, a loaded 2-core machine, GC. */
const SLACK_MS = 1_000
const LIMIT_MS = TIMEOUT_S * 1000 + SLACK_MS
const CURL = 'curl/8.5.0'

const THROTTLING_XML =
  '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>' +
  '<Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r1</RequestId></ErrorResponse>'
const INTERNAL_XML =
  '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Receiver</Type>' +
  '<Code>InternalFailure</Code><Message>internal</Message></Error><RequestId>r2</RequestId></ErrorResponse>'

const unhandled: unknown[] = []
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason)
}

let edl: RunningEdlEmulator
let blacklistServer: Server
let revoked: Record<string, number> = {}
let proxies: { sts: FaultProxy; edl: FaultProxy; jwks: FaultProxy; blacklist: FaultProxy }

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled)
  edl = await startEdlEmulator({
    config: {
      users: [EMULATOR_ALICE],
      apps: [{ client_id: TEST_CLIENT_ID, password: TEST_CLIENT_PASSWORD }],
    },
  })
  blacklistServer = createServer((_req, res) => {
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ blacklist: revoked }))
  })
  await new Promise<void>((resolve) => blacklistServer.listen(0, '127.0.0.1', resolve))
  const blacklistUrl = `http://127.0.0.1:${(blacklistServer.address() as AddressInfo).port}`
  proxies = {
    sts: await startFaultProxy(s3.endpoint),
    edl: await startFaultProxy(edl.url),
    jwks: await startFaultProxy(edl.url),
    blacklist: await startFaultProxy(blacklistUrl),
  }
})

afterAll(async () => {
  await Promise.all(Object.values(proxies ?? {}).map((p) => p.close()))
  await new Promise((resolve) => blacklistServer?.close(resolve))
  await edl?.close()
  process.off('unhandledRejection', onUnhandled)
})

interface Stack {
  readonly server: RunningServer
  readonly config: Config
  readonly logs: ReturnType<typeof logCapture>
  /** GET `path` with a fresh app-name (no single-flight sharing); resolves with the time taken. */
  get(
    path: string,
    headers: Record<string, string>,
  ): Promise<{ status: number; headers: Headers; body: string; ms: number }>
  cookie(): Promise<string>
}

let stack: Stack | undefined
let request = 0

/** The server as `tea serve` builds it (buildDeps), with STS and EDL behind the proxies. */
async function startStack(): Promise<Stack> {
  const config = await s3CredentialsConfig({
    AUTH_BASE_URL: proxies.edl.url,
    EDL_JWKS_URL: `${proxies.jwks.url}/.well-known/edl_ops_jwks.json`,
    BLACKLIST_ENDPOINT: `${proxies.blacklist.url}/blacklist`,
    UPSTREAM_TIMEOUT_SECONDS: String(TIMEOUT_S),
    EGRESS_APP_DOWNLOAD_ROLE_INREGION_ARN: s3.roleArn,
    S3_CREDENTIALS_RATE_LIMIT: '0',
  })
  const logs = logCapture()
  const server = await startServer({
    config,
    deps: {
      ...buildDeps(config),
      // What buildDeps builds from the AWS environment, pointed at the proxy instead.
      roles: createStsRoleVendor({
        endpoint: proxies.sts.url,
        region: s3.region,
        credentials: s3.user,
        timeoutMs: config.upstreamTimeoutMs,
      }),
      bucketMap: demoMap(),
      log: { stream: logs.stream, level: 'info' },
    },
    port: 0,
  })
  return {
    server,
    config,
    logs,
    async get(path, headers) {
      const started = performance.now()
      const res = await fetch(`${server.url}${path}`, {
        headers: { 'user-agent': CURL, 'app-name': `fault${++request}`, ...headers },
        redirect: 'manual',
      })
      const body = await res.text()
      return { status: res.status, headers: res.headers, body, ms: performance.now() - started }
    },
    cookie: () => sessionCookie(config, user('alice', ['science'])),
  }
}

afterEach(async () => {
  await stack?.server.close()
  stack = undefined
  for (const p of Object.values(proxies)) await p.set({ kind: 'pass' })
})

async function bearer(): Promise<Record<string, string>> {
  const token = await edl.issueUserToken('alice')
  recordSecrets(token) // for the log audit at the end of npm test
  return { authorization: `Bearer ${token}` }
}

function codeOf(body: string): unknown {
  return (JSON.parse(body) as { code?: unknown }).code
}

describe('STS faults: 503 with Retry-After, within the timeout, then recovery', () => {
  const cases: [string, Fault, string][] = [
    ['slow (5 s)', { kind: 'delay', ms: 5_000 }, '5'],
    [
      'throttling',
      { kind: 'answer', status: 400, body: THROTTLING_XML, contentType: 'text/xml' },
      '2',
    ],
    ['500', { kind: 'answer', status: 500, body: INTERNAL_XML, contentType: 'text/xml' }, '2'],
    ['connection reset', { kind: 'reset' }, '5'],
    ['unreachable', { kind: 'down' }, '5'],
  ]
  it.each(cases)('%s', async (_name, fault, retryAfter) => {
    stack = await startStack()
    const cookie = await stack.cookie()
    expect((await stack.get('/s3credentials', { cookie })).status).toBe(200)

    await proxies.sts.set(fault)
    const failed = await stack.get('/s3credentials', { cookie })
    expect({ status: failed.status, code: codeOf(failed.body) }).toEqual({
      status: 503,
      code: 'ERR_UPSTREAM_THROTTLED',
    })
    expect(failed.headers.get('retry-after')).toBe(retryAfter)
    expect(failed.ms).toBeLessThan(LIMIT_MS)

    await proxies.sts.set({ kind: 'pass' })
    const back = await stack.get('/s3credentials', { cookie })
    expect(back.status).toBe(200)
    expect(JSON.parse(back.body)).toMatchObject({ accessKeyId: expect.any(String) as unknown })
  })
})

describe('EDL faults: bearer callers get a mapped error in time, cookie users keep getting credentials', () => {
  const cases: [string, Fault, number, string | undefined][] = [
    ['slow (5 s)', { kind: 'delay', ms: 5_000 }, 504, 'ERR_UPSTREAM_TIMEOUT'],
    [
      '5xx',
      {
        kind: 'answer',
        status: 503,
        body: '{"error":"unavailable"}',
        contentType: 'application/json',
      },
      // TEA passes EDL's own status and JSON through to scripts.
      503,
      undefined,
    ],
    [
      'not JSON',
      { kind: 'answer', status: 200, body: '<html>maintenance</html>', contentType: 'text/html' },
      502,
      'ERR_UPSTREAM_FAILED',
    ],
    ['unreachable', { kind: 'down' }, 502, 'ERR_UPSTREAM_FAILED'],
  ]
  it.each(cases)('%s', async (_name, fault, status, code) => {
    stack = await startStack()
    const cookie = await stack.cookie()
    // Warm the key set: this is about EDL's API, not its keys.
    expect((await stack.get('/s3credentials', await bearer())).status).toBe(200)

    await proxies.edl.set(fault)
    const failed = await stack.get('/s3credentials', await bearer())
    expect({ status: failed.status, code: codeOf(failed.body) }).toEqual({ status, code })
    if (code === undefined) expect(JSON.parse(failed.body)).toEqual({ error: 'unavailable' })
    expect(failed.ms).toBeLessThan(LIMIT_MS)
    const viaCookie = await stack.get('/s3credentials', { cookie })
    expect(viaCookie.status).toBe(200)
    expect(viaCookie.ms).toBeLessThan(LIMIT_MS)
    // A login callback during the outage is TEA's error page, not a 5xx.
    const login = await stack.get('/login?code=abc&state=%2Fprofile', {})
    expect(login.status).toBe(400)
    expect(login.ms).toBeLessThan(LIMIT_MS)

    await proxies.edl.set({ kind: 'pass' })
    expect((await stack.get('/s3credentials', await bearer())).status).toBe(200)
  })
})

describe('JWKS faults', () => {
  it('unreachable at start: bearer gets 502 at once, cookies work, and bearer recovers', async () => {
    await proxies.jwks.set({ kind: 'down' })
    stack = await startStack()
    const failed = await stack.get('/s3credentials', await bearer())
    expect({ status: failed.status, code: codeOf(failed.body) }).toEqual({
      status: 502,
      code: 'ERR_UPSTREAM_FAILED',
    })
    expect(failed.ms).toBeLessThan(LIMIT_MS)
    expect((await stack.get('/s3credentials', { cookie: await stack.cookie() })).status).toBe(200)

    await proxies.jwks.set({ kind: 'pass' })
    expect((await stack.get('/s3credentials', await bearer())).status).toBe(200)
  })

  it('slow at start: bearer gets 504 within the timeout', async () => {
    await proxies.jwks.set({ kind: 'delay', ms: 5_000 })
    stack = await startStack()
    const failed = await stack.get('/s3credentials', await bearer())
    expect({ status: failed.status, code: codeOf(failed.body) }).toEqual({
      status: 504,
      code: 'ERR_UPSTREAM_TIMEOUT',
    })
    expect(failed.ms).toBeLessThan(LIMIT_MS)
    await proxies.jwks.set({ kind: 'pass' })
    expect((await stack.get('/s3credentials', await bearer())).status).toBe(200)
  })

  it('unreachable later: the cached keys keep verifying new tokens', async () => {
    stack = await startStack()
    expect((await stack.get('/s3credentials', await bearer())).status).toBe(200)
    await proxies.jwks.set({ kind: 'down' })
    const res = await stack.get('/s3credentials', await bearer())
    expect(res.status).toBe(200)
    expect(res.ms).toBeLessThan(LIMIT_MS)
  })
})

describe('blacklist endpoint faults: cookie users are served, and the failure is logged', () => {
  const cases: [string, Fault][] = [
    ['down', { kind: 'down' }],
    ['slow (5 s)', { kind: 'delay', ms: 5_000 }],
    ['5xx', { kind: 'answer', status: 500, body: 'oops', contentType: 'text/plain' }],
  ]
  it.each(cases)('%s', async (_name, fault) => {
    await proxies.blacklist.set(fault)
    stack = await startStack()
    const res = await stack.get('/s3credentials', { cookie: await stack.cookie() })
    expect(res.status).toBe(200)
    expect(res.ms).toBeLessThan(LIMIT_MS)
    expect(stack.logs.lines.map((l) => l.msg)).toContain(
      'blacklist unavailable; treating it as empty',
    )
  })

  it('revokes when it is up (the control for the cases above)', async () => {
    stack = await startStack()
    const cookie = await stack.cookie()
    revoked = { alice: Math.floor(Date.now() / 1000) + 60 }
    try {
      // Revoked: no session, so a script is sent to EDL.
      expect((await stack.get('/s3credentials', { cookie })).status).toBe(302)
    } finally {
      revoked = {}
    }
  })
})

describe('no unhandled rejection', () => {
  it('none was raised by any fault above', async () => {
    // Timers of abandoned upstream calls fire after their request ended: let them.
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(unhandled).toEqual([])
  })
})
