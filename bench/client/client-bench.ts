import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { fromS3Credentials, reactiveRefreshPlugin } from '@tea-ts/client'
import type { FromS3CredentialsOptions, RefreshableCredentialsProvider } from '@tea-ts/client'
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types'
import { mkdir, writeFile } from 'node:fs/promises'
import { cpus, loadavg, totalmem } from 'node:os'
import { parseArgs } from 'node:util'
import { startEgressStack } from '../../test/helpers/egress-stack.js'
import { readS3Env, s3ClientFor } from '../../test/helpers/s3-env.js'
import { measureProviderCall } from './provider-micro.js'
import { measureSdkPath } from './sdk-path.js'
import { writeResultsSection } from './results-section.js'
import type { ClientBenchResult, RoundResult } from './results-section.js'
import { median, round, runCalls } from './run-calls.js'
import type { CallStats } from './run-calls.js'

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '32' },
    rounds: { type: 'string', default: '5' },
    'refresh-calls': { type: 'string', default: '2000' },
    op: { type: 'string', default: 'head' },
    'fake-step-s': { type: 'string', default: '18' },
    'budget-s': { type: 'string', default: '160' },
    'no-write': { type: 'boolean', default: false },
  },
})
const CALLS = Number(values.calls)
const CONCURRENCY = Number(values.concurrency)
const ROUNDS = Number(values.rounds)
const OP = values.op === 'get' ? 'get' : 'head'
const PER_ROUND = Math.ceil(CALLS / ROUNDS)
const REFRESH_CALLS = Number(values['refresh-calls'])
const FAKE_STEP_MS = Number(values['fake-step-s']) * 1000
const BUDGET_MS = Number(values['budget-s']) * 1000
const KEY = 'bench-client/small.bin'
const started = performance.now()
const loadStart = loadavg()

const env = readS3Env()
await s3ClientFor(env.user).send(
  new PutObjectCommand({ Bucket: env.bucket, Key: KEY, Body: Buffer.alloc(1024, 7) }),
)
// The real server with radosgw's real STS (gateway a): 1-hour credentials.
// The refresh rounds fetch far more often than a real client: the per-user limit would 429 them.
const stack = await startEgressStack({ rateLimit: 0 })
const token = await stack.edl.issueUserToken('alice')

function providerOptions(extra: FromS3CredentialsOptions = {}): FromS3CredentialsOptions {
  return {
    endpoint: stack.endpoint,
    token,
    edlHost: stack.edl.url,
    appName: 'bench',
    env: {},
    ...extra,
  }
}

function s3With(credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider): S3Client {
  return new S3Client({
    endpoint: env.endpoint,
    region: env.region,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    credentials,
  })
}

async function call(s3: S3Client): Promise<void> {
  if (OP === 'head') {
    await s3.send(new HeadObjectCommand({ Bucket: env.bucket, Key: KEY }))
  } else {
    const out = await s3.send(new GetObjectCommand({ Bucket: env.bucket, Key: KEY }))
    await out.Body?.transformToByteArray()
  }
}

/** The same credentials the provider would vend, frozen: (a) differs from (b) only by the provider. */
const frozen = await fromS3Credentials(providerOptions())()
const staticCreds: AwsCredentialIdentity = {
  accessKeyId: frozen.accessKeyId,
  secretAccessKey: frozen.secretAccessKey,
  ...(frozen.sessionToken ? { sessionToken: frozen.sessionToken } : {}),
}

async function staticCase(n: number): Promise<CallStats> {
  const s3 = s3With(staticCreds)
  try {
    return await runCalls(n, CONCURRENCY, () => call(s3))
  } finally {
    s3.destroy()
  }
}

/** `n` calls through a fresh S3Client on `credentials`; fetches counted at the server. */
async function providerCase(
  credentials: RefreshableCredentialsProvider,
  n: number,
  options: { now?: () => number; beforeCall?: () => void } = {},
): Promise<CallStats & { fetches: number }> {
  const s3 = s3With(credentials)
  s3.middlewareStack.use(
    reactiveRefreshPlugin(credentials, options.now ? { now: options.now } : {}),
  )
  const before = stack.requests()
  try {
    const stats = await runCalls(n, CONCURRENCY, () => {
      options.beforeCall?.()
      return call(s3)
    })
    return { ...stats, fetches: stack.requests() - before }
  } finally {
    s3.destroy()
  }
}

// Warm-up: JIT, radosgw's caches, the session-token path.
const warmS3 = s3With(staticCreds)
await runCalls(Math.min(2000, PER_ROUND), CONCURRENCY, () => call(warmS3))
warmS3.destroy()

