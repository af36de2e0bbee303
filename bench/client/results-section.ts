import { replaceResultsSection } from '../results-file.js'
import type { MicroResult } from './provider-micro.js'
import type { SdkPathResult } from './sdk-path.js'
import type { CallStats } from './run-calls.js'

export const HEADING = '## Client: provider overhead'

export interface RoundResult {
  readonly static: CallStats
  readonly provider: CallStats & { readonly fetches: number }
  readonly loadAverage1m: number
}

/** What run.ts writes to bench/results/client.json. */
export interface ClientBenchResult {
  readonly date: string
  readonly command: string
  readonly machine: { cpus: number; cpuModel: string; memGiB: number; node: string }
  readonly loadAverage: { start: readonly number[]; end: readonly number[] }
  readonly config: {
    calls: number
    concurrency: number
    op: 'head' | 'get'
    objectBytes: number
    sts: string
  }
  readonly rounds: readonly RoundResult[]
  readonly summary: {
    staticCallsPerSec: number
    providerCallsPerSec: number
    staticMeanUs: number
    providerMeanUs: number
    staticP50Us: number
    providerP50Us: number
    staticP99Us: number
    providerP99Us: number
    overheadMeanUs: number
    overheadP50Us: number
    networkCalls: number
    sdkPathCalls: number
    providerFetches: number
    fetchesPer10k: number
  }
  readonly refreshing: CallStats & {
    fetches: number
    fakeStepSeconds: number
    fakeSpanHours: number
    fetchesPer10k: number
  }
  readonly micro: MicroResult
  readonly sdkPath: SdkPathResult
  readonly skipped: readonly string[]
  readonly wallSeconds: number
}

const loads = (l: readonly number[]): string => l.map((x) => x.toFixed(1)).join(' / ')
const ms = (us: number): string => (us / 1000).toFixed(2)

