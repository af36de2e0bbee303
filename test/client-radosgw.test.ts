import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { AssumeRoleCommand } from '@aws-sdk/client-sts'
import { fromS3Credentials, reactiveRefreshPlugin } from '@tea-ts/client'
import type { FromS3CredentialsOptions, RefreshableCredentialsProvider } from '@tea-ts/client'
import type { AwsCredentialIdentity } from '@smithy/types'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { sendJson, startFakeHttpServer, teaExpiration } from '@tea-ts/client/testing'
import type { FakeHttpServer } from '@tea-ts/client/testing'
import { readS3Env, s3ClientFor, stsClientFor, toIdentity } from './helpers/s3-env.js'

// The client against real temporary credentials from radosgw's STS. The /s3credentials
// endpoint here is a stand-in that vends them the way TEA does (Bearer token, app-name, TEA's
// JSON and expiration format, a Date header); the real server is exercised elsewhere.

const env = readS3Env()
const TOKEN = 'EDL-radosgw-test-token'
const KEY = 'client-test/hello.txt'
const HOUR = 3_600_000
const home = mkdtempSync(join(tmpdir(), 'tea-client-home-'))

let tea: FakeHttpServer
let stsEndpoint = env.endpoint
let teaDown = false
let answer403: Record<string, unknown> | undefined
const vended: AwsCredentialIdentity[] = []

beforeAll(async () => {
  await s3ClientFor(env.user).send(
    new PutObjectCommand({ Bucket: env.bucket, Key: KEY, Body: 'hello from radosgw' }),
  )
  tea = await startFakeHttpServer(async (req, res) => {
    if (teaDown) return sendJson(res, 503, { message: 'down for the test' })
    if (answer403) return sendJson(res, 403, answer403)
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return sendJson(res, 401, {})
    const out = await stsClientFor(env.user, stsEndpoint).send(
      new AssumeRoleCommand({
        RoleArn: env.roleArn,
        RoleSessionName: `alice@${String(req.headers['app-name'] ?? '')}`,
        // The short gateway's clock runs behind: 900 s there ends ~120 s from now.
        ...(stsEndpoint === env.endpoint ? {} : { DurationSeconds: 900 }),
      }),
    )
    const creds = toIdentity(out.Credentials)
    vended.push(creds)
    sendJson(
      res,
      200,
      {
        accessKeyId: creds.accessKeyId,
        secretAccessKey: creds.secretAccessKey,
        sessionToken: creds.sessionToken,
        expiration: teaExpiration(creds.expiration?.getTime() ?? 0),
      },
      { date: new Date().toUTCString(), 'cache-control': 'no-store' },
    )
  })
})
afterAll(() => tea.close())
beforeEach(() => {
  tea.requests.length = 0
  vended.length = 0
  stsEndpoint = env.endpoint
  teaDown = false
  answer403 = undefined
})

function setup(options: FromS3CredentialsOptions = {}): {
  s3: S3Client
  credentials: RefreshableCredentialsProvider
} {
  const credentials = fromS3Credentials({
    endpoint: `${tea.url}/s3credentials`,
    token: TOKEN,
    appName: 'radosgw-test',
    env: {},
    homeDir: home,
    sleep: async () => {},
    ...options,
  })
  const s3 = new S3Client({
    endpoint: env.endpoint,
    region: env.region,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    credentials,
  })
  s3.middlewareStack.use(reactiveRefreshPlugin(credentials))
  return { s3, credentials }
}

const read = async (s3: S3Client): Promise<string | undefined> => {
  const out = await s3.send(new GetObjectCommand({ Bucket: env.bucket, Key: KEY }))
  return out.Body?.transformToString()
}

