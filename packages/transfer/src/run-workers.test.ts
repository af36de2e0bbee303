import { describe, expect, it } from 'vitest'
import { runWorkers } from './run-workers.js'

const tick = () => new Promise<void>((r) => setImmediate(r))

describe('runWorkers', () => {
  it('processes every item once with at most `count` in flight', async () => {
    let inFlight = 0
    let peak = 0
    const seen: number[] = []
    await runWorkers(
      [1, 2, 3, 4, 5, 6, 7][Symbol.iterator](),
      3,
      async (n) => {
        inFlight++
        peak = Math.max(peak, inFlight)
        await tick()
        seen.push(n)
        inFlight--
      },
      new AbortController(),
    )
    expect(seen.sort()).toEqual([1, 2, 3, 4, 5, 6, 7])
    expect(peak).toBe(3)
  })

  it('stops pulling after the first failure, aborts the others and rethrows that error', async () => {
    const started: number[] = []
    const stop = new AbortController()
    const boom = new Error('boom')
    const run = runWorkers(
      [1, 2, 3, 4, 5, 6][Symbol.iterator](),
      2,
      async (n) => {
        started.push(n)
        if (n === 1) throw boom
        await new Promise<void>((resolve, reject) => {
          stop.signal.addEventListener('abort', () => reject(new Error('cancelled')))
          setTimeout(resolve, 1000)
        })
      },
      stop,
    )
    await expect(run).rejects.toBe(boom)
    expect(started).toEqual([1, 2])
    expect(stop.signal.reason).toBe(boom)
  })

  it('rejects with the abort reason when stopped from outside', async () => {
    const stop = new AbortController()
    const reason = new Error('user abort')
    let calls = 0
    const run = runWorkers(
      [1, 2, 3][Symbol.iterator](),
      1,
      async () => {
        calls++
        stop.abort(reason)
      },
      stop,
    )
    await expect(run).rejects.toBe(reason)
    expect(calls).toBe(1)
  })
})
