/**
 * /s3credentials benchmark (issue 4). Run from the repo root:
 *
 *   set -a; eval "$(bash scripts/s3-stack.sh start .rgw)"; set +a   # for case (c)
 *   npx tsx bench/s3credentials/run.ts [--duration 8] [--connections 50]
 *
 * Cases, each against a server in its own process on 127.0.0.1 (autocannon runs here):
 *   (a) bare        a plain Fastify route returning the same small JSON: the limit
 *   (b) stub        /s3credentials, cookie auth, stub STS answering at once, reuse cache off:
 *                   our overhead (cookie verify + policy + single-flight + serialization)
 *   (b') stub-logged the same with info logging to a null sink (as deployed)
 *   (c) rgw         /s3credentials with radosgw's real STS AssumeRole (skipped without the stack)
 * Then a burst of 1000 concurrent same-user requests per STS kind, counting STS calls.
 * Writes bench/results/s3credentials.json and prints a markdown section for bench/results.md.
 */
import { writeFile, mkdir } from 'node:fs/promises'
import { cpus, loadavg, platform, release, totalmem } from 'node:os'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import type { Result } from 'autocannon'
import { serverCpuMicros, startBenchServer, stopBenchServer } from '../server-process.js'
import type { BenchServer } from '../server-process.js'

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '8' },
    connections: { type: 'string', default: '50' },
    burst: { type: 'string', default: '1000' },
    rounds: { type: 'string', default: '3' },
    // Another checkout of this repository (e.g. a worktree of main) whose stub-logged server
    // runs as one more interleaved case: before/after side by side, under the same load.
    baseline: { type: 'string' },
  },
})
const DURATION = Number(values.duration)
const CONNECTIONS = Number(values.connections)
const BURST = Number(values.burst)
const ROUNDS = Number(values.rounds)
const SERVER = new URL('./bench-server.ts', import.meta.url).pathname

type Started = BenchServer

/** `tree`: another checkout whose bench server runs as the baseline case. */
const start = (mode: string, shareMs = 0, tree?: string): Promise<Started> =>
  tree === undefined
    ? startBenchServer(SERVER, [mode, String(shareMs)])
    : startBenchServer(`${tree}/bench/s3credentials/bench-server.ts`, [mode, String(shareMs)], tree)
const stop = stopBenchServer
const cpuMicros = serverCpuMicros

interface CaseResult {
  readonly case: string
  readonly reqPerSec: number
  /** Server CPU time (user + system, all threads) per request: independent of machine load. */
  readonly cpuUsPerReq: number
  readonly p50Ms: number
  readonly p99Ms: number
  readonly requests: number
  readonly non2xx: number
  readonly errors: number
  readonly stsCalls?: number
}

async function load(
  s: Started,
  label: string,
  durationS: number,
  afterWarmUp: () => Promise<void>,
): Promise<Result> {
  const headers: Record<string, string> = s.cookie ? { cookie: s.cookie, 'app-name': 'bench' } : {}
  const opts = { url: `${s.url}/s3credentials`, connections: CONNECTIONS, headers }
  await autocannon({ ...opts, duration: 2 }) // warm-up: JIT, connection pools, caches
  await afterWarmUp()
  process.stderr.write(`running ${label} for ${durationS} s…\n`)
  return autocannon({ ...opts, duration: durationS })
}

async function stsCalls(s: Started): Promise<number> {
  const res = await fetch(`${s.url}/__bench/sts-calls`)
  return ((await res.json()) as { calls: number }).calls
}

function summary(label: string, r: Result, cpuUs: number, calls?: number): CaseResult {
  return {
    case: label,
    reqPerSec: Math.round(r.requests.average),
    cpuUsPerReq: Math.round((cpuUs / Math.max(1, r.requests.total)) * 10) / 10,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors,
    ...(calls === undefined ? {} : { stsCalls: calls }),
  }
}

