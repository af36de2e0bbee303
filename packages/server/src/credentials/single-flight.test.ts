import { describe, expect, it } from 'vitest'
import { createSingleFlight } from './single-flight.js'

function deferred<T>() {
  let resolve!: (v: T) => void
  let reject!: (e: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

describe('createSingleFlight', () => {
  it('runs one call for concurrent identical keys, separate calls for other keys', async () => {
    const flights = createSingleFlight<string>()
    let calls = 0
    const d = deferred<string>()
    const fn = () => {
      calls++
      return d.promise
    }
    const all = Promise.all([flights.run('k', fn), flights.run('k', fn), flights.run('k', fn)])
    const other = flights.run('other', async () => 'x')
    expect(calls).toBe(1)
    d.resolve('v')
    expect(await all).toEqual([
      { value: 'v', shared: false },
      { value: 'v', shared: true },
      { value: 'v', shared: true },
    ])
    expect(await other).toEqual({ value: 'x', shared: false })
  })

  it('keeps a success for shareSettledMs (exclusive), measured on the injected clock', async () => {
    let now = 1_000
    const flights = createSingleFlight<number>({ shareSettledMs: 500, now: () => now })
    let calls = 0
    const fn = async () => ++calls
    expect(await flights.run('k', fn)).toEqual({ value: 1, shared: false })
    now += 499
    expect(await flights.run('k', fn)).toEqual({ value: 1, shared: true })
    now += 1
    expect(await flights.run('k', fn)).toEqual({ value: 2, shared: false })
  })

  it('forgets a failure at once: the next request calls again', async () => {
    const flights = createSingleFlight<string>()
    const d = deferred<string>()
    const first = Promise.allSettled([
      flights.run('k', () => d.promise),
      flights.run('k', () => d.promise),
    ])
    d.reject(new Error('boom'))
    expect((await first).map((r) => r.status)).toEqual(['rejected', 'rejected'])
    await expect(flights.run('k', async () => 'ok')).resolves.toEqual({
      value: 'ok',
      shared: false,
    })
  })

  it('with shareSettledMs 0 shares only while in flight', async () => {
    const flights = createSingleFlight<number>({ shareSettledMs: 0 })
    let calls = 0
    await flights.run('k', async () => ++calls)
    await flights.run('k', async () => ++calls)
    expect(calls).toBe(2)
  })

  it('rejects a negative or infinite window (misuse)', () => {
    expect(() => createSingleFlight({ shareSettledMs: -1 })).toThrow(TypeError)
    expect(() => createSingleFlight({ shareSettledMs: Infinity })).toThrow(TypeError)
  })
})
