// STS AssumeRole calls made by /s3credentials for N users with realistic client refresh
// patterns, with and without the reuse cache: a discrete-event simulation (no servers; the
// cache is the service's own createReuseCache, driven by the simulated clock).
//
//   npx tsx bench/sts-quota/run.ts [--users 1000,10000,50000] [--write]
//
// --write replaces the "STS AssumeRole quota" section of bench/results.md.
import { parseArgs } from 'node:util'
import { createReuseCache } from '@tea-ts/server/testing'
import type { ReuseCache } from '@tea-ts/server/testing'
import { replaceResultsSection } from '../results-file.js'

const HOUR = 3600
const LIFETIME = 3600 // chained-role sessions: 1 hour at most
const SHARE_SETTLED = 5 // single-flight window after a call succeeds (always on)
/** AWS's default STS request quota, per account and region (assumed, see docs/scale.md). */
const STS_QUOTA_PER_S = 600

/** A deterministic PRNG (mulberry32), so runs are reproducible. */
function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * How a client process decides when to fetch again, given when it fetched and the expiration
 * it got (seconds): the patterns of the clients our users run (see docs/client.md).
 */
type Profile = 'notebook' | 'dask' | 'script'
const nextFetch: Record<Profile, (now: number, expires: number, r: () => number) => number> = {
  // earthaccess: 55 minutes after the fetch, whatever the expiration says.
  notebook: (now) => now + 55 * 60,
  // tea-ts client / AWS SDK / obstore: 5 minutes before expiry.
  dask: (_now, expires) => expires - 300,
  // A script that asks for credentials for every granule it opens, every 20-60 s.
  script: (now, _e, r) => now + 20 + 40 * r(),
}

interface Client {
  readonly user: number
  readonly profile: Profile
  readonly end: number
  /** Expiration of the credentials the client holds. */
  expires: number
  /** When it last used credentials it believed valid but that had expired. */
  expiredSeconds: number
}

interface Scenario {
  readonly name: string
  /** Spread of session start times (s). */
  readonly startSpread: number
}

interface Outcome {
  requests: number
  /** Busiest second and minute of /s3credentials requests (TEA makes one STS call for each). */
  requestPeak1s: number
  requestPeak60s: number
  stsCalls: number
  peak1s: number
  peak60s: number
  expiredClientSeconds: number
}

/** A binary min-heap of [time, client index]. */
class Queue {
  private readonly h: Array<[number, number]> = []
  push(t: number, i: number): void {
    const h = this.h
    h.push([t, i])
    let k = h.length - 1
    while (k > 0) {
      const p = (k - 1) >> 1
      if (h[p]![0] <= h[k]![0]) break
      ;[h[p], h[k]] = [h[k]!, h[p]!]
      k = p
    }
  }
  pop(): [number, number] | undefined {
    const h = this.h
    const top = h[0]
    const last = h.pop()
    if (h.length > 0 && last) {
      h[0] = last
      let k = 0
      for (;;) {
        const l = 2 * k + 1
        const r = l + 1
        let m = k
        if (l < h.length && h[l]![0] < h[m]![0]) m = l
        if (r < h.length && h[r]![0] < h[m]![0]) m = r
        if (m === k) break
        ;[h[m], h[k]] = [h[k]!, h[m]!]
        k = m
      }
    }
    return top
  }
}

/** Busiest second, and busiest sliding 60 s window as a per-second average. */
function peaks(perSecond: Map<number, number>): [number, number] {
  const seconds = [...perSecond.keys()].sort((a, b) => a - b)
  let peak1 = 0
  let peak60 = 0
  let sum = 0
  let lo = 0
  for (let hi = 0; hi < seconds.length; hi++) {
    const n = perSecond.get(seconds[hi]!)!
    peak1 = Math.max(peak1, n)
    sum += n
    while (seconds[hi]! - seconds[lo]! >= 60) sum -= perSecond.get(seconds[lo++]!)!
    peak60 = Math.max(peak60, sum / 60)
  }
  return [peak1, peak60]
}

