import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { fromS3Credentials, isCredentialRejection, reactiveRefreshPlugin } from '@tea-ts/client'
import type { FromS3CredentialsOptions, RefreshableCredentialsProvider } from '@tea-ts/client'
import type { AwsCredentialIdentity } from '@smithy/types'
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { TEST_CLIENT_ID } from '@tea-ts/server/testing'
import { startEgressStack } from './helpers/egress-stack.js'
import type { EgressStack } from './helpers/egress-stack.js'
import { readS3Env, s3ClientFor } from './helpers/s3-env.js'

// Issue 5's acceptance against the real egress server: radosgw, the EDL emulator and
// `startServer` on loopback, the provider authenticating with an emulator-issued EDL token.
// Credential fetches are counted at the server (an onRequest hook), STS calls at its vendor.

const env = readS3Env()
const KEY = 'client-e2e/hello.txt'
const BODY = 'hello through the egress server'
const HOUR = 3_600_000
const MIN = 60_000
const repo = resolve(import.meta.dirname, '..')
const home = mkdtempSync(join(tmpdir(), 'tea-client-e2e-home-'))

let stack: EgressStack
let token: string

beforeAll(async () => {
  await s3ClientFor(env.user).send(
    new PutObjectCommand({ Bucket: env.bucket, Key: KEY, Body: BODY }),
  )
  stack = await startEgressStack()
  token = await stack.edl.issueUserToken('alice')
})
afterAll(async () => {
  await stack?.close()
  rmSync(home, { recursive: true, force: true })
})

/** A fake clock for the provider: the real time plus `skew`. S3 signing keeps the real clock. */
function fakeClock(): { now: () => number; advance(ms: number): void } {
  let skew = 0
  return { now: () => Date.now() + skew, advance: (ms) => void (skew += ms) }
}