// (b) One long-lived provider, cold at the start (its first call fetches), as in a process
// that makes CALLS calls; each round gets a fresh S3Client, as (a) does.
const provider = fromS3Credentials(providerOptions())
const fetchesBefore = stack.requests()
const rounds: RoundResult[] = []
const skipped: string[] = []
let lastRoundMs = 0
for (let r = 0; r < ROUNDS; r++) {
  // The rounds may use a little over half the budget; (c) and the CPU-only parts take the rest.
  if (r > 0 && performance.now() - started + lastRoundMs > BUDGET_MS * 0.55) {
    skipped.push(`rounds ${r + 1}-${ROUNDS} of (a)/(b) (time budget)`)
    break
  }
  const roundStart = performance.now()
  // Alternate the order so drift in the machine's load hits both cases alike.
  const a = r % 2 === 0 ? await staticCase(PER_ROUND) : undefined
  const b = await providerCase(provider, PER_ROUND)
  const a2 = a ?? (await staticCase(PER_ROUND))
  rounds.push({ static: a2, provider: b, loadAverage1m: round(loadavg()[0] ?? 0, 2) })
  lastRoundMs = performance.now() - roundStart
  console.error(
    `round ${r + 1}: static ${a2.callsPerSec}/s mean ${a2.meanUs} µs; provider ${b.callsPerSec}/s mean ${b.meanUs} µs, ${b.fetches} fetch(es)`,
  )
}

// The CPU-only parts reuse (b)'s provider, so its S3 calls total at least 10,000 even when
// the network rounds are cut short; the server still counts every fetch it makes.
const sdkPath = await measureSdkPath(
  staticCreds,
  (s3) => s3.middlewareStack.use(reactiveRefreshPlugin(provider)),
  provider,
)
console.error(
  `sdk path: static ${sdkPath.staticUsPerCall} µs, provider ${sdkPath.providerUsPerCall} µs per call`,
)
const micro = await measureProviderCall(provider, await provider())
console.error(`micro: bare ${micro.bareNsPerCall} ns, provider ${micro.providerNsPerCall} ns`)
const providerFetches = stack.requests() - fetchesBefore

// (c) A provider whose clock advances FAKE_STEP_MS per call: REFRESH_CALLS calls span hours,
// so its 1-hour credentials go through several advisory-window refreshes during the run.
let fakeMs = 0
const fakeNow = (): number => Date.now() + fakeMs
const refreshing = await providerCase(
  fromS3Credentials(providerOptions({ now: fakeNow })),
  REFRESH_CALLS,
  { now: fakeNow, beforeCall: () => void (fakeMs += FAKE_STEP_MS) },
)
console.error(`refreshing: ${refreshing.fetches} fetches, ${refreshing.failures} failures`)
await stack.close()

const mid = (pick: (x: RoundResult) => number): number => median(rounds.map(pick))
const sum = (xs: readonly number[]): number => xs.reduce((t, x) => t + x, 0)
const fakeSpanHours = (REFRESH_CALLS * FAKE_STEP_MS) / 3_600_000
const result: ClientBenchResult = {
  date: new Date().toISOString(),
  command: `npx tsx bench/client/run.ts --calls ${CALLS} --concurrency ${CONCURRENCY} --rounds ${ROUNDS} --op ${OP} --refresh-calls ${REFRESH_CALLS} --fake-step-s ${FAKE_STEP_MS / 1000}`,
  machine: {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? '?',
    memGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  },
  loadAverage: { start: loadStart.map((x) => round(x, 2)), end: loadavg().map((x) => round(x, 2)) },
  config: { calls: CALLS, concurrency: CONCURRENCY, op: OP, objectBytes: 1024, sts: 'radosgw' },
  rounds,
  summary: {
    staticCallsPerSec: mid((x) => x.static.callsPerSec),
    providerCallsPerSec: mid((x) => x.provider.callsPerSec),
    staticMeanUs: mid((x) => x.static.meanUs),
    providerMeanUs: mid((x) => x.provider.meanUs),
    staticP50Us: mid((x) => x.static.p50Us),
    providerP50Us: mid((x) => x.provider.p50Us),
    staticP99Us: mid((x) => x.static.p99Us),
    providerP99Us: mid((x) => x.provider.p99Us),
    overheadMeanUs: mid((x) => x.provider.meanUs - x.static.meanUs),
    overheadP50Us: mid((x) => x.provider.p50Us - x.static.p50Us),
    networkCalls: sum(rounds.map((x) => x.provider.calls)),
    sdkPathCalls: sdkPath.callsPerBatch * (sdkPath.batches + 1),
    providerFetches,
    fetchesPer10k: round(
      (providerFetches * 10_000) /
        (sum(rounds.map((x) => x.provider.calls)) + sdkPath.callsPerBatch * (sdkPath.batches + 1)),
      2,
    ),
  },
  refreshing: {
    ...refreshing,
    fakeStepSeconds: FAKE_STEP_MS / 1000,
    fakeSpanHours: round(fakeSpanHours, 2),
    fetchesPer10k: round((refreshing.fetches * 10_000) / REFRESH_CALLS, 2),
  },
  micro,
  sdkPath,
  skipped,
  wallSeconds: Math.round((performance.now() - started) / 1000),
}

console.log(JSON.stringify(result.summary, null, 2))
if (!values['no-write']) {
  const results = new URL('../results/', import.meta.url)
  await mkdir(results, { recursive: true })
  await writeFile(new URL('client.json', results), `${JSON.stringify(result, null, 2)}\n`)
  await writeResultsSection(new URL('../results.md', import.meta.url), result)
}
