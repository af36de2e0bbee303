import { formatBytes } from '@tea-ts/transfer'
import type { RetryEvent } from '@tea-ts/transfer'
import { SingleBar } from 'cli-progress'
import type { CliDeps } from '../cli-deps.js'

export interface ProgressReporter {
  update(bytes: number, totalBytes: number): void
  retry(event: RetryEvent): void
  stop(): void
}

/** Progress: a bar on a terminal, JSON lines (at most one per second) otherwise. */
export function progressReporter(deps: CliDeps): ProgressReporter {
  const started = Date.now()
  const tty = deps.stderr.isTTY === true
  let bar: SingleBar | undefined
  let lastLine = 0
  let lastBytes = -1
  const rate = (bytes: number): number => bytes / Math.max(0.001, (Date.now() - started) / 1000)
  const line = (o: Record<string, unknown>): void => {
    deps.stderr.write(`${JSON.stringify(o)}\n`)
  }
  return {
    update(bytes: number, totalBytes: number): void {
      if (tty) {
        bar ??= new SingleBar({
          stream: deps.stderr,
          format: '{bar} {percentage}% | {done} / {size} | {rate}/s | ETA {eta_formatted}',
          hideCursor: false,
          etaBuffer: 50,
        })
        const payload = {
          done: formatBytes(bytes),
          size: formatBytes(totalBytes),
          rate: formatBytes(Math.round(rate(bytes))),
        }
        if (bar.getTotal() !== totalBytes) bar.start(totalBytes, bytes, payload)
        else bar.update(bytes, payload)
        return
      }
      const now = Date.now()
      if (bytes === lastBytes || (now - lastLine < 1000 && bytes < totalBytes)) return
      lastLine = now
      lastBytes = bytes
      const seconds = (now - started) / 1000
      line({
        event: 'progress',
        bytes,
        totalBytes,
        seconds,
        bytesPerSecond: Math.round(rate(bytes)),
      })
    },
    retry(e: RetryEvent): void {
      if (tty) return
      const error = e.error instanceof Error ? e.error.name : String(e.error)
      line({
        event: 'retry',
        operation: e.operation,
        part: e.partNumber,
        attempt: e.attempt,
        error,
      })
    },
    stop(): void {
      bar?.stop()
    },
  }
}
