import { PerformanceObserver, constants } from 'node:perf_hooks'
import type { PerformanceEntry } from 'node:perf_hooks'
import { describe, expect, it } from 'vitest'
import { YOUNG_GC_EVERY_BYTES, enableYoungGcWhileStreaming, noteStreamedBytes } from './young-gc.js'

/** Minor GCs that V8 reports while `work` runs (entries arrive asynchronously). */
async function minorGcsDuring(work: () => void): Promise<number> {
  let minor = 0
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const { detail } = entry as PerformanceEntry & { detail?: { kind?: number } }
      const kind = detail?.kind
      if (kind === constants.NODE_PERFORMANCE_GC_MINOR) minor++
    }
  })
  observer.observe({ entryTypes: ['gc'] })
  work()
  await new Promise((resolve) => setTimeout(resolve, 50))
  observer.disconnect()
  return minor
}

const stream32Chunks = (): void => {
  for (let i = 0; i < 32; i++) noteStreamedBytes(YOUNG_GC_EVERY_BYTES / 4)
}

describe('young-generation GC while streaming', () => {
  it('does nothing until a process opts in, then collects once per YOUNG_GC_EVERY_BYTES', async () => {
    // The loop allocates nothing, so V8 has no reason of its own to scavenge during it.
    expect(await minorGcsDuring(stream32Chunks)).toBeLessThan(8)
    enableYoungGcWhileStreaming()
    enableYoungGcWhileStreaming()
    expect(await minorGcsDuring(stream32Chunks)).toBeGreaterThanOrEqual(8)
  })
})
