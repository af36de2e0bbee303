import { describe, expect, it } from 'vitest'
import { createProgressTracker } from './copy-context.js'
import type { PartProgress } from './copy-context.js'
import { copyParts } from './copy-parts.js'
import type { DonePart, SendPart } from './copy-parts.js'
import { methodLadder, partMethods } from './part-methods.js'
import type { PartMethod } from './part-methods.js'
import { pendingParts } from './pending-parts.js'
import { planParts } from './plan-parts.js'
import type { PartRange } from './plan-parts.js'
import type { CopyProgress } from './resolve-copy-options.js'

const MiB = 1024 ** 2
const plan = planParts(23 * MiB, { partSize: 5 * MiB })
const tick = () => new Promise<void>((r) => setImmediate(r))
const part = (n: number): DonePart => ({ etag: `"e${n}"`, md5: undefined, crc32: `c${n}` })

/** A SendPart that streams each part in two halves and lets `decide` say how it ends. */
function fakeSend(
  decide: (part: PartRange, method: PartMethod) => 'done' | 'unproved' | Error,
  calls: Array<[number, PartMethod]>,
): SendPart {
  return async (p, method, progress: PartProgress) => {
    calls.push([p.partNumber, method])
    progress.add(p.length / 2)
    await tick()
    progress.add(p.length - p.length / 2)
    const how = decide(p, method)
    if (how instanceof Error) throw how
    if (how === 'unproved') {
      progress.discard()
      return undefined
    }
    return part(p.partNumber)
  }
}

describe('pendingParts', () => {
  it('yields the ranges of the parts not yet at the destination, in order', () => {
    const ranges = [...pendingParts(plan, new Set([2, 4]))]
    expect(ranges).toEqual([
      { partNumber: 1, start: 0, length: 5 * MiB },
      { partNumber: 3, start: 10 * MiB, length: 5 * MiB },
      { partNumber: 5, start: 20 * MiB, length: 3 * MiB },
    ])
  })
})

describe('copyParts', () => {
  it('copies every pending part once and counts each byte once', async () => {
    const seen: CopyProgress[] = []
    const calls: Array<[number, PartMethod]> = []
    const ladder = methodLadder(partMethods({ crc32Stream: true, md5Stream: true }))
    const done = await copyParts(
      createProgressTracker('k', plan, (p) => seen.push(p)),
      pendingParts(plan),
      2,
      ladder,
      fakeSend(() => 'done', calls),
      new AbortController(),
    )
    expect([...done.keys()].sort()).toEqual([1, 2, 3, 4, 5])
    expect(calls.every(([, m]) => m === 'stream-crc32')).toBe(true)
    expect(seen.at(-1)).toMatchObject({ bytes: 23 * MiB, partsDone: 5 })
    expect(Math.max(...seen.map((p) => p.bytes))).toBe(23 * MiB)
  })

  it('moves every worker down the ladder once a method proves nothing, and sends that part again', async () => {
    const seen: CopyProgress[] = []
    const calls: Array<[number, PartMethod]> = []
    const ladder = methodLadder(partMethods({ crc32Stream: true, md5Stream: true }))
    // A store that takes the CRC32 trailer but returns no checksum: nothing was verified.
    const send = fakeSend((_p, m) => (m === 'stream-crc32' ? 'unproved' : 'done'), calls)
    const done = await copyParts(
      createProgressTracker('k', plan, (p) => seen.push(p)),
      pendingParts(plan),
      2,
      ladder,
      send,
      new AbortController(),
    )
    expect(done.size).toBe(5)
    // The two parts in flight tried CRC32; every later attempt used MD5.
    expect(calls.filter(([, m]) => m === 'stream-crc32').map(([n]) => n)).toEqual([1, 2])
    expect(
      calls
        .filter(([, m]) => m === 'stream-md5')
        .map(([n]) => n)
        .sort(),
    ).toEqual([1, 2, 3, 4, 5])
    expect(ladder.current()).toBe('stream-md5')
    expect(seen.at(-1)).toMatchObject({ bytes: 23 * MiB, partsDone: 5 })
    expect(Math.max(...seen.map((p) => p.bytes))).toBeLessThanOrEqual(23 * MiB)
  })

  it('stops the other workers on the first failure and rethrows it', async () => {
    const calls: Array<[number, PartMethod]> = []
    const boom = new Error('part 2 failed for good')
    const stop = new AbortController()
    const ladder = methodLadder(partMethods({ crc32Stream: false, md5Stream: true }))
    const send = fakeSend((p) => (p.partNumber === 2 ? boom : 'done'), calls)
    const progress = createProgressTracker('k', plan, undefined)
    await expect(copyParts(progress, pendingParts(plan), 2, ladder, send, stop)).rejects.toBe(boom)
    expect(stop.signal.aborted).toBe(true)
    // Part 3 was pulled as part 1 finished, before part 2 failed; nothing after.
    expect(calls.map(([n]) => n)).toEqual([1, 2, 3])
  })
})

describe('partMethods and methodLadder', () => {
  it('orders the methods by what the destination can prove, buffered last', () => {
    expect(partMethods({ crc32Stream: true, md5Stream: true })).toEqual([
      'stream-crc32',
      'stream-md5',
      'buffered-md5',
    ])
    // SSE-KMS, or a client that adds its own trailers: a CRC32 still proves a streamed part.
    expect(partMethods({ crc32Stream: true, md5Stream: false })).toEqual([
      'stream-crc32',
      'buffered-md5',
    ])
    expect(partMethods({ crc32Stream: false, md5Stream: true })).toEqual([
      'stream-md5',
      'buffered-md5',
    ])
    expect(partMethods({ crc32Stream: false, md5Stream: false })).toEqual(['buffered-md5'])
  })

  it('only moves down, whichever worker reports first', () => {
    const ladder = methodLadder(['stream-crc32', 'stream-md5', 'buffered-md5'])
    expect(ladder.after('stream-crc32')).toBe('stream-md5')
    // A second worker that was still on CRC32 learns the current method, not one lower.
    expect(ladder.after('stream-crc32')).toBe('stream-md5')
    expect(ladder.after('stream-md5')).toBe('buffered-md5')
    expect(() => ladder.after('buffered-md5')).toThrow(TypeError)
  })
})
