import { describe, expect, it } from 'vitest'
import { ObjectTooLargeError, TransferOptionError } from './errors.js'
import {
  GiB,
  MAX_PART_SIZE,
  MiB,
  MIN_PART_SIZE,
  checkPartSize,
  partRange,
  planParts,
} from './plan-parts.js'
import type { PartPlan } from './plan-parts.js'

const TiB = 1024 * GiB

function ranges(plan: PartPlan) {
  return Array.from({ length: plan.partCount }, (_, i) => partRange(plan, i + 1))
}

describe('planParts', () => {
  it('copies an empty object with one empty single-part plan', () => {
    const plan = planParts(0)
    expect(plan).toEqual({ size: 0, partSize: 128 * MiB, partCount: 1, multipart: false })
    expect(partRange(plan, 1)).toEqual({ partNumber: 1, start: 0, length: 0 })
  })

  it('copies 1 byte with a single-part plan', () => {
    const plan = planParts(1, { partSize: 5 * MiB })
    expect(plan).toEqual({ size: 1, partSize: 5 * MiB, partCount: 1, multipart: false })
    expect(partRange(plan, 1)).toEqual({ partNumber: 1, start: 0, length: 1 })
  })

  it('uses one PutObject for an object of exactly one part', () => {
    expect(planParts(5 * MiB, { partSize: 5 * MiB }).multipart).toBe(false)
    expect(planParts(128 * MiB).multipart).toBe(false)
  })

  it('goes multipart one byte past the part size, with a 1-byte last part', () => {
    const plan = planParts(5 * MiB + 1, { partSize: 5 * MiB })
    expect(plan).toEqual({ size: 5 * MiB + 1, partSize: 5 * MiB, partCount: 2, multipart: true })
    expect(ranges(plan)).toEqual([
      { partNumber: 1, start: 0, length: 5 * MiB },
      { partNumber: 2, start: 5 * MiB, length: 1 },
    ])
  })

  it('has no empty last part for exact multiples', () => {
    const plan = planParts(3 * 5 * MiB, { partSize: 5 * MiB })
    expect(plan.partCount).toBe(3)
    expect(ranges(plan).map((r) => r.length)).toEqual([5 * MiB, 5 * MiB, 5 * MiB])
  })

  it('keeps the requested size at exactly 10,000 parts and raises it one byte later', () => {
    expect(planParts(10_000 * 5 * MiB, { partSize: 5 * MiB })).toMatchObject({
      partSize: 5 * MiB,
      partCount: 10_000,
    })
    expect(planParts(10_000 * 5 * MiB + 1, { partSize: 5 * MiB })).toMatchObject({
      partSize: 6 * MiB,
      partCount: 8334,
    })
  })

  it('raises the default part size to 525 MiB for 5 TiB (S3 maximum object)', () => {
    const plan = planParts(5 * TiB)
    expect(plan).toEqual({ size: 5 * TiB, partSize: 525 * MiB, partCount: 9987, multipart: true })
    const last = partRange(plan, plan.partCount)
    expect(last.start + last.length).toBe(5 * TiB)
  })

  it('rounds a raised part size up to a whole MiB', () => {
    const plan = planParts(20 * GiB + 12345, { partSize: 5 * MiB, maxParts: 100 })
    expect(plan.partSize % MiB).toBe(0)
    expect(plan.partSize).toBe(205 * MiB)
    expect(plan.partCount).toBeLessThanOrEqual(100)
  })

  it('keeps a requested size that is not a MiB multiple when it fits', () => {
    expect(planParts(20 * MiB, { partSize: 5 * MiB + 7 }).partSize).toBe(5 * MiB + 7)
  })

  it('covers every byte exactly once, in order, for many sizes', () => {
    const sizes = [1, 2, 5 * MiB - 1, 5 * MiB, 5 * MiB + 1, 17 * MiB + 3, 100 * MiB, 64 * GiB + 9]
    for (const size of sizes) {
      for (const partSize of [5 * MiB, 8 * MiB + 1, 64 * MiB]) {
        const plan = planParts(size, { partSize, maxParts: 1000 })
        const rs = ranges(plan)
        let next = 0
        for (const r of rs) {
          expect(r.start).toBe(next)
          expect(r.length).toBeGreaterThan(0)
          next += r.length
        }
        expect(next).toBe(size)
        expect(plan.partCount).toBeLessThanOrEqual(1000)
        expect(rs.slice(0, -1).every((r) => r.length === plan.partSize)).toBe(true)
        if (plan.multipart) expect(plan.partCount).toBeGreaterThan(1)
      }
    }
  })

  it('refuses an object that needs more than 10,000 parts of 5 GiB', () => {
    expect(planParts(10_000 * MAX_PART_SIZE).partSize).toBe(MAX_PART_SIZE)
    let err: unknown
    try {
      planParts(10_000 * MAX_PART_SIZE + 1)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(ObjectTooLargeError)
    expect(err).toMatchObject({
      code: 'ERR_OBJECT_TOO_LARGE',
      message:
        'An object of 53687091200001 bytes needs more than 10000 parts of 5 GiB, the most S3 allows',
    })
  })

  it.each([-1, 1.5, Number.NaN, Infinity, 2 ** 53])(
    'rejects size %s as an invalid option',
    (size) => {
      expect(() => planParts(size)).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_OPTION', option: 'size' }),
      )
    },
  )

  it.each([0, 10_001, 1.5])('rejects maxParts %s as an invalid option', (maxParts) => {
    expect(() => planParts(10, { maxParts })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTION', option: 'maxParts' }),
    )
  })
})

describe('checkPartSize', () => {
  it('accepts 5 MiB and 5 GiB', () => {
    expect(checkPartSize(MIN_PART_SIZE)).toBe(MIN_PART_SIZE)
    expect(checkPartSize(MAX_PART_SIZE)).toBe(MAX_PART_SIZE)
  })

  it.each([
    [MIN_PART_SIZE - 1, '5242879 (5.00 MiB)'],
    [MAX_PART_SIZE + 1, '5368709121 (5.00 GiB)'],
    [5.5 * MiB + 0.5, '5767168.5 (5.50 MiB)'],
    [Number.NaN, 'NaN'],
    [-5, '-5 (-5 B)'],
  ])('rejects %s with ERR_INVALID_OPTION naming the range', (partSize, got) => {
    const err = (() => {
      try {
        checkPartSize(partSize)
      } catch (e) {
        return e
      }
      return undefined
    })()
    expect(err).toBeInstanceOf(TransferOptionError)
    expect(err).toMatchObject({
      code: 'ERR_INVALID_OPTION',
      option: 'partSize',
      message: `partSize must be an integer from 5242880 (5 MiB) to 5368709120 (5 GiB), got ${got}`,
    })
  })
})

describe('partRange', () => {
  it('rejects part numbers outside the plan', () => {
    const plan = planParts(11 * MiB, { partSize: 5 * MiB })
    expect(() => partRange(plan, 0)).toThrow(RangeError)
    expect(() => partRange(plan, 4)).toThrow('part 4 is outside 1..3')
    expect(partRange(plan, 3)).toEqual({ partNumber: 3, start: 10 * MiB, length: MiB })
  })
})
