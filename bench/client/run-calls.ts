/** Latency summary of one batch of calls. */
export interface CallStats {
  readonly calls: number
  readonly failures: number
  readonly seconds: number
  readonly callsPerSec: number
  readonly meanUs: number
  readonly p50Us: number
  readonly p99Us: number
}

/**
 * Runs `call(i)` for i = 0..n-1 with `concurrency` workers pulling from one counter (as the
 * SDK's callers would), timing each call. A failed call counts and is not retried.
 */
export async function runCalls(
  n: number,
  concurrency: number,
  call: (i: number) => Promise<unknown>,
): Promise<CallStats> {
  const latencies = new Float64Array(n)
  let next = 0
  let failures = 0
  const worker = async (): Promise<void> => {
    for (let i = next++; i < n; i = next++) {
      const t0 = performance.now()
      try {
        await call(i)
      } catch {
        failures++
      }
      latencies[i] = performance.now() - t0
    }
  }
  const started = performance.now()
  await Promise.all(Array.from({ length: concurrency }, worker))
  const seconds = (performance.now() - started) / 1000
  latencies.sort()
  const at = (q: number): number => latencies[Math.min(n - 1, Math.floor(q * n))] ?? NaN
  const mean = latencies.reduce((s, x) => s + x, 0) / n
  return {
    calls: n,
    failures,
    seconds: round(seconds, 3),
    callsPerSec: Math.round(n / seconds),
    meanUs: Math.round(mean * 1000),
    p50Us: Math.round(at(0.5) * 1000),
    p99Us: Math.round(at(0.99) * 1000),
  }
}

export const round = (x: number, digits: number): number => Number(x.toFixed(digits))

/** The median of some numbers (the lower middle one for an even count). */
export function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? NaN
}