function simulate(
  users: number,
  scenario: Scenario,
  reuse: boolean,
  containers: number,
  seed: number,
): Outcome {
  const r = rng(seed)
  // Routing draws its own numbers, so every variant sees the same users and clients.
  const route = rng(seed + 1)
  const clients: Client[] = []
  const queue = new Queue()
  for (let u = 0; u < users; u++) {
    const x = r()
    const profile: Profile = x < 0.5 ? 'notebook' : x < 0.8 ? 'dask' : 'script'
    const start = r() * scenario.startSpread
    const end = start + HOUR * (1 + 2 * r())
    // A Dask user runs 8 workers, each its own credentials provider, started within 30 s.
    const processes = profile === 'dask' ? 8 : 1
    for (let p = 0; p < processes; p++) {
      clients.push({ user: u, profile, end, expires: 0, expiredSeconds: 0 })
      queue.push(start + (profile === 'dask' ? 30 * r() : 0), clients.length - 1)
    }
  }
  let now = 0
  const clock = (): number => now * 1000
  const caches: ReuseCache[] = Array.from({ length: containers }, () =>
    createReuseCache({}, LIFETIME, clock),
  )
  const lastCall: Array<Map<number, { at: number; expires: number }>> = Array.from(
    { length: containers },
    () => new Map(),
  )
  const perSecond = new Map<number, number>()
  const requestsPerSecond = new Map<number, number>()
  const out: Outcome = {
    requests: 0,
    requestPeak1s: 0,
    requestPeak60s: 0,
    stsCalls: 0,
    peak1s: 0,
    peak60s: 0,
    expiredClientSeconds: 0,
  }
  for (let e = queue.pop(); e; e = queue.pop()) {
    const [t, i] = e
    now = t
    const c = clients[i]!
    if (t >= c.end) continue
    if (c.expires > 0 && t > c.expires) out.expiredClientSeconds += t - c.expires
    out.requests++
    requestsPerSecond.set(Math.floor(t), (requestsPerSecond.get(Math.floor(t)) ?? 0) + 1)
    // Lambda sends each request to any warm container: caches are per container.
    const k = Math.floor(route() * containers)
    const key = String(c.user)
    let expires: number | undefined
    const shared = lastCall[k]!.get(c.user)
    if (shared && t - shared.at <= SHARE_SETTLED) expires = shared.expires
    if (expires === undefined && reuse) {
      const hit = caches[k]!.get(key)
      if (hit) expires = hit.expiration.getTime() / 1000
    }
    if (expires === undefined) {
      expires = t + LIFETIME
      out.stsCalls++
      const s = Math.floor(t)
      perSecond.set(s, (perSecond.get(s) ?? 0) + 1)
      lastCall[k]!.set(c.user, { at: t, expires })
      if (reuse) {
        caches[k]!.set(key, {
          accessKeyId: 'A',
          secretAccessKey: 'S',
          sessionToken: 'T',
          expiration: new Date(expires * 1000),
        })
      }
    }
    c.expires = expires
    queue.push(nextFetch[c.profile](t, expires, r), i)
  }
  ;[out.peak1s, out.peak60s] = peaks(perSecond)
  ;[out.requestPeak1s, out.requestPeak60s] = peaks(requestsPerSecond)
  return out
}

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '1000,10000,50000' },
    write: { type: 'boolean', default: false },
  },
})
const userCounts = values.users.split(',').map(Number)
const scenarios: Scenario[] = [
  { name: 'spread: sessions start over 8 h', startSpread: 8 * HOUR },
  { name: 'workshop: every session starts within 5 min', startSpread: 300 },
]
const started = performance.now()
const rows: string[] = []
for (const scenario of scenarios) {
  for (const users of userCounts) {
    const plain = simulate(users, scenario, false, 10, 7)
    const variants = [
      ['single-flight only (default)', plain],
      ['reuse cache, 10 Lambda containers', simulate(users, scenario, true, 10, 7)],
      ['reuse cache, 1 process (tea serve)', simulate(users, scenario, true, 1, 7)],
    ] as const
    const teaPct = ((100 * plain.requestPeak1s) / STS_QUOTA_PER_S).toFixed(1)
    rows.push(
      `| ${scenario.name} | ${users} | TEA (one call per request) | ${plain.requests} | ${plain.requests} | ${plain.requestPeak1s} (${teaPct} %) | ${plain.requestPeak60s.toFixed(1)} | – |`,
    )
    for (const [name, o] of variants) {
      const pct = ((100 * o.peak1s) / STS_QUOTA_PER_S).toFixed(1)
      rows.push(
        `| ${scenario.name} | ${users} | ${name} | ${o.requests} | ${o.stsCalls} | ${o.peak1s} (${pct} %) | ${o.peak60s.toFixed(1)} | ${Math.round(o.expiredClientSeconds / 60)} |`,
      )
    }
  }
}
const section = [
  '## STS AssumeRole quota (bench/sts-quota)',
  '',
  `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, \`npx tsx bench/sts-quota/run.ts --write\` (a simulation, ${((performance.now() - started) / 1000).toFixed(1)} s). Users: 50 % notebooks (earthaccess: refetch 55 min after each fetch), 30 % Dask jobs (8 workers, each a refreshing provider: refetch 5 min before expiry, started within 30 s of each other), 20 % scripts that ask for credentials for every granule (every 20-60 s); sessions of 1-3 h. Credentials live 1 h; the reuse cache is the service's own (\`createReuseCache\`, served while > 50 min left); single-flight shares a call for 5 s. Peak % is of the default quota of ${STS_QUOTA_PER_S} STS requests/s per account and region. Expired client-minutes: minutes clients spent holding credentials past their expiration (an earthaccess-style client's 55-minute timer is longer than what it has left when it gets reused credentials).`,
  '',
  '| scenario | users | service | /s3credentials requests | STS calls | peak calls/s (% of quota) | peak calls/s, 60 s avg | expired client-minutes |',
  '| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |',
  ...rows,
  '',
].join('\n')
console.log(section)
if (values.write) {
  await replaceResultsSection(
    new URL('../results.md', import.meta.url),
    '## STS AssumeRole quota (bench/sts-quota)',
    section,
  )
}
