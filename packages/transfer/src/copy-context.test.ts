import { describe, expect, it } from 'vitest'
import { failed, succeeded } from './attempt-outcome.js'
import type { AttemptOutcome } from './attempt-outcome.js'
import { createProgressTracker, runAttempts, runStep } from './copy-context.js'
import { TransferError } from './errors.js'
import { planParts } from './plan-parts.js'
import { BodyLengthError } from './read-body-into.js'
import type { CopyProgress } from './resolve-copy-options.js'
import { resolveRetry } from './with-retry.js'
import type { RetryEvent } from './with-retry.js'

const MiB = 1024 ** 2
const s3Error = (name: string, status: number) =>
  Object.assign(new Error('UnknownError'), { name, $metadata: { httpStatusCode: status } })

function context(events: RetryEvent[] = []) {
  const retry = resolveRetry({ maxAttempts: 3, sleep: async () => {} })
  const tuning = { retry, onRetry: (e: RetryEvent) => events.push(e) }
  return { tuning, signal: new AbortController().signal } as unknown as Parameters<
    typeof runAttempts
  >[0]
}
const uploadPartStep = {
  side: 'dest',
  operation: 'UploadPart',
  partNumber: 2,
  bucket: 'dst',
  key: 'k',
} as const

describe('runAttempts', () => {
  it('retries a retryable failure and reports the side and cause the attempt named', async () => {
    const events: RetryEvent[] = []
    const cause = new BodyLengthError(10, 4)
    const outcomes: AttemptOutcome<string>[] = [
      failed('source', 'GetObject', cause),
      succeeded('etag'),
    ]
    const value = await runAttempts(context(events), uploadPartStep, async () => {
      return outcomes.shift() as AttemptOutcome<string>
    })
    expect(value).toBe('etag')
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({ operation: 'GetObject', partNumber: 2, attempt: 1 })
    expect(events[0]?.error).toBe(cause)
  })

  it('does not retry a failure marked final, and names its side in the TransferError', async () => {
    let attempts = 0
    const err = await runAttempts(context(), uploadPartStep, async () => {
      attempts++
      return failed('source', 'GetObject', s3Error('PreconditionFailed', 412))
    }).catch((e: unknown) => e)
    expect(attempts).toBe(1)
    expect(err).toMatchObject({ code: 'ERR_SOURCE_CHANGED', side: 'source' })
    expect((err as Error).message).toContain('s3://dst/k')
  })

  it('gives up after maxAttempts with the last cause, on the failing side', async () => {
    let attempts = 0
    const err = await runAttempts(context(), uploadPartStep, async () => {
      attempts++
      return failed('dest', 'UploadPart', s3Error('InternalError', 500))
    }).catch((e: unknown) => e)
    expect(attempts).toBe(3)
    expect(err).toBeInstanceOf(TransferError)
    expect(err).toMatchObject({ code: 'ERR_TRANSFER', side: 'dest' })
    expect((err as Error).message).toBe(
      'UploadPart on s3://dst/k (part 2) failed: InternalError (HTTP 500)',
    )
  })

  it('honours an explicit retryable flag over the classification', async () => {
    let attempts = 0
    await runAttempts(context(), uploadPartStep, async () => {
      attempts++
      return failed('dest', 'UploadPart', new Error('the ETag is not the MD5 sent'), true)
    }).catch(() => {})
    expect(attempts).toBe(3)
  })
})

describe('runStep', () => {
  it('treats what the call throws as a failure of the step side, retried by the S3 rules', async () => {
    const events: RetryEvent[] = []
    let attempts = 0
    const err = await runStep(context(events), uploadPartStep, async () => {
      attempts++
      throw attempts === 1 ? s3Error('SlowDown', 503) : s3Error('AccessDenied', 403)
    }).catch((e: unknown) => e)
    expect(attempts).toBe(2)
    expect(events.map((e) => e.operation)).toEqual(['UploadPart'])
    expect(err).toMatchObject({ code: 'ERR_ACCESS_DENIED', side: 'dest' })
  })
})

describe('createProgressTracker', () => {
  const plan = planParts(20 * MiB, { partSize: 5 * MiB })

  it('counts bytes as they arrive and takes back those of a discarded attempt', () => {
    const seen: CopyProgress[] = []
    const progress = createProgressTracker('k', plan, (p) => seen.push(p))
    const a = progress.part()
    const b = progress.part()
    a.add(3)
    b.add(5)
    a.add(4)
    a.discard()
    expect(seen.at(-1)).toMatchObject({ bytes: 5, partsDone: 0 })
    a.discard()
    expect(seen.at(-1)).toMatchObject({ bytes: 5 })
    a.add(2)
    a.done()
    b.done()
    expect(seen.at(-1)).toMatchObject({ key: 'k', bytes: 7, partsDone: 2, parts: 4 })
  })

  it('counts resumed parts as done', () => {
    const seen: CopyProgress[] = []
    createProgressTracker('k', plan, (p) => seen.push(p)).resumed(5 * MiB)
    expect(seen).toEqual([
      { key: 'k', bytes: 5 * MiB, totalBytes: 20 * MiB, partsDone: 1, parts: 4 },
    ])
  })
})

describe('runAttempts across both ends', () => {
  it('names the object of the side that failed', async () => {
    const ctx = {
      ...context(),
      source: { bucket: 'src', key: 'in' },
      dest: { bucket: 'dst', key: 'k' },
    } as unknown as Parameters<typeof runAttempts>[0]
    const err = await runAttempts(ctx, uploadPartStep, async () =>
      failed('source', 'GetObject', s3Error('AccessDenied', 403)),
    ).catch((e: unknown) => e)
    expect((err as Error).message).toMatch(/^GetObject on s3:\/\/src\/in \(part 2\) was denied/)
    expect(err).toMatchObject({ code: 'ERR_ACCESS_DENIED', side: 'source' })
  })
})
