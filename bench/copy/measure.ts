import { spawn } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'

/** What `/usr/bin/time -v` reported for one process of a pipeline. */
export interface ProcessUsage {
  readonly maxRssKiB: number
  readonly userSeconds: number
  readonly systemSeconds: number
  readonly exitStatus: number
}

/** One timed command: wall clock from spawn to exit, plus each timed process's usage. */
export interface Measured {
  readonly seconds: number
  readonly exitCode: number | null
  readonly timedOut: boolean
  readonly processes: readonly ProcessUsage[]
  readonly stdout: string
  readonly stderr: string
}

/** Prefix for a command inside a `bash -c` script, writing its usage to `<dir>/time-<n>.txt`. */
export const timed = (dir: string, n: number): string =>
  `/usr/bin/time -v -o ${join(dir, `time-${n}.txt`)}`

function field(text: string, label: string): number {
  const line = text.split('\n').find((l) => l.trimStart().startsWith(label))
  const value = Number(line?.slice(line.lastIndexOf(':') + 1).trim())
  if (!Number.isFinite(value)) throw new Error(`/usr/bin/time output has no "${label}"`)
  return value
}

export function parseTimeV(text: string): ProcessUsage {
  return {
    maxRssKiB: field(text, 'Maximum resident set size (kbytes)'),
    userSeconds: field(text, 'User time (seconds)'),
    systemSeconds: field(text, 'System time (seconds)'),
    exitStatus: field(text, 'Exit status'),
  }
}

/**
 * Runs `bash -c script` in its own process group (killed whole on timeout) with `env` only.
 * `timedCount` is how many `timed(dir, n)` prefixes (n = 0..count-1) the script holds.
 */
export async function measure(
  script: string,
  options: {
    env: NodeJS.ProcessEnv
    cwd: string
    dir: string
    timedCount: number
    timeoutMs: number
  },
): Promise<Measured> {
  const started = performance.now()
  const child = spawn('bash', ['-o', 'pipefail', '-c', script], {
    env: options.env,
    cwd: options.cwd,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout = (stdout + d).slice(-20_000)))
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-20_000)))
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL')
  }, options.timeoutMs)
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code) => resolve(code))
  })
  const seconds = (performance.now() - started) / 1000
  clearTimeout(timer)
  const processes: ProcessUsage[] = []
  for (let n = 0; n < options.timedCount; n++) {
    const text = await readFile(join(options.dir, `time-${n}.txt`), 'utf8').catch(() => '')
    if (text) processes.push(parseTimeV(text))
  }
  return { seconds, exitCode, timedOut, processes, stdout, stderr }
}

/** CPU seconds (user + system) a process has used so far, from /proc; 0 when it is gone. */
export async function processCpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '')
  if (!stat) return 0
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(rest[11]) + Number(rest[12])) / 100
}
