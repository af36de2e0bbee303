import { replaceResultsSection } from '../results-file.js'
import { goalLines, table } from './report.js'
import type { RunRecord, SummaryRow } from './report.js'
import type { BuildStamp } from './build-stamp.js'

export const HEADING = '## Copy: 1 GiB across credentials'

/** What run.ts writes to bench/results/copy.json (the parts the section shows). */
export interface CopyBenchResult {
  readonly date: string
  readonly machine: {
    readonly cpus: number
    readonly cpuModel?: string
    readonly memGiB: number
    readonly node: string
  }
  readonly versions: Readonly<Record<string, string>>
  readonly config: {
    readonly sizeBytes: number
    readonly partSizesMiB: readonly number[]
    readonly concurrency: number
    readonly runs: number
    readonly teaMode: 'cli' | 'library'
  }
  readonly loadAverage: { readonly start: readonly number[]; readonly end: readonly number[] }
  /** Absent in results written before the stamp existed. */
  readonly build?: { readonly start: BuildStamp; readonly end: BuildStamp }
  readonly wallSeconds: number
  readonly summary: readonly SummaryRow[]
  readonly skipped: readonly string[]
  readonly records: readonly RunRecord[]
}

function buildNote(r: CopyBenchResult): string {
  if (!r.build) return ''
  const { start, end } = r.build
  const changed =
    start.distHash === end.distHash ? '' : `, **rebuilt during the bench** (to ${end.distHash})`
  const stale = start.staleSources.length
    ? `, **dist older than ${start.staleSources.length} source files**`
    : ''
  return `, dist ${start.distHash}${changed}${stale}`
}

/** `curl 7.88.1 (x86_64…) libcurl/…` → `curl 7.88.1`. */
const short = (v: string | undefined): string =>
  (v ?? '?').split('(')[0]!.trim().split(/\s+/).slice(0, 2).join(' ')

/**
 * Client and server share the cores, so copies are CPU-bound: the ratio of total CPU (tool +
 * radosgw/OSD) per copy predicts the speed ratio, independently of how busy the machine was.
 */
function cpuBudgetLines(rows: readonly SummaryRow[], teaName: string): string[] {
  return rows
    .filter((r) => r.tool === teaName && r.partSizeMiB !== null)
    .flatMap((tea) => {
      const aws = rows.find((r) => r.tool === 'aws-cli pipe' && r.partSizeMiB === tea.partSizeMiB)
      const rc = rows.find((r) => r.tool === 'rclone' && r.partSizeMiB === tea.partSizeMiB)
      if (!aws || !rc) return []
      const total = (r: SummaryRow): number => r.medianCpuSeconds + r.medianServerCpuSeconds
      return [
        `- ${tea.partSizeMiB} MiB parts, CPU per copy (tool + rgw/osd): tea ${total(tea).toFixed(1)} s, ` +
          `aws-cli pipe ${total(aws).toFixed(1)} s, rclone ${total(rc).toFixed(1)} s: CPU-bound, tea should run ` +
          `${(total(aws) / total(tea)).toFixed(2)}× the aws-cli pipe and ${(total(rc) / total(tea)).toFixed(2)}× rclone.`,
      ]
    })
}

const loads = (l: readonly number[]): string => l.map((x) => x.toFixed(1)).join(' / ')

