import { describe, expect, it } from 'vitest'
import { createCredentialsCache } from './create-credentials-cache.js'
import type { CredentialsStore } from './credentials-store.js'
import { S3CredentialsUnavailableError } from './errors.js'
import type { S3Credentials } from './parse-s3-credentials.js'

const T0 = Date.parse('2030-01-01T00:00:00Z')
const HOUR = 3_600_000
const MIN = 60_000

/** A fake endpoint: each fetch returns generation n+1, valid `ttlMs` from the fake clock. */
function harness(
  overrides: {
    ttlMs?: number
    random?: () => number
    mandatoryRefreshMs?: number
    advisoryRefreshMs?: number
    minLifetimeMs?: number
    store?: CredentialsStore
  } = {},
) {
  const clock = { now: T0 }
  const warnings: string[] = []
  let fetches = 0
  let failWith: Error | undefined
  let gate: Promise<void> | undefined
  const ttl = overrides.ttlMs ?? HOUR
  const fetch = async (): Promise<S3Credentials> => {
    fetches++
    const n = fetches
    if (gate) await gate
    if (failWith) throw failWith
    return {
      accessKeyId: `AK${n}`,
      secretAccessKey: `secret${n}`,
      sessionToken: `token${n}`,
      expiresAt: clock.now + ttl,
      ttlMs: ttl,
    }
  }
  const cache = createCredentialsCache(
    { fetch, store: overrides.store, storeKey: async () => 'key' },
    {
      advisoryRefreshMs: overrides.advisoryRefreshMs ?? 15 * MIN,
      mandatoryRefreshMs: overrides.mandatoryRefreshMs ?? 5 * MIN,
      minLifetimeMs: overrides.minLifetimeMs ?? MIN,
      jitterMs: 30_000,
      now: () => clock.now,
      random: overrides.random ?? (() => 0.5), // 0.5 ⇒ zero jitter
      logger: { warn: (m) => warnings.push(m) },
    },
  )
  return {
    cache,
    clock,
    warnings,
    fetches: () => fetches,
    fail: (err: Error | undefined) => {
      failWith = err
    },
    hold: () => {
      let release!: () => void
      gate = new Promise<void>((r) => (release = r))
      return () => {
        gate = undefined
        release()
      }
    },
  }
}

/** Lets pending promise callbacks (a background refresh) run. */
const settle = () => new Promise<void>((r) => setImmediate(r))
const unavailable = () => new S3CredentialsUnavailableError('down', { status: 503 })