export function renderSection(r: ClientBenchResult): string {
  const s = r.summary
  const op = r.config.op === 'head' ? 'HeadObject' : `GetObject (${r.config.objectBytes} B)`
  const roundLoads = r.rounds.map((x) => x.loadAverage1m)
  const failures = r.rounds.reduce((n, x) => n + x.static.failures + x.provider.failures, 0)
  const staticMeans = r.rounds.map((x) => x.static.meanUs)
  const spread = Math.max(...staticMeans) - Math.min(...staticMeans)
  const expected = 1 + r.refreshing.fakeSpanHours / 0.75
  return [
    HEADING,
    '',
    `${r.date.slice(0, 16).replace('T', ' ')} UTC, \`${r.command}\` (raw: [results/client.json](results/client.json)). ` +
      `${r.machine.cpus} cores (${r.machine.cpuModel}), ${r.machine.memGiB} GiB, Node ${r.machine.node}. ` +
      `Load average (1/5/15 min) ${loads(r.loadAverage.start)} at the start, ${loads(r.loadAverage.end)} at the end` +
      (roundLoads.length
        ? ` (1-minute load during rounds ${Math.min(...roundLoads)}–${Math.max(...roundLoads)})`
        : '') +
      `; the machine is shared with other helpers' tests. Whole run: ${r.wallSeconds} s.` +
      (r.skipped.length ? ` Skipped: ${r.skipped.join(', ')}.` : ''),
    '',
    `${s.networkCalls.toLocaleString('en')} ${op} calls per case against radosgw on 127.0.0.1, ${r.config.concurrency} at a time, ` +
      `in ${r.rounds.length} interleaved rounds of ${r.rounds[0]?.static.calls ?? 0} (medians of the rounds); every round builds a fresh S3Client with identical options. ` +
      `(a) static: the same kind of temporary credentials, fetched once from the server and passed as an object. ` +
      `(b) one \`fromS3Credentials\` provider for the whole run (cold at the start: its first call fetches) + \`reactiveRefreshPlugin\`, ` +
      `against the real egress server (test/helpers/egress-stack.ts: EDL emulator, \`startServer\`, radosgw's real STS, 1-hour credentials). ` +
      `Fetches are counted at the server (an onRequest hook).`,
    '',
    '| case | calls/s | mean ms | p50 ms | p99 ms | credential fetches per 10,000 calls |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    `| (a) static credentials | ${s.staticCallsPerSec} | ${ms(s.staticMeanUs)} | ${ms(s.staticP50Us)} | ${ms(s.staticP99Us)} | – |`,
    `| (b) fromS3Credentials | ${s.providerCallsPerSec} | ${ms(s.providerMeanUs)} | ${ms(s.providerP50Us)} | ${ms(s.providerP99Us)} | ${s.fetchesPer10k} |`,
    `| (c) fromS3Credentials, clock +${r.refreshing.fakeStepSeconds} s per call | ${r.refreshing.callsPerSec} | ${ms(r.refreshing.meanUs)} | ${ms(r.refreshing.p50Us)} | ${ms(r.refreshing.p99Us)} | ${r.refreshing.fetchesPer10k} |`,
    '',
    `- Over the network, (b) − (a): mean ${s.overheadMeanUs} µs, p50 ${s.overheadP50Us} µs per call (per round: ` +
      `${r.rounds.map((x) => `${x.provider.meanUs - x.static.meanUs}`).join(', ')} µs); (a)'s own mean moved by ${spread} µs between rounds` +
      (Math.abs(s.overheadMeanUs) < spread
        ? ', more than that difference: at this load it is noise, and the two measurements below isolate the provider.'
        : '.'),
    `- The SDK path without the network (\`S3Client.send(HeadObject)\` with a request handler answering an instant 200: serialize, sign, parse; ` +
      `${r.sdkPath.batches} alternating batches of ${r.sdkPath.callsPerBatch}, CPU time of this process): median ${r.sdkPath.staticUsPerCall} µs per call with static credentials, ` +
      `${r.sdkPath.providerUsPerCall} µs with the provider and \`reactiveRefreshPlugin\` (median difference ${r.sdkPath.overheadUsPerCall} µs); ` +
      `cheapest batch ${r.sdkPath.staticMinUsPerCall} vs ${r.sdkPath.providerMinUsPerCall} µs.`,
    `- The provider call alone (warm cache, ${r.micro.iterations.toLocaleString('en')} sequential awaits, median of ${r.micro.repeats}): ` +
      `${r.micro.providerNsPerCall} ns against ${r.micro.bareNsPerCall} ns for a bare \`async () => creds\`, i.e. ` +
      `${r.micro.overheadNsPerCall} ns of our own per S3 call.`,
    `- Fetches: (b)'s provider made ${s.providerFetches} for ${(s.networkCalls + s.sdkPathCalls).toLocaleString('en')} S3 calls ` +
      `(${s.networkCalls.toLocaleString('en')} over the network, ${s.sdkPathCalls.toLocaleString('en')} in the SDK-path measurement), ${s.fetchesPer10k} per 10,000: ` +
      `the credentials outlive the run. ` +
      `(c) is a separate provider whose injected clock moves ${r.refreshing.fakeStepSeconds} s per call (${r.refreshing.fakeSpanHours} fake hours in all), ` +
      `so its 1-hour credentials are refreshed in the background each time their advisory window (15 min ± 30 s before expiry) opens: ` +
      `${r.refreshing.fetches} fetches for ${r.refreshing.calls.toLocaleString('en')} calls (${r.refreshing.fetchesPer10k} per 10,000 at this call rate), ` +
      `${r.refreshing.failures} failed calls. At most 1 + ${r.refreshing.fakeSpanHours} h / 0.75 h = ${expected.toFixed(1)} were expected` +
      (r.refreshing.fetches < Math.floor(expected)
        ? '; fewer, because the clock keeps moving while a background fetch is in flight and each generation starts when its fetch returns. '
        : '. ') +
      `The count per 10,000 calls depends only on how much credential lifetime the calls span (one fetch per ~45 minutes of use), not on the number of calls. ` +
      `S3 signing keeps the real clock.`,
    `- Failed S3 calls in (a)/(b): ${failures}.`,
    '',
  ].join('\n')
}

/** Replaces this bench's section of results.md, or appends it. */
export async function writeResultsSection(path: URL, result: ClientBenchResult): Promise<void> {
  await replaceResultsSection(path, HEADING, renderSection(result))
}