describe('fromS3Credentials with radosgw', () => {
  it('lets an S3Client read objects, fetching credentials once', async () => {
    const { s3 } = setup()
    for (let i = 0; i < 20; i++) expect(await read(s3)).toBe('hello from radosgw')
    expect(tea.requests).toHaveLength(1)
    expect(tea.requests[0]?.headers['app-name']).toBe('radosgw-test')
  })

  it('1000 concurrent S3 calls at the mandatory refresh boundary cause exactly one fetch', async () => {
    const clock = { now: Date.now() }
    const { s3 } = setup({ now: () => clock.now })
    await read(s3)
    clock.now += HOUR - 5 * 60_000 + 31_000 // inside the mandatory window whatever the jitter
    const results = await Promise.allSettled(
      Array.from({ length: 1000 }, () =>
        s3.send(new HeadObjectCommand({ Bucket: env.bucket, Key: KEY })),
      ),
    )
    expect(results.filter((r) => r.status === 'rejected')).toEqual([])
    expect(tea.requests).toHaveLength(2)
  })

  it('1000 concurrent S3 calls at the advisory boundary cause exactly one background fetch', async () => {
    const clock = { now: Date.now() }
    const { s3 } = setup({ now: () => clock.now })
    await read(s3)
    clock.now += HOUR - 15 * 60_000 + 31_000
    const results = await Promise.allSettled(
      Array.from({ length: 1000 }, () =>
        s3.send(new HeadObjectCommand({ Bucket: env.bucket, Key: KEY })),
      ),
    )
    expect(results.filter((r) => r.status === 'rejected')).toEqual([])
    expect(tea.requests).toHaveLength(2)
  })

  it('runs across several credential generations with zero failed S3 calls (injected clock)', async () => {
    const clock = { now: Date.now() }
    const { s3 } = setup({ now: () => clock.now })
    const keys = new Set<string>()
    let failures = 0
    for (let i = 0; i < 60; i++) {
      clock.now += 4 * 60_000 // four fake hours in all
      await read(s3).catch(() => failures++)
      keys.add((await s3.config.credentials()).accessKeyId)
    }
    expect(failures).toBe(0)
    expect(tea.requests.length).toBeGreaterThanOrEqual(5)
    expect(keys.size).toBe(tea.requests.length)
  })

  it('keeps working with the endpoint down in the advisory window, fails at the mandatory one', async () => {
    const clock = { now: Date.now() }
    const warnings: string[] = []
    const { s3 } = setup({ now: () => clock.now, logger: { warn: (m) => warnings.push(m) } })
    await read(s3)
    teaDown = true
    const start = clock.now
    for (let t = HOUR - 15 * 60_000 + 30_000; t < HOUR - 5 * 60_000 - 30_000; t += 20_000) {
      clock.now = start + t
      expect(await read(s3)).toBe('hello from radosgw')
    }
    expect(tea.requests.length).toBeGreaterThan(1)
    expect(warnings[0]).toMatch(
      /^refreshing S3 credentials failed: The credentials endpoint .* answered 503: down for the test \(gave up after 4 attempts\) \(ERR_UNAVAILABLE\); still using credentials/,
    )
    clock.now = start + HOUR - 5 * 60_000 + 30_000
    await expect(read(s3)).rejects.toMatchObject({ code: 'ERR_UNAVAILABLE', status: 503 })
    teaDown = false
    expect(await read(s3)).toBe('hello from radosgw')
  })

  it('surfaces EULA and auth failures through S3Client.send with their codes', async () => {
    answer403 = {
      error_description: 'EULA Acceptance Failure',
      resolution_url: 'https://urs.earthdata.nasa.gov/approve_app?client_id=abc',
    }
    await expect(read(setup().s3)).rejects.toMatchObject({
      name: 'EulaNotAcceptedError',
      code: 'ERR_EULA_NOT_ACCEPTED',
      resolutionUrl: 'https://urs.earthdata.nasa.gov/approve_app?client_id=abc',
    })
    answer403 = undefined
    await expect(read(setup({ token: 'EDL-wrong' }).s3)).rejects.toMatchObject({
      name: 'S3CredentialsAuthError',
      code: 'ERR_UNAUTHENTICATED',
      status: 401,
    })
  })
})

// Real credential expiry (short-lived STS gateway) and aws-cli through `credential_process` are
// exercised end to end against the real server in test/client-e2e.test.ts; repeating them
// against this stand-in would only add minutes.