describe('createCredentialsCache', () => {
  it('fetches once, then serves from memory until the advisory window', async () => {
    const h = harness()
    expect((await h.cache.get()).accessKeyId).toBe('AK1')
    h.clock.now = T0 + HOUR - 15 * MIN - 1
    for (let i = 0; i < 100; i++) await h.cache.get()
    expect(h.fetches()).toBe(1)
    expect((await h.cache.get()).expiration).toEqual(new Date(T0 + HOUR))
  })

  it('in the advisory window, refreshes once in the background and keeps serving', async () => {
    const h = harness()
    await h.cache.get()
    h.clock.now = T0 + HOUR - 15 * MIN
    const release = h.hold()
    const during = await Promise.all(Array.from({ length: 50 }, () => h.cache.get()))
    expect(during.every((c) => c.accessKeyId === 'AK1')).toBe(true)
    expect(h.fetches()).toBe(2)
    release()
    await settle()
    expect((await h.cache.get()).accessKeyId).toBe('AK2')
    expect(h.fetches()).toBe(2)
  })

  it('serves the still-valid credentials when the background refresh fails, backing off', async () => {
    const h = harness()
    await h.cache.get()
    h.fail(unavailable())
    h.clock.now = T0 + HOUR - 15 * MIN
    expect((await h.cache.get()).accessKeyId).toBe('AK1')
    await settle()
    expect(h.fetches()).toBe(2)
    expect(h.warnings).toEqual([
      'refreshing S3 credentials failed: down (ERR_UNAVAILABLE); still using credentials that ' +
        'expire at 2030-01-01T01:00:00.000Z, next attempt in 30 s',
    ])
    // No new attempt during the back-off, however many calls come in.
    h.clock.now += 29_999
    expect((await h.cache.get()).accessKeyId).toBe('AK1')
    await settle()
    expect(h.fetches()).toBe(2)
    // The lock was released: the next attempt happens and backs off twice as long.
    h.clock.now += 1
    await h.cache.get()
    await settle()
    expect(h.fetches()).toBe(3)
    expect(h.warnings[1]).toMatch(/next attempt in 60 s$/)
    // Recovery.
    h.fail(undefined)
    h.clock.now += 60_000
    await h.cache.get()
    await settle()
    expect((await h.cache.get()).accessKeyId).toBe('AK4')
  })

  it('keeps working with the server down until the mandatory window, then fails', async () => {
    const h = harness()
    await h.cache.get()
    h.fail(unavailable())
    for (let t = T0 + HOUR - 15 * MIN; t < T0 + HOUR - 5 * MIN; t += 10_000) {
      h.clock.now = t
      expect((await h.cache.get()).accessKeyId).toBe('AK1')
      await settle()
    }
    h.clock.now = T0 + HOUR - 5 * MIN
    await expect(h.cache.get()).rejects.toThrow(S3CredentialsUnavailableError)
  })

  it('in the mandatory window, every caller waits for one shared refresh', async () => {
    const h = harness()
    await h.cache.get()
    h.clock.now = T0 + HOUR - 5 * MIN
    const all = await Promise.all(Array.from({ length: 1000 }, () => h.cache.get()))
    expect(h.fetches()).toBe(2)
    expect(new Set(all.map((c) => c.accessKeyId))).toEqual(new Set(['AK2']))
  })

  it('at the advisory boundary, 1000 concurrent callers cause exactly one fetch', async () => {
    const h = harness()
    await h.cache.get()
    h.clock.now = T0 + HOUR - 15 * MIN
    await Promise.all(Array.from({ length: 1000 }, () => h.cache.get()))
    await settle()
    await Promise.all(Array.from({ length: 1000 }, () => h.cache.get()))
    expect(h.fetches()).toBe(2)
  })

  it('shares one failing refresh among waiting callers, and the next call tries again', async () => {
    const h = harness()
    h.fail(unavailable())
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => h.cache.get()))
    expect(results.every((r) => r.status === 'rejected')).toBe(true)
    expect(h.fetches()).toBe(1)
    h.fail(undefined)
    expect((await h.cache.get()).accessKeyId).toBe('AK2')
  })

  it('never hands out credentials with less than minLifetimeMs left', async () => {
    // Windows of 0 leave only the floor: it alone must force the refresh.
    const h = harness({ advisoryRefreshMs: 0, mandatoryRefreshMs: 0 })
    await h.cache.get()
    h.clock.now = T0 + HOUR - MIN - 1
    expect((await h.cache.get()).accessKeyId).toBe('AK1')
    h.clock.now = T0 + HOUR - MIN
    expect((await h.cache.get()).accessKeyId).toBe('AK2')
  })

  it('rejects fresh credentials that already have less than minLifetimeMs left', async () => {
    const h = harness({ ttlMs: 59_000 })
    await expect(h.cache.get()).rejects.toMatchObject({
      code: 'ERR_INVALID_RESPONSE',
      message:
        'The credentials endpoint returned credentials that expire in 59 s, less than the 60 s minimum',
    })
  })

  it('scales the windows down for short-lived credentials (15 minutes)', async () => {
    const h = harness({ ttlMs: 15 * MIN })
    await h.cache.get()
    h.clock.now = T0 + 7.5 * MIN - 1 // advisory = min(15 min, ttl/2) = 7.5 min before expiry
    await h.cache.get()
    await settle()
    expect(h.fetches()).toBe(1)
    h.clock.now = T0 + 7.5 * MIN
    await h.cache.get()
    await settle()
    expect(h.fetches()).toBe(2)
  })

  it('blocks at a mandatory window of a quarter of a short lifetime', async () => {
    const h = harness({ ttlMs: 15 * MIN })
    await h.cache.get()
    h.fail(unavailable())
    h.clock.now = T0 + 15 * MIN - 3.75 * MIN - 1
    expect((await h.cache.get()).accessKeyId).toBe('AK1')
    await settle()
    h.clock.now = T0 + 15 * MIN - 3.75 * MIN
    await expect(h.cache.get()).rejects.toThrow('down')
  })

  it.each([
    ['lowest', () => 0, -30_000],
    ['highest', () => 0.999_999_999, 30_000],
  ])('jitter: the %s draw moves both windows by ±30 s', async (_name, random, shift) => {
    const h = harness({ random })
    await h.cache.get()
    const advisoryAt = T0 + HOUR - 15 * MIN + shift
    h.clock.now = Math.ceil(advisoryAt) - 1
    await h.cache.get()
    await settle()
    expect(h.fetches()).toBe(1)
    h.clock.now = Math.ceil(advisoryAt)
    h.fail(unavailable())
    await h.cache.get()
    await settle()
    expect(h.fetches()).toBe(2)
    const mandatoryAt = T0 + HOUR - 5 * MIN + shift
    h.clock.now = Math.ceil(mandatoryAt) - 1
    expect((await h.cache.get()).accessKeyId).toBe('AK1')
    await settle()
    h.clock.now = Math.ceil(mandatoryAt)
    await expect(h.cache.get()).rejects.toThrow('down')
  })

  it('forceRefresh fetches even while the credentials are fresh, joining an in-flight refresh', async () => {
    const h = harness()
    await h.cache.get()
    const release = h.hold()
    const forced = Promise.all([h.cache.forceRefresh(), h.cache.forceRefresh(), h.cache.get()])
    release()
    const [a, b, c] = await forced
    expect([a.accessKeyId, b.accessKeyId, c.accessKeyId]).toEqual(['AK2', 'AK2', 'AK1'])
    expect(h.fetches()).toBe(2)
    expect((await h.cache.get()).accessKeyId).toBe('AK2')
  })
})