/** BURST connections, one request each, all for the same user, app-name and policy. */
async function burst(
  s: Started,
): Promise<{ requests: number; ok: number; stsCalls: number; ms: number }> {
  const before = await stsCalls(s)
  const t0 = performance.now()
  const r = await autocannon({
    url: `${s.url}/s3credentials`,
    connections: BURST,
    amount: BURST,
    headers: { cookie: s.cookie, 'app-name': 'bench' },
    timeout: 30,
  })
  const ms = Math.round(performance.now() - t0)
  return { requests: BURST, ok: r['2xx'], stsCalls: (await stsCalls(s)) - before, ms }
}

interface Server {
  readonly mode: string
  readonly label: string
  readonly s: Started
  readonly runs: CaseResult[]
}

async function measure(server: Server): Promise<void> {
  const label = `${server.label} (round ${server.runs.length + 1}/${ROUNDS})`
  const before = server.s.cookie ? await stsCalls(server.s) : undefined
  let cpu0 = 0
  const r = await load(server.s, label, DURATION, async () => {
    cpu0 = await cpuMicros(server.s)
  })
  const cpuUs = (await cpuMicros(server.s)) - cpu0
  const calls = before === undefined ? undefined : (await stsCalls(server.s)) - before
  server.runs.push(summary(server.label, r, cpuUs, calls))
}

function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y)
  const mid = sorted[Math.floor(sorted.length / 2)]
  if (mid === undefined) throw new Error('no runs')
  return mid
}

/** The round whose req/s is the median: the machine is shared, so single runs are noisy. */
function median(runs: readonly CaseResult[]): CaseResult {
  const sorted = [...runs].sort((x, y) => x.reqPerSec - y.reqPerSec)
  const mid = sorted[Math.floor(sorted.length / 2)]
  if (mid === undefined) throw new Error('no runs')
  return mid
}

const haveStack = Boolean(process.env.S3_ENDPOINT && process.env.S3_ROLE_ARN)
const modes: [string, string][] = [
  ['bare', '(a) bare Fastify route'],
  ['stub', '(b) /s3credentials, stub STS'],
  ['stub-logged', "(b') /s3credentials, stub STS, info logs"],
  ...(haveStack ? [['rgw', '(c) /s3credentials, radosgw STS'] as [string, string]] : []),
]
const servers: Server[] = []
for (const [mode, label] of modes) servers.push({ mode, label, s: await start(mode), runs: [] })
if (values.baseline !== undefined) {
  const label = `(b') the same, info logs, baseline ${values.baseline.split('/').pop() ?? ''}`
  servers.push({
    mode: 'baseline',
    label,
    s: await start('stub-logged', 0, values.baseline),
    runs: [],
  })
}
const bursts: Record<string, Awaited<ReturnType<typeof burst>>> = {}
try {
  // Rounds interleave the cases, so a busy spell on the shared machine hits all of them.
  for (let round = 0; round < ROUNDS; round++) for (const server of servers) await measure(server)
  for (const server of servers)
    if (server.s.cookie) bursts[`${server.mode}, in flight only`] = await burst(server.s)
} finally {
  for (const server of servers) await stop(server.s)
}
// The same bursts with the production default: a result stays shared for 5 s after it settled.
for (const mode of haveStack ? ['stub', 'rgw'] : ['stub']) {
  const s = await start(mode, 5000)
  try {
    await burst(s) // warm-up burst (JIT), then wait out its share window
    await new Promise((r) => setTimeout(r, 5100))
    bursts[`${mode}, 5 s window`] = await burst(s)
  } finally {
    await stop(s)
  }
}
const byMode = (mode: string): Server => {
  const found = servers.find((x) => x.mode === mode)
  if (found === undefined) throw new Error(mode)
  return found
}
const a = { result: median(byMode('bare').runs) }
const b = { result: median(byMode('stub').runs) }
const bLogged = { result: median(byMode('stub-logged').runs) }
const c = haveStack ? { result: median(byMode('rgw').runs) } : undefined
const roundRatios = byMode('bare').runs.map((ra, i) =>
  Number(((byMode('stub').runs[i]?.reqPerSec ?? 0) / ra.reqPerSec).toFixed(3)),
)

