/**
 * Client CPU per GiB by integrity method (issue 12's Copy CPU goal, on AWS semantics). radosgw
 * 16 cannot take CRC32 trailers, so both methods write to a local sink that verifies like S3
 * (checksum-sink.ts); the source is still read from radosgw. The library copy runs in a child
 * of its own under `/usr/bin/time`, interleaving the methods, so only the method differs:
 *
 *   set -a; . "$RGW_ENV"; set +a          # the S3_* variables of scripts/s3-stack.sh
 *   npm run build && npx tsx bench/copy/run.ts --runs 1 --part-sizes 128 --tools tea  # creates the source object
 *   npx tsx bench/copy/checksum-cpu.ts [--runs 3] [--part-size-mib 128] [--concurrency 4] [--no-write]
 *
 * Writes bench/results/copy-checksum.json and the results.md section "Copy: client CPU per
 * integrity method".
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { replaceResultsSection } from '../results-file.js'
import { startChecksumSink } from '../../test/helpers/checksum-sink.js'
import { measure, timed } from './measure.js'

const MiB = 1024 ** 2
const REPO = new URL('../..', import.meta.url).pathname.replace(/\/$/, '')
const SOURCE_KEY = 'bench-copy/source-1024MiB.bin'
const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    'part-size-mib': { type: 'string', default: '128' },
    concurrency: { type: 'string', default: '4' },
    'no-write': { type: 'boolean', default: false },
  },
})
const METHODS = ['md5', 'crc32'] as const
type Method = (typeof METHODS)[number]

function env(name: string): string {
  const v = process.env[name]
  if (!v) throw new Error(`${name} is not set: source the radosgw stack's environment first`)
  return v
}

interface Run {
  readonly method: Method
  readonly round: number
  readonly seconds: number
  readonly cpuSeconds: number
  readonly maxRssMiB: number
  readonly verifiedBy: string
  readonly load: number
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2
}

const sink = await startChecksumSink()
const dir = await mkdtemp(join(tmpdir(), 'tea-bench-checksum-'))
const runs: Run[] = []
try {
  for (let round = 1; round <= Number(args.runs); round++) {
    for (const method of METHODS) {
      const script = `${timed(dir, 0)} ${process.execPath} --import tsx ${join(REPO, 'bench/copy/tea-lib-copy.ts')}`
      const m = await measure(script, {
        cwd: REPO,
        dir,
        timedCount: 1,
        timeoutMs: 300_000,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          NODE_NO_WARNINGS: '1',
          BENCH_ENDPOINT: env('S3_ENDPOINT'),
          BENCH_SRC_BUCKET: env('S3_BUCKET'),
          BENCH_SRC_KEY: SOURCE_KEY,
          BENCH_SRC_ACCESS_KEY_ID: env('S3_ACCESS_KEY_ID'),
          BENCH_SRC_SECRET_ACCESS_KEY: env('S3_SECRET_ACCESS_KEY'),
          BENCH_DST_ENDPOINT: sink.endpoint,
          BENCH_DST_BUCKET: 'sink',
          BENCH_DST_KEY: `copy-${method}-${round}`,
          BENCH_DST_ACCESS_KEY_ID: 'sink',
          BENCH_DST_SECRET_ACCESS_KEY: 'sink',
          BENCH_PART_SIZE: String(Number(args['part-size-mib']) * MiB),
          BENCH_CONCURRENCY: args.concurrency,
          BENCH_CHECKSUM: method,
          BENCH_RESUME: '0',
        },
      })
      const usage = m.processes[0]
      if (m.exitCode !== 0 || usage === undefined) {
        throw new Error(`${method} copy failed (exit ${m.exitCode}): ${m.stderr.slice(-2000)}`)
      }
      const result = JSON.parse(m.stdout.trim().split('\n').at(-1) ?? '{}') as {
        verifiedBy?: string
      }
      const run: Run = {
        method,
        round,
        seconds: m.seconds,
        cpuSeconds: usage.userSeconds + usage.systemSeconds,
        maxRssMiB: usage.maxRssKiB / 1024,
        verifiedBy: result.verifiedBy ?? '?',
        load: loadavg()[0] ?? 0,
      }
      runs.push(run)
      console.log(
        `checksum-cpu: ${method} #${round}: CPU ${run.cpuSeconds.toFixed(2)} s, ${run.seconds.toFixed(1)} s, RSS ${run.maxRssMiB.toFixed(0)} MiB, verified by ${run.verifiedBy}, load ${run.load.toFixed(1)}`,
      )
    }
  }
} finally {
  await sink.close()
  await rm(dir, { recursive: true, force: true })
}

const rows = METHODS.map((method) => {
  const mine = runs.filter((r) => r.method === method)
  const cpu = median(mine.map((r) => r.cpuSeconds))
  return {
    method,
    runs: mine.length,
    cpuSecondsPerGiB: cpu,
    mibPerCpuSecond: 1024 / cpu,
    maxRssMiB: Math.max(...mine.map((r) => r.maxRssMiB)),
    verifiedBy: [...new Set(mine.map((r) => r.verifiedBy))].join(', '),
  }
})
const ratios = runs
  .filter((r) => r.method === 'crc32')
  .map((c) => {
    const m = runs.find((r) => r.method === 'md5' && r.round === c.round) as Run
    return m.cpuSeconds / c.cpuSeconds
  })
const date = new Date().toISOString()
const loads = runs.map((r) => r.load)
const HEADING = '## Copy: client CPU per integrity method'
const section = [
  HEADING,
  '',
  `Measured ${date.slice(0, 16).replace('T', ' ')} UTC by \`npx tsx bench/copy/checksum-cpu.ts\` (source: bench/copy/README.md):`,
  `1 GiB read from the local radosgw, ${args['part-size-mib']} MiB parts × ${args.concurrency}, written to a local sink that verifies like S3`,
  '(radosgw 16 cannot take CRC32 trailers). The library copy in a child process (includes ~0.5 CPU-s of',
  `Node + tsx start-up); ${runs.length / 2} interleaved round(s); load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} on 2 cores.`,
  '',
  '| method | tool CPU-s per GiB (median) | MiB per CPU-second | peak RSS MiB | verified by |',
  '| --- | --- | --- | --- | --- |',
  ...rows.map(
    (r) =>
      `| ${r.method} | ${r.cpuSecondsPerGiB.toFixed(2)} | ${r.mibPerCpuSecond.toFixed(0)} | ${r.maxRssMiB.toFixed(0)} | ${r.verifiedBy} |`,
  ),
  '',
  `CPU of md5 / CPU of crc32, per round: ${ratios.map((x) => `${x.toFixed(2)}×`).join(', ')} (median ${median(ratios).toFixed(2)}×).`,
].join('\n')
console.log(`\n${section}`)
if (!args['no-write']) {
  await writeFile(
    join(REPO, 'bench/results/copy-checksum.json'),
    `${JSON.stringify({ date, partSizeMiB: Number(args['part-size-mib']), concurrency: Number(args.concurrency), runs, rows }, null, 2)}\n`,
  )
  await replaceResultsSection(join(REPO, 'bench/results.md'), HEADING, section)
}
