/**
 * Download-route benchmark (`npm run bench:egress`). Run from the repo root, with the local
 * stack's environment for case (c):
 *
 *   set -a; . <(bash scripts/s3-stack.sh start .rgw); set +a
 *   npm run bench:egress -- [--duration 5] [--connections 50] [--rounds 3]
 *
 * Cases, each a server in its own process on 127.0.0.1 (autocannon runs here):
 *   (a) bare   a plain Fastify route answering the same 303 with a fixed URL: the limit
 *   (b) route  GET of a private file with cookie auth: bucket map, cookie, groups, in-region
 *              check, cached signing credentials, presign, TEA's logs (SUPPRESS_HEAD, stub STS)
 *   (c) route + HeadObject   the same with radosgw's STS and a HeadObject per request
 * and the presign alone (bench/egress/presign-cost.ts, in fresh processes; with --baseline
 * also the baseline's). Writes bench/results/egress.json and the "Downloads" section of
 * bench/results.md.
 */
import { execFile } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import { cpus, loadavg, platform, release, totalmem } from 'node:os'
import { parseArgs, promisify } from 'node:util'
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import autocannon from 'autocannon'
import type { Result } from 'autocannon'
import { replaceResultsSection } from '../results-file.js'
import { serverCpuMicros, startBenchServer, stopBenchServer } from '../server-process.js'
import type { BenchServer } from '../server-process.js'

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    connections: { type: 'string', default: '50' },
    rounds: { type: 'string', default: '3' },
    // Another checkout of this repository (e.g. a worktree of main) whose route server runs as
    // one more interleaved case: before/after side by side, under the same load.
    baseline: { type: 'string' },
  },
})
const DURATION = Number(values.duration)
const CONNECTIONS = Number(values.connections)
const ROUNDS = Number(values.rounds)
const execFileAsync = promisify(execFile)
const SERVER = new URL('./bench-server.ts', import.meta.url).pathname
const PATH = '/test/egress/bench.bin'

type Started = BenchServer

const BASELINE = values.baseline
const start = (mode: string): Promise<Started> =>
  mode === 'baseline' && BASELINE !== undefined
    ? startBenchServer(`${BASELINE}/bench/egress/bench-server.ts`, ['route'], BASELINE)
    : startBenchServer(SERVER, [mode])
const stop = stopBenchServer
const cpuMicros = serverCpuMicros

interface Row {
  readonly case: string
  readonly reqPerSec: number
  readonly cpuUsPerReq: number
  readonly p50Ms: number
  readonly p99Ms: number
  readonly redirects: number
  readonly other: number
}

// autocannon counts responses per status class; its typings list only 1xx/2xx/4xx/5xx.
function threeXx(r: Result): number {
  return (r as unknown as Record<string, number>)['3xx'] ?? 0
}

function headersFor(s: Started): Record<string, string> {
  return s.cookie ? { cookie: s.cookie, 'user-agent': 'bench' } : { 'user-agent': 'bench' }
}

async function measure(label: string, s: Started): Promise<Row> {
  const opts = {
    url: `${s.url}${PATH}`,
    connections: CONNECTIONS,
    headers: headersFor(s),
  }
  await autocannon({ ...opts, duration: 1 }) // warm-up
  const cpu0 = await cpuMicros(s)
  process.stderr.write(`running ${label} for ${DURATION} s…\n`)
  const r = await autocannon({ ...opts, duration: DURATION })
  const cpuUs = (await cpuMicros(s)) - cpu0
  return {
    case: label,
    reqPerSec: Math.round(r.requests.average),
    cpuUsPerReq: Math.round((cpuUs / Math.max(1, r.requests.total)) * 10) / 10,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    redirects: threeXx(r),
    other: r.requests.total - threeXx(r) + r.errors,
  }
}

const PRESIGN_COST = new URL('./presign-cost.ts', import.meta.url).pathname

/** CPU µs per presigned URL of `checkout`'s presignUrl, in a fresh process. */
async function presignMicros(checkout?: string): Promise<number> {
  const { stdout } = await execFileAsync(
    process.execPath,
    [
      '--conditions=@tea-ts/source',
      '--import',
      'tsx',
      PRESIGN_COST,
      ...(checkout === undefined ? [] : [checkout]),
    ],
    {
      env: { ...process.env, NODE_NO_WARNINGS: '1' },
      ...(checkout === undefined ? {} : { cwd: checkout }),
    },
  )
  return (JSON.parse(stdout) as { micros: number }).micros
}

/** The presign alone, this checkout and the baseline interleaved; medians of 3 runs each. */
async function presignCosts(): Promise<{ ours: number; baseline: number | undefined }> {
  const ours: number[] = []
  const baseline: number[] = []
  for (let i = 0; i < 3; i++) {
    ours.push(await presignMicros())
    if (BASELINE !== undefined) baseline.push(await presignMicros(BASELINE))
  }
  const mid = (list: number[]) => [...list].sort((x, y) => x - y)[Math.floor(list.length / 2)]
  return { ours: mid(ours) ?? NaN, baseline: mid(baseline) }
}

