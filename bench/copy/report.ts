import type { Verified } from './verify.js'

const MiB = 1024 ** 2

/** One run of one tool. */
export interface RunRecord {
  readonly tool: string
  /** null for the single-stream curl runs. */
  readonly partSizeMiB: number | null
  readonly round: number
  readonly ok: boolean
  readonly seconds: number
  readonly mibPerSec: number
  /** Sum over the pipeline's processes (aws-cli and curl pipes have two). */
  readonly peakRssMiB: number
  readonly rssByProcessMiB: readonly number[]
  /** The tool's user + system CPU seconds (all its processes). */
  readonly cpuSeconds: number
  /** radosgw + ceph-osd CPU seconds during the run. */
  readonly serverCpuSeconds: number
  readonly loadAverage1m: number
  readonly verified?: Verified
  readonly etag?: string
  readonly abortedUploads: number
  readonly problem?: string
  /** What the tool itself printed as its result (tea's JSON summary). */
  readonly toolReport?: unknown
}

export interface SummaryRow {
  readonly tool: string
  readonly partSizeMiB: number | null
  readonly runs: number
  readonly okRuns: number
  readonly medianSeconds: number
  readonly mibPerSec: number
  readonly minMibPerSec: number
  readonly maxMibPerSec: number
  readonly peakRssMiB: number
  readonly medianCpuSeconds: number
  readonly medianServerCpuSeconds: number
  readonly verified: string
  /** Bytes copied per run, in MiB (for MiB per CPU-second). */
  readonly sizeMiB: number
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN
  const s = [...values].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

/** Median per (tool, part size) over the runs that completed and verified. */
export function summarize(records: readonly RunRecord[], size: number): SummaryRow[] {
  const groups = new Map<string, RunRecord[]>()
  for (const r of records) {
    const k = `${r.tool}\u0000${r.partSizeMiB}`
    groups.set(k, [...(groups.get(k) ?? []), r])
  }
  return [...groups.values()].map((runs) => {
    const ok = runs.filter((r) => r.ok)
    const medianSeconds = median(ok.map((r) => r.seconds))
    const rates = ok.map((r) => r.mibPerSec)
    return {
      tool: runs[0]!.tool,
      partSizeMiB: runs[0]!.partSizeMiB,
      runs: runs.length,
      okRuns: ok.length,
      medianSeconds,
      mibPerSec: size / MiB / medianSeconds,
      minMibPerSec: Math.min(...rates),
      maxMibPerSec: Math.max(...rates),
      peakRssMiB: Math.max(...ok.map((r) => r.peakRssMiB)),
      medianCpuSeconds: median(ok.map((r) => r.cpuSeconds)),
      medianServerCpuSeconds: median(ok.map((r) => r.serverCpuSeconds)),
      verified: [...new Set(ok.map((r) => r.verified))].join('+') || 'failed',
      sizeMiB: size / MiB,
    }
  })
}

const f1 = (n: number): string => (Number.isFinite(n) ? n.toFixed(1) : '–')
const f0 = (n: number): string => (Number.isFinite(n) ? n.toFixed(0) : '–')

export function table(rows: readonly SummaryRow[]): string {
  const head =
    '| tool | part size | MiB/s (median) | range | s | peak RSS MiB | tool CPU s | MiB per CPU-second | rgw+osd CPU s | ok | checked by |\n' +
    '|---|---|---|---|---|---|---|---|---|---|---|\n'
  return (
    head +
    rows
      .map(
        (r) =>
          `| ${r.tool.replaceAll('|', '\\|')} | ${r.partSizeMiB === null ? 'single stream' : `${r.partSizeMiB} MiB × 4`} | ` +
          `**${f0(r.mibPerSec)}** | ${f0(r.minMibPerSec)}–${f0(r.maxMibPerSec)} | ${f1(r.medianSeconds)} | ` +
          `${f0(r.peakRssMiB)} | ${f1(r.medianCpuSeconds)} | ${f0(r.sizeMiB / r.medianCpuSeconds)} | ${f1(r.medianServerCpuSeconds)} | ` +
          `${r.okRuns}/${r.runs} | ${r.verified} |`,
      )
      .join('\n')
  )
}

const f2 = (n: number): string => (Number.isFinite(n) ? n.toFixed(2) : '–')

/**
 * tea's rate over a reference's within each round (same minute, so a similar machine load),
 * then the median of those: steadier than a ratio of medians on a shared machine. The
 * reference is the slowest of `others` in that round (min(curl GET, curl PUT) is the
 * single-stream limit), at tea's part size or single-stream.
 */
export function pairedRatios(
  records: readonly RunRecord[],
  teaName: string,
  others: readonly string[],
  partSizeMiB: number,
): { median: number; each: number[] } {
  const each: number[] = []
  for (const tea of records.filter(
    (r) => r.tool === teaName && r.partSizeMiB === partSizeMiB && r.ok,
  )) {
    const rates = others.map(
      (other) =>
        records.find(
          (r) =>
            r.tool === other &&
            (r.partSizeMiB === partSizeMiB || r.partSizeMiB === null) &&
            r.round === tea.round &&
            r.ok,
        )?.mibPerSec,
    )
    if (rates.every((x) => x !== undefined)) each.push(tea.mibPerSec / Math.min(...rates))
  }
  return { median: median(each), each }
}

/**
 * Issue 12's goals, per part size: tea ≥ 70 % of min(curl GET, curl PUT), ≥ 1.0× the curl
 * GET|PUT pipe, ≥ 1.7× the aws-cli pipe, ≥ 1.3× rclone, ≤ 1.5 tool CPU-s per GiB, peak RSS
 * ≤ 200 MiB. Rates compare medians; the per-round ratios follow in parentheses.
 */
export function goalLines(
  rows: readonly SummaryRow[],
  records: readonly RunRecord[],
  teaName: string,
): string[] {
  const lines: string[] = []
  for (const tea of rows.filter((r) => r.tool === teaName && r.partSizeMiB !== null)) {
    const mib = tea.partSizeMiB!
    const vs = (tools: readonly string[], goal: number, label: string): string => {
      const o = tools.map((tool) =>
        rows.find((r) => r.tool === tool && (r.partSizeMiB === mib || r.partSizeMiB === null)),
      )
      if (o.some((x) => x === undefined)) return ''
      const ratio = tea.mibPerSec / Math.min(...o.map((x) => x!.mibPerSec))
      const paired = pairedRatios(records, teaName, tools, mib)
      // Judged on the per-round median: a ratio of medians mixes rounds at different loads.
      const judged = paired.each.length ? paired.median : ratio
      return (
        `**${f2(judged)}×** ${label} (median of per-round ratios ${paired.each.map(f2).join(', ')}; ` +
        `ratio of medians ${f2(ratio)}; goal ${goal}×: ${mark(judged >= goal)})`
      )
    }
    const cpuPerGiB = tea.medianCpuSeconds / (tea.sizeMiB / 1024)
    const parts = [
      vs(['curl GET', 'curl PUT'], 0.7, 'min(curl GET, curl PUT)'),
      vs(['curl GET|PUT'], 1, 'the curl GET|PUT pipe'),
      vs(['aws-cli pipe'], 1.7, 'the aws-cli pipe'),
      vs(['rclone'], 1.3, 'rclone'),
      `tool CPU ${f2(cpuPerGiB)} s per GiB, ${f0(1024 / cpuPerGiB)} MiB per CPU-second (goal ≤ 1.5 s: ${mark(cpuPerGiB <= 1.5)})`,
      `peak RSS ${f0(tea.peakRssMiB)} MiB (goal ≤ 200: ${mark(tea.peakRssMiB <= 200)})`,
    ].filter(Boolean)
    lines.push(`- ${mib} MiB parts: ${parts.join('; ')}.`)
  }
  return lines
}

const mark = (pass: boolean): string => (pass ? 'met' : '**missed**')
