import { describe, expect, it } from 'vitest'
import { isRetryable } from './classify-error.js'
import { resolveRetry, withRetry } from './with-retry.js'
import type { RetryEvent } from './with-retry.js'

function serviceError(name: string, status: number): Error {
  return Object.assign(new Error('UnknownError'), { name, $metadata: { httpStatusCode: status } })
}

function netError(code: string): Error {
  return Object.assign(new Error(code === 'ECONNRESET' ? 'aborted' : code), { code })
}

describe('isRetryable', () => {
  it.each([
    serviceError('InternalError', 500),
    serviceError('ServiceUnavailable', 503),
    serviceError('SlowDown', 503),
    serviceError('Unknown', 502),
    serviceError('TooManyRequests', 429),
    serviceError('RequestTimeout', 400),
    serviceError('ExpiredToken', 400),
    serviceError('BadDigest', 400),
    netError('ECONNRESET'),
    netError('EPIPE'),
    netError('ETIMEDOUT'),
    Object.assign(new Error('x'), { name: 'TimeoutError' }),
    Object.assign(new Error('short body'), { retryable: true }),
    new Error('wrapped', { cause: netError('ECONNRESET') }),
  ])('retries %s', (err) => {
    expect(isRetryable(err)).toBe(true)
  })

  it.each([
    serviceError('AccessDenied', 403),
    serviceError('NoSuchKey', 404),
    serviceError('PreconditionFailed', 412),
    serviceError('InvalidPart', 400),
    Object.assign(new Error('aborted'), { name: 'AbortError' }),
    new TypeError('bug'),
    'a string',
    null,
  ])('does not retry %s', (err) => {
    expect(isRetryable(err)).toBe(false)
  })
})

describe('withRetry', () => {
  const noSleep = { sleep: async () => {}, random: () => 0.5 }

  it('retries retryable errors with exponential, jittered, capped delays', async () => {
    const events: RetryEvent[] = []
    const slept: number[] = []
    const retry = resolveRetry({
      maxAttempts: 5,
      baseDelayMs: 100,
      maxDelayMs: 300,
      random: () => 0.5,
      sleep: async (ms) => {
        slept.push(ms)
      },
    })
    let calls = 0
    const result = await withRetry(
      async (attempt) => {
        calls++
        if (attempt < 4) throw netError('ECONNRESET')
        return 'ok'
      },
      retry,
      {
        operation: 'GetObject',
        partNumber: 7,
        signal: new AbortController().signal,
        isRetryable,
        onRetry: (e) => events.push(e),
      },
    )
    expect(result).toBe('ok')
    expect(calls).toBe(4)
    expect(slept).toEqual([50, 100, 150])
    expect(events.map((e) => [e.operation, e.partNumber, e.attempt, e.delayMs])).toEqual([
      ['GetObject', 7, 1, 50],
      ['GetObject', 7, 2, 100],
      ['GetObject', 7, 3, 150],
    ])
  })

  it('gives up after maxAttempts with the last error', async () => {
    const last = serviceError('InternalError', 500)
    let calls = 0
    const run = withRetry(
      async () => {
        calls++
        throw last
      },
      resolveRetry({ maxAttempts: 3, ...noSleep }),
      { operation: 'UploadPart', signal: new AbortController().signal, isRetryable },
    )
    await expect(run).rejects.toBe(last)
    expect(calls).toBe(3)
  })

  it('does not retry final errors', async () => {
    let calls = 0
    const denied = serviceError('AccessDenied', 403)
    await expect(
      withRetry(
        async () => {
          calls++
          throw denied
        },
        resolveRetry(noSleep),
        { operation: 'GetObject', signal: new AbortController().signal, isRetryable },
      ),
    ).rejects.toBe(denied)
    expect(calls).toBe(1)
  })

  it('stops retrying once the signal has aborted', async () => {
    const stop = new AbortController()
    let calls = 0
    const run = withRetry(
      async () => {
        calls++
        stop.abort()
        throw netError('ECONNRESET')
      },
      resolveRetry(noSleep),
      { operation: 'GetObject', signal: stop.signal, isRetryable },
    )
    await expect(run).rejects.toMatchObject({ code: 'ECONNRESET' })
    expect(calls).toBe(1)
  })

  it('rejects bad policies with ERR_INVALID_OPTION naming the option', () => {
    expect(() => resolveRetry({ maxAttempts: 0 })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTION', option: 'retry.maxAttempts' }),
    )
    expect(() => resolveRetry({ baseDelayMs: -1 })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTION', option: 'retry.baseDelayMs' }),
    )
  })
})