const haveStack = Boolean(process.env.S3_ENDPOINT && process.env.S3_ROLE_ARN)
if (haveStack) {
  const s3 = new S3Client({
    endpoint: process.env.S3_ENDPOINT,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: {
      accessKeyId: process.env.S3_ACCESS_KEY_ID ?? '',
      secretAccessKey: process.env.S3_SECRET_ACCESS_KEY ?? '',
    },
  })
  await s3.send(
    new PutObjectCommand({ Bucket: 'test-bucket', Key: 'egress/bench.bin', Body: 'bench bytes' }),
  )
  s3.destroy()
}
const modes: [string, string][] = [
  ['bare', '(a) bare Fastify 303'],
  ['route', '(b) download route, private file, cookie'],
  ...(haveStack ? [['route-head', '(c) (b) + radosgw HeadObject'] as [string, string]] : []),
  ...(BASELINE === undefined
    ? []
    : [['baseline', '(b0) (b) in the baseline checkout'] as [string, string]]),
]
const runs = new Map<string, Row[]>()
const servers: [string, string, Started][] = []
for (const [mode, label] of modes) servers.push([mode, label, await start(mode)])
try {
  for (let round = 0; round < ROUNDS; round++)
    for (const [mode, label, s] of servers) {
      const list = runs.get(mode) ?? []
      list.push(await measure(label, s))
      runs.set(mode, list)
    }
} finally {
  for (const [, , s] of servers) await stop(s)
}
// The median round by throughput, with CPU per request as its own median over the rounds: on
// a shared machine the two swing independently, and the CPU ratio is the one the goal uses.
const median = (mode: string): Row => {
  const list = runs.get(mode) ?? []
  const sorted = [...list].sort((x, y) => x.reqPerSec - y.reqPerSec)
  const mid = sorted[Math.floor(sorted.length / 2)]
  const cpu = list.map((r) => r.cpuUsPerReq).sort((x, y) => x - y)[Math.floor(list.length / 2)]
  if (mid === undefined || cpu === undefined) throw new Error(mode)
  return { ...mid, cpuUsPerReq: cpu }
}
const cpuRounds = (mode: string): string =>
  (runs.get(mode) ?? []).map((r) => r.cpuUsPerReq).join(', ')
const presign = await presignCosts()
const rows = modes.map(([mode]) => median(mode))
const [a, b] = [median('bare'), median('route')]
const cpuRatio = a.cpuUsPerReq / b.cpuUsPerReq
const rpsRatio = b.reqPerSec / a.reqPerSec
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${platform()} ${release()}`
const command =
  `npm run bench:egress -- --duration ${DURATION} --connections ${CONNECTIONS} --rounds ${ROUNDS}` +
  (BASELINE === undefined ? '' : ' --baseline <checkout of main>')
const baselineText =
  BASELINE === undefined
    ? ''
    : ` Baseline (b0)/(a) by server CPU per request: ${((a.cpuUsPerReq / median('baseline').cpuUsPerReq) * 100).toFixed(1)} %.`
await mkdir(new URL('../results/', import.meta.url), { recursive: true })
await writeFile(
  new URL('../results/egress.json', import.meta.url),
  `${JSON.stringify({ date: new Date().toISOString(), machine, command, rows, presignCpuUs: presign.ours, baselinePresignCpuUs: presign.baseline, runs: Object.fromEntries(runs), loadAverage: loadavg() }, null, 2)}\n`,
)
const section = [
  '## Downloads (`GET /{proxy+}` → 303)',
  '',
  `Date: ${new Date().toISOString()}. Machine: ${machine}. Command: \`${command}\`.`,
  '',
  '| case | 303/s | p50 ms | p99 ms | server CPU µs/req: median (rounds) | 303s | other |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map(
    (r, i) =>
      `| ${r.case} | ${r.reqPerSec} | ${r.p50Ms} | ${r.p99Ms} | ${r.cpuUsPerReq} (${cpuRounds(modes[i]?.[0] ?? '')}) | ${r.redirects} | ${r.other} |`,
  ),
  '',
  `Medians of ${ROUNDS} interleaved rounds. (b)/(a) by server CPU per request ` +
    `(load-independent): ${(cpuRatio * 100).toFixed(1)} % (goal ≥ 70 %); by 303/s: ` +
    `${(rpsRatio * 100).toFixed(1)} %. The presign alone (SigV4 with an 800-character session ` +
    `token, bench/egress/presign-cost.ts) costs ${presign.ours} µs CPU per URL` +
    (presign.baseline === undefined ? '' : ` (baseline: ${presign.baseline} µs)`) +
    `.${baselineText} ` +
    (haveStack
      ? '(c) adds the HeadObject existence check TEA makes on every download (a real S3 round trip).'
      : '(c) skipped: no local stack in the environment.') +
    ` Load average after the run: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(', ')}.`,
  '',
].join('\n')
await replaceResultsSection(
  new URL('../results.md', import.meta.url),
  section.split('\n')[0] ?? '',
  section,
)
console.log(section)
