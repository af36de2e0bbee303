import { constants } from 'node:buffer'
import { describe, expect, it } from 'vitest'
import { formatBytes } from './parse-byte-size.js'
import { MiB } from './plan-parts.js'
import { MAX_COPY_PART_SIZE, resolveTuning } from './resolve-copy-options.js'

describe('resolveTuning', () => {
  it('fills in the documented defaults', () => {
    const t = resolveTuning({})
    expect(t).toMatchObject({
      partSize: 128 * MiB,
      concurrency: 4,
      resume: true,
      leavePartsOnError: false,
      checksum: 'auto',
      retry: { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 20_000 },
    })
    expect(Object.isFrozen(t)).toBe(true)
  })

  it.each([
    [
      { partSize: 5 * MiB - 1 },
      'partSize must be an integer from 5242880 (5 MiB) to 5368709120 (5 GiB), got 5242879 (5.00 MiB)',
    ],
    [{ concurrency: 0 }, 'concurrency must be an integer ≥ 1, got 0'],
    [{ concurrency: 2.5 }, 'concurrency must be an integer ≥ 1, got 2.5'],
    [{ retry: { maxAttempts: 0 } }, 'retry.maxAttempts must be an integer ≥ 1, got 0'],
    [{ checksum: 'sha256' }, "checksum must be 'auto', 'crc32' or 'md5', got sha256"],
  ])('refuses %j with ERR_INVALID_OPTION', (options, message) => {
    expect(() => resolveTuning(options as Parameters<typeof resolveTuning>[0])).toThrow(
      expect.objectContaining({ name: 'TransferOptionError', code: 'ERR_INVALID_OPTION', message }),
    )
  })

  it('caps parts at the largest Buffer Node.js can allocate', () => {
    expect(MAX_COPY_PART_SIZE).toBe(Math.min(5 * 1024 * MiB, constants.MAX_LENGTH))
    if (MAX_COPY_PART_SIZE < 5 * 1024 * MiB) {
      expect(() => resolveTuning({ partSize: 5 * 1024 * MiB })).toThrow(
        expect.objectContaining({
          option: 'partSize',
          message: `partSize must be at most ${formatBytes(MAX_COPY_PART_SIZE)}, the largest Buffer this Node.js can allocate, got 5.00 GiB`,
        }),
      )
    }
    expect(resolveTuning({ partSize: MAX_COPY_PART_SIZE }).partSize).toBe(MAX_COPY_PART_SIZE)
  })
})