function setup(
  options: FromS3CredentialsOptions = {},
  on: EgressStack = stack,
): { s3: S3Client; credentials: RefreshableCredentialsProvider } {
  const credentials = fromS3Credentials({
    endpoint: on.endpoint,
    token,
    edlHost: on.edl.url,
    appName: 'client-e2e',
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
  s3.middlewareStack.use(
    reactiveRefreshPlugin(credentials, options.now ? { now: options.now } : {}),
  )
  return { s3, credentials }
}

const expiresAt = (c: AwsCredentialIdentity): number => c.expiration?.getTime() ?? NaN

const read = async (s3: S3Client): Promise<string | undefined> => {
  const out = await s3.send(new GetObjectCommand({ Bucket: env.bucket, Key: KEY }))
  return out.Body?.transformToString()
}

/** Counts since the call: credential requests at the server and its AssumeRole calls. */
function counters(on: EgressStack = stack): { requests(): number; sts(): number } {
  const r0 = on.requests()
  const s0 = on.stsCalls()
  return { requests: () => on.requests() - r0, sts: () => on.stsCalls() - s0 }
}

async function burst(s3: S3Client, n: number): Promise<PromiseSettledResult<unknown>[]> {
  return Promise.allSettled(
    Array.from({ length: n }, () =>
      s3.send(new HeadObjectCommand({ Bucket: env.bucket, Key: KEY })),
    ),
  )
}

describe('fromS3Credentials against the real egress server', () => {
  it('lets an S3Client read objects with one credential fetch for 20 reads', async () => {
    const count = counters()
    const { s3, credentials } = setup()
    const started = Date.now()
    for (let i = 0; i < 20; i++) expect(await read(s3)).toBe(BODY)
    expect(count.requests()).toBe(1)
    // The server's 1-hour credentials (S3_CREDENTIALS_DURATION_SECONDS default), fetched once.
    const expires = expiresAt(await credentials())
    expect(expires - started).toBeGreaterThan(HOUR - 60_000)
    expect(expires - Date.now()).toBeLessThanOrEqual(HOUR + 2_000)
  })

  it('1000 concurrent S3 calls at the mandatory boundary cause exactly one credential fetch', async () => {
    const clock = fakeClock()
    const { s3 } = setup({ now: clock.now })
    await read(s3)
    const count = counters()
    clock.advance(HOUR - 5 * MIN + 31_000) // inside the mandatory window whatever the jitter
    const results = await burst(s3, 1000)
    expect(results.filter((r) => r.status === 'rejected')).toEqual([])
    expect(count.requests()).toBe(1)
    // The server shares an AssumeRole result for 5 s, so the fetch may reuse the last one.
    expect(count.sts()).toBeLessThanOrEqual(1)
  })

  it('1000 concurrent S3 calls at the advisory boundary cause exactly one background fetch', async () => {
    const clock = fakeClock()
    const { s3, credentials } = setup({ now: clock.now })
    await read(s3)
    const before = expiresAt(await credentials())
    const count = counters()
    clock.advance(HOUR - 15 * MIN + 31_000)
    const results = await burst(s3, 1000)
    expect(results.filter((r) => r.status === 'rejected')).toEqual([])
    expect(count.requests()).toBe(1)
    // The background refresh is adopted: a new generation, valid about an hour from (fake) now.
    await vi.waitFor(async () => expect(expiresAt(await credentials())).toBeGreaterThan(before))
  })

  it('runs across several credential generations with zero failed S3 calls (injected clock)', async () => {
    const clock = fakeClock()
    const { s3, credentials } = setup({ now: clock.now })
    const count = counters()
    // A generation is told apart by its expiry: the server may hand out the same keys again
    // when asked twice within its 5 s sharing window, but each fetch sets a new local expiry.
    const generations = new Set<number>()
    let failures = 0
    for (let i = 0; i < 60; i++) {
      clock.advance(4 * MIN) // four fake hours in all
      await read(s3).catch(() => failures++)
      generations.add(expiresAt(await credentials()))
    }
    expect(failures).toBe(0)
    expect(count.requests()).toBeGreaterThanOrEqual(5)
    expect(generations.size).toBe(count.requests())
  })

  it('keeps working with the server stopped in the advisory window; fails in the mandatory one', async () => {
    const clock = fakeClock()
    const warnings: string[] = []
    const { s3 } = setup({ now: clock.now, logger: { warn: (m) => warnings.push(m) } })
    await read(s3)
    await stack.stopServer()
    try {
      // Jitter moves the windows by up to ±30 s: step from just inside the advisory window
      // to just before the earliest mandatory one, then into the latest mandatory one.
      let at = 0
      let calls = 0
      for (let t = HOUR - 15 * MIN + 30_000; t < HOUR - 5 * MIN - 30_000; t += 20_000) {
        clock.advance(t - at)
        at = t
        calls++
        expect(await read(s3)).toBe(BODY)
      }
      expect(calls).toBe(27)
      expect(warnings.length).toBeGreaterThanOrEqual(1)
      expect(warnings[0]).toMatch(
        /^refreshing S3 credentials failed: .* could not be reached: ECONNREFUSED \(gave up after 4 attempts\) \(ERR_UNAVAILABLE\); still using credentials that expire at \S+Z, next attempt in \d+ s$/,
      )
      clock.advance(HOUR - 5 * MIN + 31_000 - at) // callers now wait for the fetch, which fails
      await expect(read(s3)).rejects.toMatchObject({
        name: 'S3CredentialsUnavailableError',
        code: 'ERR_UNAVAILABLE',
      })
    } finally {
      await stack.restartServer()
    }
    const count = counters()
    expect(await read(s3)).toBe(BODY)
    expect(count.requests()).toBe(1)
  })

  it('a user without the EULA gets EulaNotAcceptedError with the resolution URL; no STS call', async () => {
    const count = counters()
    const { s3 } = setup({ token: await stack.edl.issueUserToken('noeula') })
    const resolutionUrl = `${stack.edl.url}/approve_app?client_id=${TEST_CLIENT_ID}`
    const err: unknown = await read(s3).catch((e: unknown) => e)
    expect(err).toMatchObject({
      name: 'EulaNotAcceptedError',
      code: 'ERR_EULA_NOT_ACCEPTED',
      status: 403,
      resolutionUrl,
    })
    expect((err as Error).message).toContain(`Accept it at ${resolutionUrl} and try again.`)
    expect(count.requests()).toBe(1)
    expect(count.sts()).toBe(0)
  })

  it('a bad or expired EDL token gets S3CredentialsAuthError that says what to do', async () => {
    const count = counters()
    const bad = 'not-an-edl-token'
    const badErr: unknown = await read(setup({ token: bad }).s3).catch((e: unknown) => e)
    expect(badErr).toMatchObject({
      name: 'S3CredentialsAuthError',
      code: 'ERR_UNAUTHENTICATED',
      status: 401,
    })
    expect((badErr as Error).message).toMatch(/Use a valid EDL user token \(EARTHDATA_TOKEN\)/)
    expect((badErr as Error).message).not.toContain(bad)

    const expired = await stack.edl.issueUserToken('alice', { expiresInSeconds: 0 })
    const expiredErr: unknown = await read(setup({ token: expired }).s3).catch((e: unknown) => e)
    expect(expiredErr).toMatchObject({
      name: 'S3CredentialsAuthError',
      code: 'ERR_UNAUTHENTICATED',
      status: 401,
    })
    expect((expiredErr as Error).message).not.toContain(expired)
    expect(count.sts()).toBe(0)
  })
})

describe('fromS3Credentials with short-lived credentials from the real server (real expiry)', () => {
  let short: EgressStack

  beforeAll(async () => {
    if (!env.shortStsEndpoint) return
    // The server's STS client talks only to the gateway whose clock is behind: 900 s there
    // ends about 120 s from now; S3 calls go to gateway a with a client that never saw b.
    short = await startEgressStack({ stsEndpoint: env.shortStsEndpoint, durationSeconds: 900 })
  })
  afterAll(() => short?.close())

  it.skipIf(!env.shortStsEndpoint)(
    'crosses real expiries with zero failed S3 calls; radosgw refuses the expired generation',
    async () => {
      const lifetimeMs = (env.shortStsLifetimeSeconds ?? 120) * 1000
      const count = counters(short)
      const vended: AwsCredentialIdentity[] = []
      // random 0.5: no jitter, so generations turn over at 60 s left, i.e. every ~60 s.
      const { s3, credentials } = setup(
        {
          token: await short.edl.issueUserToken('alice'),
          minLifetimeMs: 10_000,
          random: () => 0.5,
        },
        short,
      )
      const started = Date.now()
      let calls = 0
      let failures = 0
      while (Date.now() - started < lifetimeMs + 10_000) {
        calls++
        await read(s3).catch(() => failures++)
        const used = await credentials()
        if (vended.at(-1)?.accessKeyId !== used.accessKeyId) vended.push(used)
        await new Promise((r) => setTimeout(r, 250))
      }
      expect(failures).toBe(0)
      expect(calls).toBeGreaterThan(100)
      expect(vended.length).toBeGreaterThanOrEqual(2)
      expect(count.requests()).toBe(vended.length)
      // The first generation expired during the loop, for real: radosgw answers a bare 403.
      const first = vended[0] as AwsCredentialIdentity
      expect(first.expiration?.getTime()).toBeLessThan(Date.now())
      const err: unknown = await s3ClientFor(first)
        .send(new GetObjectCommand({ Bucket: env.bucket, Key: KEY }))
        .catch((e: unknown) => e)
      expect(err).toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } })
      expect(isCredentialRejection(err, first, Date.now())).toBe(true)
    },
    180_000,
  )
})

