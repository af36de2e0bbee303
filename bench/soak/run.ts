/**
 * Soak: minutes of mixed traffic at a fixed rate against the egress service in its own process
 * (bench/soak/soak-server.ts), to show that memory and event-loop delay stay flat, that the
 * caches stay bounded, and that nothing fails. Not run in CI. From the repo root:
 *
 *   npm run bench:soak                       # 10 minutes at 50 requests/s
 *   npm run bench:soak -- --minutes 1 --rate 20
 *
 * Traffic, open loop (requests are sent on schedule whatever the answers take):
 *   cookie      /s3credentials with a session cookie, from a pool of 100 users       → 200
 *   new-user    /s3credentials with a cookie for a user never seen before           → 200
 *               (more distinct sessions than the 5000-entry verified-cookie cache holds)
 *   bearer      /s3credentials with an EDL token (emulator; 40 users, tokens renewed) → 200
 *   bad input   garbage cookie (302), lone "Bearer" (400), forged token (401),
 *               bad app-name (400), unknown path (404)
 *   other       /version (200), /login without parameters (400)
 * STS is a stub in the server process answering in ~5 ms. Anything other than the expected
 * status, or a network error, counts as an error. The server's memory (after a full GC) and
 * event-loop delay are sampled every 10 s. Writes the "Soak" section of bench/results.md.
 */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { cpus, loadavg, totalmem } from 'node:os'
import { createInterface } from 'node:readline'
import { setTimeout as sleep } from 'node:timers/promises'
import { parseArgs } from 'node:util'
import { startEdlEmulator } from '@tea-ts/edl-emulator'
import type { EmulatorUser } from '@tea-ts/edl-emulator'
import { createSessionCodec } from '@tea-ts/server'
import type { SessionCodec, UserProfile } from '@tea-ts/server'
import { replaceResultsSection } from '../results-file.js'

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    rate: { type: 'string', default: '50' },
    'no-write': { type: 'boolean', default: false },
  },
})
const MINUTES = Number(values.minutes)
const RATE = Number(values.rate)
const SAMPLE_MS = 10_000
/** The authenticator's verified-cookie cache (createAuthenticator's default). */
const VERIFIED_CACHE = 5000
const CLIENT_ID = 'tea-test-client' // TEST_CLIENT_ID of @tea-ts/server/testing
const SERVER = new URL('./soak-server.ts', import.meta.url).pathname
const RESULTS = new URL('../results.md', import.meta.url)
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0'

interface Kind {
  readonly name: string
  readonly weight: number
  readonly expect: number
  request(): Promise<{ path: string; headers: Record<string, string> }>
}

interface Sample {
  readonly atS: number
  readonly rssMb: number
  readonly heapMb: number
  readonly externalMb: number
  readonly loopP50Ms: number
  readonly loopP99Ms: number
  readonly loopMaxMs: number
  readonly requests: number
  readonly errors: number
  readonly latencyP99Ms: number
  readonly stsCalls: number
}

const EDL_USERS: EmulatorUser[] = Array.from({ length: 40 }, (_, i) => ({
  uid: `soak${String(i).padStart(2, '0')}`,
  password: 'soak-pass',
  first_name: 'Soak',
  last_name: `User ${i}`,
  email_address: `soak${i}@example.com`,
  groups: [{ client_id: CLIENT_ID, name: 'science' }],
}))

async function startServer(
  edlUrl: string,
): Promise<{ url: string; keys: Keys; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ['--expose-gc', '--conditions=@tea-ts/source', '--import', 'tsx', SERVER, edlUrl],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODE_NO_WARNINGS: '1' } },
  )
  const lines = createInterface({ input: child.stdout! })
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve)
    child.once('exit', (code) => reject(new Error(`soak server exited with ${code}`)))
  })
  const hello = JSON.parse(first) as { url: string } & Keys
  return { url: hello.url, keys: hello, child }
}

interface Keys {
  readonly privateKey: string
  readonly publicKey: string
}

function profile(userId: string): UserProfile {
  return {
    userId,
    firstName: 'Soak',
    lastName: 'Cookie',
    email: `${userId}@example.com`,
    groups: [{ client_id: CLIENT_ID, name: 'science' }],
    accessToken: `edl-token-of-${userId}`,
  }
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0
}

/** Least-squares slope of y over x (per unit of x). */
function slope(points: readonly (readonly [number, number])[]): number {
  const n = points.length
  if (n < 2) return 0
  const mx = points.reduce((s, [x]) => s + x, 0) / n
  const my = points.reduce((s, [, y]) => s + y, 0) / n
  const num = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0)
  const den = points.reduce((s, [x]) => s + (x - mx) ** 2, 0)
  return den === 0 ? 0 : num / den
}