const ratio = b.result.reqPerSec / a.result.reqPerSec
// Throughput is noisy on a shared machine; the CPU cost per request much less so. a/b of CPU
// per request is the throughput ratio a single core would give without the noise. Each case's
// CPU figure is its median over the rounds (not the CPU of its median-throughput round).
const cpuMedian = (mode: string): number => medianOf(byMode(mode).runs.map((r) => r.cpuUsPerReq))
const cpuRatio = cpuMedian('bare') / cpuMedian('stub')
const cpuRatioLogged = cpuMedian('bare') / cpuMedian('stub-logged')
const ratioLogged = bLogged.result.reqPerSec / a.result.reqPerSec
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${platform()} ${release()}`
const out = {
  date: new Date().toISOString(),
  machine,
  command: `npx tsx bench/s3credentials/run.ts --duration ${DURATION} --connections ${CONNECTIONS} --burst ${BURST} --rounds ${ROUNDS}`,
  cases: [a.result, b.result, bLogged.result, ...(c ? [c.result] : [])],
  ratioBOverA: Number(ratio.toFixed(3)),
  ratioBLoggedOverA: Number(ratioLogged.toFixed(3)),
  ratioBOverAPerRound: roundRatios,
  cpuRatioBOverA: Number(cpuRatio.toFixed(3)),
  cpuRatioBLoggedOverA: Number(cpuRatioLogged.toFixed(3)),
  loadAverage: loadavg(),
  rounds: Object.fromEntries(servers.map((x) => [x.mode, x.runs])),
  burst: haveStack ? bursts : { ...bursts, rgw: 'skipped: no S3_ENDPOINT/S3_ROLE_ARN' },
}
await mkdir(new URL('../results/', import.meta.url), { recursive: true })
await writeFile(
  new URL('../results/s3credentials.json', import.meta.url),
  `${JSON.stringify(out, null, 2)}\n`,
)

const rows = servers.map((server) => {
  const r = median(server.runs)
  const cpus = server.runs.map((x) => x.cpuUsPerReq)
  return `| ${r.case} | ${r.reqPerSec} | ${r.p50Ms} | ${r.p99Ms} | ${medianOf(cpus)} (${cpus.join(', ')}) | ${r.non2xx + r.errors} | ${r.stsCalls ?? '–'} |`
})
console.log(
  [
    `Date: ${out.date}. Machine: ${machine}. Command: \`${out.command}\`.`,
    '',
    '| case | req/s | p50 ms | p99 ms | server CPU µs/req: median (rounds) | non-2xx + errors | STS calls |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    `Medians of ${ROUNDS} interleaved rounds. (b)/(a) = ${(ratio * 100).toFixed(1)} % ` +
      `(per round: ${roundRatios.map((r) => `${(r * 100).toFixed(0)} %`).join(', ')}); ` +
      `(b')/(a) = ${(ratioLogged * 100).toFixed(1)} %. By median server CPU per request ` +
      `(less load-dependent): (b)/(a) = ${(cpuRatio * 100).toFixed(1)} %, (b')/(a) = ` +
      `${(cpuRatioLogged * 100).toFixed(1)} % (goal ≥ 70 %)` +
      (values.baseline === undefined
        ? ''
        : `, baseline (b')/(a) = ${((cpuMedian('bare') / cpuMedian('baseline')) * 100).toFixed(1)} %`) +
      `. Load average after the run: ` +
      `${loadavg()
        .map((l) => l.toFixed(1))
        .join(', ')}.`,
    '',
    `Burst of ${BURST} concurrent same-user requests (STS calls, 200s):`,
    '',
    ...Object.entries(bursts).map(
      ([k, v]) => `- ${k}: ${v.stsCalls} STS call(s), ${v.ok} × 200, all answered in ${v.ms} ms`,
    ),
  ].join('\n'),
)
