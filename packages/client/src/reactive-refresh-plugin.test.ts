import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { mkdtempSync } from 'node:fs'
import type { ServerResponse } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { fromS3Credentials } from './from-s3-credentials.js'
import { isCredentialRejection, reactiveRefreshPlugin } from './reactive-refresh-plugin.js'
import { sendJson, startFakeHttpServer, teaCredentials } from './testing/fake-http-server.js'
import type { FakeHttpServer } from './testing/fake-http-server.js'

const HOUR = 3_600_000

describe('isCredentialRejection', () => {
  const now = Date.parse('2030-01-01T00:00:00Z')
  const valid = { accessKeyId: 'a', secretAccessKey: 'b', expiration: new Date(now + HOUR) }
  const expired = { ...valid, expiration: new Date(now) }
  const err = (name: string, status: number, message = '') =>
    Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } })

  it.each([
    ['ExpiredToken', err('ExpiredToken', 400, 'The provided token has expired.'), valid, true],
    ['ExpiredTokenException', err('ExpiredTokenException', 400), valid, true],
    ['InvalidToken', err('InvalidToken', 400), valid, true],
    ['TokenRefreshRequired', err('TokenRefreshRequired', 400), valid, true],
    [
      'a 403 "token has expired"',
      err('AccessDenied', 403, 'The provided token has expired.'),
      valid,
      true,
    ],
    [
      'a 400 "token has expired"',
      err('BadRequest', 400, 'the provided token has expired'),
      valid,
      true,
    ],
    ['radosgw AccessDenied with expired credentials', err('AccessDenied', 403), expired, true],
    ['AccessDenied with valid credentials', err('AccessDenied', 403), valid, false],
    [
      'AccessDenied without an expiration',
      err('AccessDenied', 403),
      { accessKeyId: 'a', secretAccessKey: 'b' },
      false,
    ],
    ['a 404 with expired credentials', err('NoSuchKey', 404), expired, false],
    ['a 500 "token has expired"', err('InternalError', 500, 'token has expired'), valid, false],
    ['a non-error', 'ExpiredToken', valid, false],
  ])('%s → %s', (_name, e, used, expected) => {
    expect(isCredentialRejection(e, used, now)).toBe(expected)
  })
})

describe('reactiveRefreshPlugin with a real S3Client', () => {
  let tea: FakeHttpServer
  let s3: FakeHttpServer
  let s3Answer: (res: ServerResponse, accessKeyId: string, n: number) => void
  const clock = { now: Date.parse('2030-01-01T00:00:00Z') }
  const home = mkdtempSync(join(tmpdir(), 'tea-client-home-'))
  const keyOf = (authorization: unknown) =>
    /Credential=([^/]+)\//.exec(String(authorization))?.[1] ?? ''

  beforeAll(async () => {
    tea = await startFakeHttpServer((_req, res, n) =>
      sendJson(res, 200, teaCredentials(n + 1, clock.now + HOUR), {
        date: new Date(clock.now).toUTCString(),
      }),
    )
    s3 = await startFakeHttpServer((req, res, n) =>
      s3Answer(res, keyOf(req.headers.authorization), n),
    )
  })
  afterAll(async () => {
    await tea.close()
    await s3.close()
  })
  beforeEach(() => {
    tea.requests.length = 0
    s3.requests.length = 0
  })

  const s3Error = (res: ServerResponse, status: number, code: string, message: string) => {
    res.writeHead(status, { 'content-type': 'application/xml' })
    res.end(
      `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code>` +
        `<Message>${message}</Message><RequestId>r</RequestId></Error>`,
    )
  }
  const s3Ok = (res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '5' })
    res.end('hello')
  }
  /** Answers ExpiredToken to requests signed with `staleKey`, 200 to others. */
  const expiredFor = (staleKey: string) => (res: ServerResponse, accessKeyId: string) =>
    accessKeyId === staleKey
      ? s3Error(res, 400, 'ExpiredToken', 'The provided token has expired.')
      : s3Ok(res)

  function client(pluginNow?: () => number) {
    const credentials = fromS3Credentials({
      endpoint: `${tea.url}/s3credentials`,
      token: 'EDL-test-token',
      env: {},
      homeDir: home,
      now: () => clock.now,
    })
    const c = new S3Client({
      endpoint: s3.url,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    })
    c.middlewareStack.use(reactiveRefreshPlugin(credentials, { now: pluginNow }))
    return c
  }
  const get = async (c: S3Client) => {
    const out = await c.send(new GetObjectCommand({ Bucket: 'b', Key: 'k' }))
    return out.Body?.transformToString()
  }

  it('refreshes once and retries a request S3 answered with ExpiredToken', async () => {
    s3Answer = expiredFor('ASIAFAKE0001')
    expect(await get(client())).toBe('hello')
    expect(tea.requests).toHaveLength(2)
    expect(s3.requests.map((r) => keyOf(r.headers.authorization))).toEqual([
      'ASIAFAKE0001',
      'ASIAFAKE0002',
    ])
  })

  it('retries only once: a second ExpiredToken reaches the caller', async () => {
    s3Answer = (res) => s3Error(res, 400, 'ExpiredToken', 'The provided token has expired.')
    await expect(get(client())).rejects.toMatchObject({
      name: 'ExpiredToken',
      $metadata: { httpStatusCode: 400 },
    })
    expect(s3.requests).toHaveLength(2)
    expect(tea.requests).toHaveLength(2)
  })

  it('does not retry AccessDenied for credentials that are still valid', async () => {
    s3Answer = (res) => s3Error(res, 403, 'AccessDenied', '')
    await expect(get(client())).rejects.toMatchObject({ name: 'AccessDenied' })
    expect(s3.requests).toHaveLength(1)
    expect(tea.requests).toHaveLength(1)
  })

  it("retries AccessDenied (radosgw's answer) when the credentials used had expired", async () => {
    s3Answer = (res, key) =>
      key === 'ASIAFAKE0001' ? s3Error(res, 403, 'AccessDenied', '') : s3Ok(res)
    // The plugin's clock says the first credentials were past their expiry when used.
    expect(await get(client(() => clock.now + 2 * HOUR))).toBe('hello')
    expect(tea.requests).toHaveLength(2)
  })

  it('50 concurrent requests rejected for the same credentials cause one refresh', async () => {
    s3Answer = expiredFor('ASIAFAKE0001')
    const c = client()
    await get(c) // generation 1 rejected, generation 2 fetched
    s3Answer = expiredFor('ASIAFAKE0002')
    const bodies = await Promise.all(Array.from({ length: 50 }, () => get(c)))
    expect(bodies.every((b) => b === 'hello')).toBe(true)
    expect(tea.requests).toHaveLength(3)
  })

  it('is called by the SDK on every operation, so the advisory window is seen', async () => {
    s3Answer = (res) => s3Ok(res)
    const c = client()
    const start = clock.now
    try {
      await get(c)
      await get(c)
      expect(tea.requests).toHaveLength(1)
      clock.now = start + HOUR - 15 * 60_000 + 30_001 // past any jitter of the advisory window
      await get(c) // served from cache, refresh starts in the background
      await new Promise((r) => setTimeout(r, 50))
      expect(tea.requests).toHaveLength(2)
      await get(c)
      expect(keyOf(s3.requests.at(-1)?.headers.authorization)).toBe('ASIAFAKE0002')
    } finally {
      clock.now = start
    }
  })
})
