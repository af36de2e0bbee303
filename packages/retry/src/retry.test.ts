import { describe, expect, it } from 'vitest'
import { fullJitterDelay, retry } from './retry.js'
import type { GiveUpReason, RetryAttemptFailure } from './retry.js'

class Transient extends Error {
  readonly retryAfterMs: number | undefined
  constructor(retryAfterMs?: number) {
    super('transient')
    this.retryAfterMs = retryAfterMs
  }
}

function policy(
  random: number,
  overrides: Partial<{ maxAttempts: number; maxDelayMs: number }> = {},
) {
  const sleeps: number[] = []
  return {
    sleeps,
    policy: {
      maxAttempts: overrides.maxAttempts ?? 4,
      baseDelayMs: 100,
      maxDelayMs: overrides.maxDelayMs ?? 10_000,
      random: () => random,
      sleep: async (ms: number) => {
        sleeps.push(ms)
      },
    },
  }
}

const hooks = {
  isRetryable: (err: unknown) => err instanceof Transient,
  retryAfterMs: (err: unknown) => (err instanceof Transient ? err.retryAfterMs : undefined),
}

describe('fullJitterDelay', () => {
  it('draws uniformly below min(max, base·2ⁿ⁻¹)', () => {
    const p = { baseDelayMs: 100, maxDelayMs: 500, random: () => 0.5 }
    expect([1, 2, 3, 4, 5].map((n) => fullJitterDelay(n, p))).toEqual([50, 100, 200, 250, 250])
    expect(fullJitterDelay(3, { ...p, random: () => 0 })).toBe(0)
  })
})

describe('retry', () => {
  it('returns the first success without waiting', async () => {
    const { sleeps, policy: p } = policy(0.5)
    expect(await retry(async (n) => `ok ${n}`, p, hooks)).toBe('ok 1')
    expect(sleeps).toEqual([])
  })

  it('retries retryable errors with full-jitter waits until maxAttempts, then rethrows the last', async () => {
    const { sleeps, policy: p } = policy(0.5)
    const failures: RetryAttemptFailure[] = []
    const errors: Transient[] = []
    const err = await retry(
      async () => {
        const e = new Transient()
        errors.push(e)
        throw e
      },
      p,
      { ...hooks, onRetry: (f) => failures.push(f) },
    ).catch((e: unknown) => e)
    expect(err).toBe(errors[3])
    expect(sleeps).toEqual([50, 100, 200])
    expect(failures.map((f) => [f.attempt, f.delayMs, f.error])).toEqual([
      [1, 50, errors[0]],
      [2, 100, errors[1]],
      [3, 200, errors[2]],
    ])
  })

  it('rethrows a non-retryable error at once, unchanged', async () => {
    const { sleeps, policy: p } = policy(0.5)
    const bug = new TypeError('bug')
    let calls = 0
    const err = await retry(
      async () => {
        calls++
        throw bug
      },
      p,
      hooks,
    ).catch((e: unknown) => e)
    expect([err, calls, sleeps]).toEqual([bug, 1, []])
  })

  it("waits at least the server's Retry-After", async () => {
    const { sleeps, policy: p } = policy(0)
    let calls = 0
    const result = await retry(
      async () => {
        if (++calls < 3) throw new Transient(2000)
        return 'ok'
      },
      p,
      hooks,
    )
    expect([result, sleeps]).toEqual(['ok', [2000, 2000]])
  })

  it('gives up at once when Retry-After exceeds maxDelayMs, through onGiveUp', async () => {
    const { sleeps, policy: p } = policy(0.5, { maxDelayMs: 1000 })
    const reasons: GiveUpReason[] = []
    const err = await retry(
      async () => {
        throw new Transient(60_000)
      },
      p,
      {
        ...hooks,
        onGiveUp: (e, reason) => {
          reasons.push(reason)
          return new Error('mapped', { cause: e })
        },
      },
    ).catch((e: unknown) => e)
    expect(sleeps).toEqual([])
    expect(reasons).toEqual([{ kind: 'retry-after', attempts: 1, retryAfterMs: 60_000 }])
    expect((err as Error).message).toBe('mapped')
  })

  it('reports running out of attempts to onGiveUp', async () => {
    const { policy: p } = policy(0.5, { maxAttempts: 2 })
    const reasons: GiveUpReason[] = []
    await retry(
      async () => {
        throw new Transient()
      },
      p,
      { ...hooks, onGiveUp: (e, reason) => (reasons.push(reason), e) },
    ).catch(() => {})
    expect(reasons).toEqual([{ kind: 'attempts', attempts: 2 }])
  })

  it('stops once the signal aborts and rethrows the last error', async () => {
    const { policy: p } = policy(0.5)
    const controller = new AbortController()
    let calls = 0
    const err = await retry(
      async () => {
        calls++
        controller.abort()
        throw new Transient()
      },
      p,
      { ...hooks, signal: controller.signal },
    ).catch((e: unknown) => e)
    expect(calls).toBe(1)
    expect(err).toBeInstanceOf(Transient)
  })
})
