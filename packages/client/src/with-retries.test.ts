import { describe, expect, it } from 'vitest'
import {
  S3CredentialsAuthError,
  S3CredentialsTimeoutError,
  S3CredentialsUnavailableError,
} from './errors.js'
import { withRetries } from './with-retries.js'

function policy(random = 1 - Number.EPSILON) {
  const sleeps: number[] = []
  return {
    sleeps,
    policy: {
      maxAttempts: 4,
      baseDelayMs: 250,
      maxDelayMs: 10_000,
      random: () => random,
      sleep: async (ms: number) => {
        sleeps.push(Math.round(ms))
      },
    },
  }
}

const down = (retryAfterMs?: number) =>
  new S3CredentialsUnavailableError('The credentials endpoint answered 503', {
    status: 503,
    retryAfterMs,
  })

describe('withRetries', () => {
  it('returns the first success without waiting', async () => {
    const { sleeps, policy: p } = policy()
    expect(await withRetries(async () => 'ok', p)).toBe('ok')
    expect(sleeps).toEqual([])
  })

  it('backs off exponentially with full jitter, up to maxAttempts', async () => {
    const { sleeps, policy: p } = policy()
    let calls = 0
    const err = await withRetries(async () => {
      calls++
      throw down()
    }, p).catch((e: unknown) => e)
    expect(calls).toBe(4)
    expect(sleeps).toEqual([250, 500, 1000]) // random ≈ 1: the cap of each full-jitter draw
    expect(err).toBeInstanceOf(S3CredentialsUnavailableError)
    expect(err).toMatchObject({
      code: 'ERR_UNAVAILABLE',
      status: 503,
      message: 'The credentials endpoint answered 503 (gave up after 4 attempts)',
    })
  })

  it('draws each wait uniformly below the cap', async () => {
    const { sleeps, policy: p } = policy(0.5)
    await withRetries(async () => {
      throw down()
    }, p).catch(() => {})
    expect(sleeps).toEqual([125, 250, 500])
  })

  it('caps the exponential at maxDelayMs', async () => {
    const { sleeps, policy: p } = policy()
    await withRetries(
      async () => {
        throw down()
      },
      { ...p, maxAttempts: 8, maxDelayMs: 3000 },
    ).catch(() => {})
    expect(sleeps).toEqual([250, 500, 1000, 2000, 3000, 3000, 3000])
  })

  it("waits at least the server's Retry-After", async () => {
    const { sleeps, policy: p } = policy(0)
    let calls = 0
    const result = await withRetries(async () => {
      if (++calls < 3) throw down(2000)
      return 'ok'
    }, p)
    expect(result).toBe('ok')
    expect(sleeps).toEqual([2000, 2000])
  })

  it('gives up at once when Retry-After exceeds maxDelayMs', async () => {
    const { sleeps, policy: p } = policy()
    let calls = 0
    const err = await withRetries(async () => {
      calls++
      throw down(60_000)
    }, p).catch((e: unknown) => e)
    expect(calls).toBe(1)
    expect(sleeps).toEqual([])
    expect(err).toMatchObject({
      code: 'ERR_UNAVAILABLE',
      retryAfterMs: 60_000,
      message: 'The credentials endpoint answered 503 (server asked to wait 60 s after 1 attempt)',
    })
  })

  it('retries timeouts and reports them as ERR_TIMEOUT', async () => {
    const { policy: p } = policy()
    const err = await withRetries(
      async () => {
        throw new S3CredentialsTimeoutError('X did not answer within 15000 ms')
      },
      { ...p, maxAttempts: 2 },
    ).catch((e: unknown) => e)
    expect(err).toMatchObject({
      code: 'ERR_TIMEOUT',
      message: 'X did not answer within 15000 ms (gave up after 2 attempts)',
    })
  })

  it('does not retry other errors', async () => {
    const { sleeps, policy: p } = policy()
    let calls = 0
    const auth = new S3CredentialsAuthError('no')
    const err = await withRetries(async () => {
      calls++
      throw auth
    }, p).catch((e: unknown) => e)
    expect(err).toBe(auth)
    expect(calls).toBe(1)
    expect(sleeps).toEqual([])
  })
})