describe('tea credentials as aws-cli credential_process against the real server', () => {
  const bin = join(repo, 'packages/cli/bin/tea.js')

  beforeAll(async () => {
    // The launcher loads the compiled CLI; build once if this tree has not been built.
    if (!existsSync(join(repo, 'packages/cli/dist/commands/credentials.js'))) {
      await promisify(execFile)('npm', ['run', 'build'], { cwd: repo })
    }
  }, 300_000)

  async function awsCat(dir: string): Promise<string> {
    const command = [
      process.execPath,
      bin,
      'credentials --format process',
      `--endpoint ${stack.endpoint} --app-name aws-cli`,
      `--cache-file ${join(dir, 'cache.json')}`,
    ].join(' ')
    const config = join(dir, 'config')
    writeFileSync(
      config,
      `[profile tea]\nregion = us-east-1\ncredential_process = ${command}\ns3 =\n  addressing_style = path\n`,
    )
    const { stdout } = await promisify(execFile)(
      '/usr/bin/aws',
      [
        's3',
        'cp',
        `s3://${env.bucket}/${KEY}`,
        '-',
        '--profile',
        'tea',
        '--endpoint-url',
        env.endpoint,
      ],
      {
        env: {
          PATH: process.env.PATH,
          HOME: dir,
          AWS_CONFIG_FILE: config,
          AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-credentials'),
          EARTHDATA_TOKEN: token,
          EARTHDATA_HOST: stack.edl.url,
        },
      },
    )
    return stdout
  }

  it('aws s3 cp reads an object; a second run reuses the cached credentials', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tea-aws-cli-e2e-'))
    try {
      const count = counters()
      expect(await awsCat(dir)).toBe(BODY)
      expect(count.requests()).toBe(1)
      expect(count.sts()).toBe(1)
      expect(await awsCat(dir)).toBe(BODY)
      expect(count.requests()).toBe(1)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