const round = (n: number, digits = 1): number => Number(n.toFixed(digits))

async function main(): Promise<void> {
  const edl = await startEdlEmulator({
    config: { users: EDL_USERS, apps: [{ client_id: CLIENT_ID, password: 'tea-test-password' }] },
  })
  const server = await startServer(edl.url)
  const codec: SessionCodec = createSessionCodec({
    algorithm: 'RS256',
    ...server.keys,
    ttlSeconds: 86_400,
  })
  const pool = await Promise.all(
    Array.from({ length: 100 }, async (_, i) => (await codec.mint(profile(`pool${i}`))).token),
  )
  const tokens = await Promise.all(EDL_USERS.map((u) => edl.issueUserToken(u.uid)))
  let newUsers = 0
  let renewals = 0
  const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T
  const cookie = (token: string) => ({ cookie: `asf-urs=${token}`, 'user-agent': 'soak/1' })

  const kinds: Kind[] = [
    {
      name: 'cookie',
      weight: 15,
      expect: 200,
      request: async () => ({ path: '/s3credentials', headers: cookie(pick(pool)) }),
    },
    {
      name: 'new-user',
      weight: 30,
      expect: 200,
      request: async () => ({
        path: '/s3credentials',
        headers: cookie((await codec.mint(profile(`new${++newUsers}`))).token),
      }),
    },
    {
      name: 'bearer',
      weight: 20,
      expect: 200,
      request: async () => ({
        path: '/s3credentials',
        headers: { authorization: `Bearer ${pick(tokens)}`, 'user-agent': 'soak/1' },
      }),
    },
    {
      name: 'garbage-cookie',
      weight: 6,
      expect: 302,
      request: async () => ({
        path: '/s3credentials',
        headers: { cookie: 'asf-urs=not.a.jwt', 'user-agent': 'soak/1' },
      }),
    },
    {
      name: 'lone-bearer',
      weight: 5,
      expect: 400,
      request: async () => ({
        path: '/s3credentials',
        headers: { authorization: 'Bearer', 'user-agent': 'soak/1' },
      }),
    },
    {
      name: 'forged-token',
      weight: 5,
      expect: 401,
      request: async () => ({
        path: '/s3credentials',
        headers: {
          authorization: 'Bearer eyJhbGciOiJSUzI1NiJ9.eyJ1aWQiOiJ4IiwiZXhwIjo0MTAyNDQ0ODAwfQ.c2ln',
          'user-agent': 'soak/1',
        },
      }),
    },
    {
      name: 'bad-app-name',
      weight: 5,
      expect: 400,
      request: async () => ({
        path: '/s3credentials',
        headers: { ...cookie(pick(pool)), 'app-name': 'no spaces allowed!' },
      }),
    },
    {
      name: 'unknown-path',
      weight: 4,
      expect: 404,
      request: async () => ({
        path: `/no/such/${Math.random()}`,
        headers: { 'user-agent': BROWSER },
      }),
    },
    {
      name: 'version',
      weight: 5,
      expect: 200,
      request: async () => ({ path: '/version', headers: {} }),
    },
    {
      name: 'login-no-params',
      weight: 5,
      expect: 400,
      request: async () => ({ path: '/login', headers: { 'user-agent': BROWSER } }),
    },
  ]
  const totalWeight = kinds.reduce((s, k) => s + k.weight, 0)
  const chooseKind = (): Kind => {
    let r = Math.random() * totalWeight
    for (const k of kinds) if ((r -= k.weight) < 0) return k
    return kinds[0] as Kind
  }

  const byKind = new Map<string, { sent: number; errors: number }>(
    kinds.map((k) => [k.name, { sent: 0, errors: 0 }]),
  )
  const errorExamples: string[] = []
  let latencies: number[] = []
  let requests = 0
  let errors = 0
  let inFlight = 0
  let maxInFlight = 0

  const fire = async (): Promise<void> => {
    const kind = chooseKind()
    const counts = byKind.get(kind.name)!
    counts.sent++
    requests++
    inFlight++
    maxInFlight = Math.max(maxInFlight, inFlight)
    const started = performance.now()
    try {
      const { path, headers } = await kind.request()
      const res = await fetch(`${server.url}${path}`, { headers, redirect: 'manual' })
      await res.arrayBuffer()
      if (res.status !== kind.expect) {
        errors++
        counts.errors++
        if (errorExamples.length < 10)
          errorExamples.push(`${kind.name}: ${res.status}, expected ${kind.expect}`)
      }
    } catch (err) {
      errors++
      counts.errors++
      if (errorExamples.length < 10) errorExamples.push(`${kind.name}: ${String(err)}`)
    } finally {
      inFlight--
      latencies.push(performance.now() - started)
    }
  }

  // Renew one bearer token every 10 s: new tokens keep arriving, as in real use.
  const renew = setInterval(() => {
    const i = renewals++ % tokens.length
    void edl.issueUserToken(EDL_USERS[i]!.uid).then((t) => (tokens[i] = t))
  }, 10_000)

  const samples: Sample[] = []
  /** When more new sessions than the verified-cookie cache holds had gone through. */
  let cacheFullAtS: number | undefined
  const stats = async (atS: number): Promise<void> => {
    const res = await fetch(`${server.url}/__soak/stats`)
    const s = (await res.json()) as {
      rssBytes: number
      heapUsedBytes: number
      externalBytes: number
      loopDelayMs: { p50: number; p99: number; max: number }
      stsCalls: number
    }
    const sorted = latencies.sort((a, b) => a - b)
    latencies = []
    const mb = (b: number) => round(b / 2 ** 20)
    samples.push({
      atS,
      rssMb: mb(s.rssBytes),
      heapMb: mb(s.heapUsedBytes),
      externalMb: mb(s.externalBytes),
      loopP50Ms: round(s.loopDelayMs.p50, 2),
      loopP99Ms: round(s.loopDelayMs.p99, 2),
      loopMaxMs: round(s.loopDelayMs.max, 2),
      requests,
      errors,
      latencyP99Ms: round(percentile(sorted, 99)),
      stsCalls: s.stsCalls,
    })
    const last = samples.at(-1)!
    if (cacheFullAtS === undefined && newUsers > VERIFIED_CACHE) cacheFullAtS = atS
    console.error(
      `${String(atS).padStart(4)} s  rss ${last.rssMb} MB  heap ${last.heapMb} MB  loop p99 ${last.loopP99Ms} ms  ` +
        `requests ${requests}  errors ${errors}  p99 ${last.latencyP99Ms} ms  in flight max ${maxInFlight}`,
    )
  }

  console.error(`soak: ${MINUTES} min at ${RATE} requests/s against ${server.url}`)
  await stats(0)
  const started = performance.now()
  const durationMs = MINUTES * 60_000
  const interval = 1000 / RATE
  let sent = 0
  let nextSample = SAMPLE_MS
  while (performance.now() - started < durationMs) {
    const due = started + sent * interval
    const wait = due - performance.now()
    if (wait > 0) await sleep(wait)
    void fire()
    sent++
    if (performance.now() - started >= nextSample) {
      await stats(Math.round(nextSample / 1000))
      nextSample += SAMPLE_MS
    }
  }
  while (inFlight > 0) await sleep(50)
  clearInterval(renew)
  await stats(Math.round((performance.now() - started) / 1000))
  server.child.kill('SIGTERM')
  await edl.close()

  // Flatness after a one-minute warm-up (JIT, pools), and separately once the verified-cookie
  // cache is full: until then the heap grows with it, by design, up to its bound.
  const steady = samples.filter((s) => s.atS >= 60)
  const full = samples.filter((s) => cacheFullAtS !== undefined && s.atS >= cacheFullAtS)
  const perMin = (points: readonly Sample[], pick: (s: Sample) => number) =>
    round(slope(points.map((s) => [s.atS / 60, pick(s)] as const)), 2)
  const heapSlope = perMin(full.length >= 3 ? full : steady, (s) => s.heapMb)
  const rssSlope = perMin(full.length >= 3 ? full : steady, (s) => s.rssMb)
  const first = steady[0]
  const last = samples.at(-1)!
  const elapsedS = last.atS
  const summary = {
    minutes: MINUTES,
    rate: RATE,
    achievedRate: round(requests / elapsedS),
    requests,
    errors,
    errorExamples,
    distinctNewSessions: newUsers,
    cacheFullAtS,
    heapMbWhenFull: full[0]?.heapMb,
    stsCalls: last.stsCalls,
    heapMbPerMin: heapSlope,
    rssMbPerMin: rssSlope,
    heapMb: {
      afterWarmup: first?.heapMb,
      end: last.heapMb,
      max: Math.max(...steady.map((s) => s.heapMb)),
    },
    rssMb: {
      afterWarmup: first?.rssMb,
      end: last.rssMb,
      max: Math.max(...steady.map((s) => s.rssMb)),
    },
    loopP99MsMax: Math.max(...steady.map((s) => s.loopP99Ms)),
    loopMaxMs: Math.max(...steady.map((s) => s.loopMaxMs)),
    latencyP99MsMax: Math.max(...steady.map((s) => s.latencyP99Ms)),
    maxInFlight,
  }
  console.log(JSON.stringify(summary, null, 2))
  if (!values['no-write'])
    await replaceResultsSection(
      RESULTS,
      '## Soak (`npm run bench:soak`)',
      render(summary, samples, byKind),
    )
  if (errors > 0) process.exitCode = 1
}