describe('createCredentialsCache with a store', () => {
  function memoryStore(initial?: S3Credentials) {
    const saved: S3Credentials[] = []
    let entry = initial
    const store: CredentialsStore = {
      load: async (key) => (key === 'key' ? entry : undefined),
      save: async (_key, c) => {
        saved.push(c)
        entry = c
      },
    }
    return { store, saved }
  }
  const stored = (expiresAt: number): S3Credentials => ({
    accessKeyId: 'STORED',
    secretAccessKey: 's',
    sessionToken: 't',
    expiresAt,
    ttlMs: HOUR,
  })

  it('adopts stored credentials outside their advisory window instead of fetching', async () => {
    const { store, saved } = memoryStore(stored(T0 + 15 * MIN + 1))
    const h = harness({ store })
    expect((await h.cache.get()).accessKeyId).toBe('STORED')
    expect(h.fetches()).toBe(0)
    expect(saved).toEqual([])
  })

  it('fetches and saves when the stored credentials are due for a refresh', async () => {
    const { store, saved } = memoryStore(stored(T0 + 15 * MIN))
    const h = harness({ store })
    expect((await h.cache.get()).accessKeyId).toBe('AK1')
    expect(saved.map((c) => c.accessKeyId)).toEqual(['AK1'])
  })

  it('falls back to stored credentials outside the mandatory window when the fetch fails', async () => {
    const { store } = memoryStore(stored(T0 + 10 * MIN))
    const h = harness({ store })
    h.fail(unavailable())
    expect((await h.cache.get()).accessKeyId).toBe('STORED')
    expect(h.fetches()).toBe(1)
    expect(h.warnings[0]).toMatch(/^refreshing S3 credentials failed: down \(ERR_UNAVAILABLE\)/)
  })

  it('does not fall back to stored credentials inside the mandatory window', async () => {
    const { store } = memoryStore(stored(T0 + 5 * MIN))
    const h = harness({ store })
    h.fail(unavailable())
    await expect(h.cache.get()).rejects.toThrow('down')
  })

  it('treats a broken store as absent, with warnings', async () => {
    const store: CredentialsStore = {
      load: async () => {
        throw new Error('EACCES')
      },
      save: async () => {
        throw new Error('ENOSPC')
      },
    }
    const h = harness({ store })
    expect((await h.cache.get()).accessKeyId).toBe('AK1')
    expect(h.warnings).toEqual([
      'could not read the credentials store: EACCES',
      'could not write the credentials store: ENOSPC',
    ])
  })
})
