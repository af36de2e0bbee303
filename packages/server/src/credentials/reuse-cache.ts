import { LRUCache } from 'lru-cache'
import type { TemporaryCredentials } from './role-vendor.js'

/** Options for the optional credentials reuse cache (S3_CREDENTIALS_REUSE). */
export interface ReuseCacheOptions {
  /**
   * Serve cached credentials only while they have more than this many seconds left.
   * Default: 3000 (50 minutes), so a caller always gets at least 50 minutes.
   */
  readonly minRemainingSeconds?: number
  /** Most cached entries (one per user, session name and policy). Default: 10_000. */
  readonly maxEntries?: number
}

/** A small cache of recent STS answers; an entry is served only while fresh enough. */
export interface ReuseCache {
  get(key: string): TemporaryCredentials | undefined
  set(key: string, creds: TemporaryCredentials): void
}

/**
 * Builds the reuse cache. Freshness is checked against the injected clock on every `get`
 * (lru-cache's own TTL uses the real clock), and stale entries are dropped then.
 *
 * @throws TypeError when nothing could ever be served (`durationSeconds` ≤ the minimum left)
 * @example createReuseCache({ minRemainingSeconds: 3000 }, 3600, Date.now)
 */
export function createReuseCache(
  options: ReuseCacheOptions,
  durationSeconds: number,
  now: () => number,
): ReuseCache {
  const minRemainingMs = (options.minRemainingSeconds ?? 3000) * 1000
  const max = options.maxEntries ?? 10_000
  if (!(minRemainingMs >= 0) || durationSeconds * 1000 <= minRemainingMs) {
    throw new TypeError(
      'reuse cache: minRemainingSeconds must be >= 0 and below the credentials duration',
    )
  }
  if (!Number.isInteger(max) || max < 1) {
    throw new TypeError('reuse cache: maxEntries must be a positive integer')
  }
  const lru = new LRUCache<string, TemporaryCredentials>({ max })
  return {
    get(key) {
      const creds = lru.get(key)
      if (creds === undefined) return undefined
      if (creds.expiration.getTime() - now() > minRemainingMs) return creds
      lru.delete(key)
      return undefined
    },
    set(key, creds) {
      if (creds.expiration.getTime() - now() > minRemainingMs) lru.set(key, creds)
    },
  }
}