function render(
  s: {
    minutes: number
    rate: number
    achievedRate: number
    requests: number
    errors: number
    distinctNewSessions: number
    cacheFullAtS: number | undefined
    heapMbWhenFull: number | undefined
    stsCalls: number
    heapMbPerMin: number
    rssMbPerMin: number
    heapMb: { afterWarmup: number | undefined; end: number; max: number }
    rssMb: { afterWarmup: number | undefined; end: number; max: number }
    loopP99MsMax: number
    loopMaxMs: number
    latencyP99MsMax: number
    maxInFlight: number
  },
  samples: readonly Sample[],
  byKind: ReadonlyMap<string, { sent: number; errors: number }>,
): string {
  const minutely = samples.filter(
    (x, i) => (x.atS % 60 === 0 || x === samples.at(-1)) && samples[i - 1]?.atS !== x.atS,
  )
  const rows = minutely.map(
    (x) =>
      `| ${x.atS} | ${x.rssMb} | ${x.heapMb} | ${x.externalMb} | ${x.loopP50Ms} | ${x.loopP99Ms} | ${x.loopMaxMs} | ${x.requests} | ${x.errors} | ${x.latencyP99Ms} |`,
  )
  const kinds = [...byKind].map(
    ([name, c]) => `${name} ${c.sent}${c.errors > 0 ? ` (${c.errors} errors)` : ''}`,
  )
  return `## Soak (\`npm run bench:soak\`)

${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, \`npm run bench:soak -- --minutes ${s.minutes} --rate ${s.rate}\`, Node ${process.version},
${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} at the end.
The machine is shared: other work (builds, test suites, other benchmarks) ran at the same time,
so the delay and latency figures include that contention.

Mixed traffic at a fixed rate (open loop) against \`tea serve\`'s app in its own process, with a
stub STS (~5 ms): ${kinds.join(', ')}.

- **Errors: ${s.errors}** of ${s.requests} requests (${s.achievedRate} requests/s achieved); ${s.stsCalls} STS calls.
- **Memory (heap after a full GC):** ${s.heapMb.afterWarmup} MB after the 1-minute warm-up,
  ${s.heapMbWhenFull ?? '–'} MB when the verified-cookie cache was full (at ${s.cacheFullAtS ?? '–'} s), ${s.heapMb.end} MB
  at the end (max ${s.heapMb.max}). Slope ${s.heapMbPerMin} MB/min, RSS ${s.rssMbPerMin} MB/min
  (${s.cacheFullAtS === undefined ? 'after the warm-up' : 'from the moment the cache was full'}). RSS
  ${s.rssMb.afterWarmup} → ${s.rssMb.end} MB (max ${s.rssMb.max}).${
    s.rssMbPerMin > 0.5 && s.heapMbPerMin < 0.5
      ? `\n  RSS still rose while the heap did not: memory outside the JS heap (allocator, compiled code);\n  a longer run would tell whether it levels off.`
      : ''
  }
- **Caches bounded:** ${s.distinctNewSessions} distinct new sessions went through, more than the
  5000 entries of the verified-cookie cache: the heap grows while that cache fills, then stays
  flat. The other caches (bearer profiles: 1000, per-user rate-limit counters: 10 000 users,
  policies per group set: 1000, single-flight: entries dropped 5 s after settling) are LRUs or
  expire on their own.
- **Event-loop delay:** worst 10-s p99 ${s.loopP99MsMax} ms, worst single delay ${s.loopMaxMs} ms.
- **Latency:** worst 10-s p99 ${s.latencyP99MsMax} ms; at most ${s.maxInFlight} requests in flight.

| s | RSS MB | heap MB (after GC) | external MB | loop p50 ms | loop p99 ms | loop max ms | requests | errors | latency p99 ms |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}
`
}

await main()