export function renderSection(r: CopyBenchResult): string {
  const teaName = r.config.teaMode === 'library' ? 'tea (library)' : 'tea'
  const runLoads = r.records.map((x) => x.loadAverage1m)
  const failures = r.records.filter((x) => !x.ok)
  return [
    HEADING,
    '',
    `${r.date.slice(0, 16).replace('T', ' ')} UTC, \`npx tsx bench/copy/run.ts\` (raw: [results/copy.json](results/copy.json)). ` +
      `${r.config.sizeBytes / 1024 ** 2} MiB object of random bytes; source read with read-only STS ` +
      `(AssumeRole) credentials, destination written with another user's keys; ${r.config.runs} runs per row, ` +
      `tools interleaved round by round. ${r.machine.cpus} cores (${r.machine.cpuModel ?? '?'}), ${r.machine.memGiB} GiB, ` +
      `Node ${r.machine.node}; radosgw on the same machine, so every number is CPU-bound and only comparable within this table.`,
    '',
    table(r.summary),
    '',
    ...goalLines(r.summary, r.records, teaName),
    '',
    ...cpuBudgetLines(r.summary, teaName),
    '',
    'Where the time goes, profiles and what would close the gap: [copy/README.md](copy/README.md).',
    '',
    `Load average (1/5/15 min) ${loads(r.loadAverage.start)} at the start, ${loads(r.loadAverage.end)} at the end; ` +
      `1-minute load during runs ${Math.min(...runLoads).toFixed(1)}–${Math.max(...runLoads).toFixed(1)} ` +
      `(the machine is shared with other test runs). Whole bench: ${r.wallSeconds} s.` +
      (r.skipped.length ? ` Skipped for time: ${r.skipped.join(', ')}.` : '') +
      (failures.length
        ? ` Failed runs: ${failures.map((f) => `${f.tool} #${f.round} (${f.problem})`).join('; ')}.`
        : ''),
    '',
    'How it is measured:',
    '',
    `- Versions: tea ${r.versions.tea} (${r.config.teaMode === 'cli' ? '`tea copy`, built CLI' : '`copyObject` from @tea-ts/transfer in its own Node process (bench/copy/tea-lib-copy.ts), because `tea copy` was not yet available'}${buildNote(r)}); ${short(r.versions.aws)}; ${short(r.versions.rclone)}; ${short(r.versions.curl)}.`,
    '- MiB/s = object size / median wall time from spawn to exit (process start-up included for every tool). Range = slowest–fastest run.',
    '- Peak RSS: `/usr/bin/time -v` maximum resident set, summed over both processes of a pipe (aws-cli, curl GET|PUT). Tool CPU: user + system of those processes. rgw+osd CPU: radosgw and ceph-osd CPU time during the run, read from /proc (includes anything other helpers sent to the shared stack meanwhile).',
    '- tea: `tea copy` gets its source credentials from a stub `/s3credentials` in the bench that returns the same AssumeRole credentials the other tools use (no server or EDL emulator in the measurement); destination keys from the environment.',
    "- aws-cli: `aws s3 cp s3://src/k - | aws s3 cp - s3://dst/k` (Debian's v2, /usr/bin/aws), separate source and dest profiles with `multipart_chunksize` = part size, `max_concurrent_requests` = 4, path-style addressing, `--only-show-errors`.",
    '- rclone: `rclone copyto src:… dst:…` between two remotes (provider Ceph, path style; the source remote carries the session token) with `--s3-chunk-size` = part size, `--s3-upload-concurrency 4`, `--s3-no-check-bucket`, run without AWS_CA_BUNDLE. Two remotes with different credentials never use server-side copy, so the bytes flow through rclone (it reads the source as one stream).',
    "- curl (the single-stream limit): presigned URLs (SigV4 in the query; curl 7.88's `--aws-sigv4` signs an emptied `Transfer-Encoding` header it then does not send, which radosgw rejects). *GET* to /dev/null with the source credentials; *PUT* of the same bytes from a local file (page cache) with the dest keys; *GET|PUT*: the GET piped into a PUT with `Content-Length` set, i.e. a real single-stream copy. The GET|PUT row is the fair single-stream reference; GET and PUT alone bound what one stream per direction can do.",
    "- Every copy is verified: size, and the destination ETag (computed by radosgw from the bytes it received) against the source's MD5 or its multipart ETag for the part size; other ETags are read back and MD5-compared. Then the destination object (and any multipart upload left open) is deleted and `radosgw-admin gc process --include-all` runs.",
    '',
  ].join('\n')
}

/** Replaces this bench's section of results.md, or appends it. */
export async function writeResultsSection(path: string, result: CopyBenchResult): Promise<void> {
  await replaceResultsSection(path, HEADING, renderSection(result))
}
