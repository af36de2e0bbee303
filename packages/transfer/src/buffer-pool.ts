/**
 * At most `count` buffers, in use or idle, handed out one per in-flight part: the bound behind
 * "memory stays near partSize × concurrency". Idle buffers are reused, so a long copy allocates
 * `count` buffers once instead of one per part.
 */
export interface BufferPool {
  /** Waits for a free slot, then returns a buffer of exactly `length` bytes (a view). */
  acquire(length: number, signal: AbortSignal): Promise<Buffer>
  release(buffer: Buffer): void
}

export function createBufferPool(count: number): BufferPool {
  if (!Number.isSafeInteger(count) || count < 1) throw new TypeError('count must be ≥ 1')
  const idle: Buffer[] = []
  const waiting: Array<() => void> = []
  const owner = new WeakMap<Buffer, Buffer>()
  let free = count

  const slot = (signal: AbortSignal): Promise<void> => {
    if (free > 0) {
      free--
      return Promise.resolve()
    }
    return new Promise((resolve, reject) => {
      const grant = (): void => {
        signal.removeEventListener('abort', cancel)
        resolve()
      }
      const cancel = (): void => {
        waiting.splice(waiting.indexOf(grant), 1)
        reject(signal.reason)
      }
      waiting.push(grant)
      signal.addEventListener('abort', cancel, { once: true })
    })
  }

  return {
    async acquire(length, signal) {
      if (signal.aborted) throw signal.reason
      await slot(signal)
      const i = idle.findIndex((b) => b.length >= length)
      // Replace a too-small idle buffer rather than add one, so no more than `count` exist.
      if (i < 0 && idle.length > 0) idle.shift()
      const base = i < 0 ? Buffer.allocUnsafeSlow(length) : (idle.splice(i, 1)[0] as Buffer)
      const view = base.subarray(0, length)
      owner.set(view, base)
      return view
    },
    release(view) {
      const base = owner.get(view)
      if (base === undefined) return
      owner.delete(view)
      idle.push(base)
      const next = waiting.shift()
      if (next) next()
      else free++
    },
  }
}
