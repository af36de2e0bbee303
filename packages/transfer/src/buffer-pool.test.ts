import { describe, expect, it } from 'vitest'
import { createBufferPool } from './buffer-pool.js'

const signal = new AbortController().signal

describe('createBufferPool', () => {
  it('hands out views of the asked length and reuses released buffers', async () => {
    const pool = createBufferPool(1)
    const a = await pool.acquire(100, signal)
    expect(a.length).toBe(100)
    a[0] = 42
    pool.release(a)
    const b = await pool.acquire(60, signal)
    expect(b.length).toBe(60)
    expect(b.buffer).toBe(a.buffer)
    expect(b[0]).toBe(42)
  })

  it('makes the count+1-th caller wait until a buffer is released', async () => {
    const pool = createBufferPool(2)
    const a = await pool.acquire(10, signal)
    await pool.acquire(10, signal)
    let third = false
    const p = pool.acquire(10, signal).then(() => (third = true))
    await new Promise((r) => setImmediate(r))
    expect(third).toBe(false)
    pool.release(a)
    await p
    expect(third).toBe(true)
  })

  it('never holds more than count buffers, replacing small idle ones', async () => {
    const pool = createBufferPool(1)
    const small = await pool.acquire(10, signal)
    pool.release(small)
    const big = await pool.acquire(1000, signal)
    expect(big.buffer).not.toBe(small.buffer)
    pool.release(big)
    const again = await pool.acquire(10, signal)
    expect(again.buffer).toBe(big.buffer)
  })

  it('rejects a waiting acquire when its signal aborts', async () => {
    const pool = createBufferPool(1)
    await pool.acquire(10, signal)
    const stop = new AbortController()
    const p = pool.acquire(10, stop.signal)
    stop.abort(new Error('stop'))
    await expect(p).rejects.toThrow('stop')
  })
})
