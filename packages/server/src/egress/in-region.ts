import type { RegionRanges } from './region-ranges.js'
import { regionRanges } from './region-ranges.js'

/** Tells whether a client IP is in this deployment's AWS region. */
export interface InRegionCheck {
  isInRegion(ip: string | undefined): Promise<boolean>
}

export interface InRegionCheckOptions {
  /** AWS_IP_RANGES_URL */
  readonly url: string
  /** AWS_REGION */
  readonly region: string
  readonly fetch: typeof globalThis.fetch
  /** Clock in epoch ms. */
  readonly now: () => number
  /** Re-fetch after this long. Default: 24 h (AWS changes the list a few times a week). */
  readonly maxAgeMs?: number
  /** After a failed fetch, wait this long before trying again. Default: 60 s. */
  readonly retryAfterMs?: number
  /** Told when the list cannot be fetched or parsed (callers then count as out of region). */
  readonly onError?: (err: unknown) => void
}

/**
 * TEA's `check_in_region_request`, with the ranges fetched from AWS_IP_RANGES_URL on first use
 * and cached (one fetch in flight at a time). While no list could be had, every caller counts
 * as out of region, which is always safe: the out-of-region role works everywhere.
 *
 * @example
 * const check = createInRegionCheck({ url, region: 'us-west-2', fetch, now: Date.now })
 * await check.isInRegion('34.223.0.1')
 */
export function createInRegionCheck(options: InRegionCheckOptions): InRegionCheck {
  const maxAgeMs = options.maxAgeMs ?? 24 * 3600_000
  const retryAfterMs = options.retryAfterMs ?? 60_000
  let ranges: RegionRanges | undefined
  let fetchedAt = -Infinity
  let failedAt = -Infinity
  let loading: Promise<void> | undefined

  const load = async (): Promise<void> => {
    try {
      const res = await options.fetch(options.url, { signal: AbortSignal.timeout(5000) })
      if (!res.ok) throw new Error(`ip-ranges answered ${res.status}`)
      ranges = regionRanges(await res.json(), options.region)
      fetchedAt = options.now()
    } catch (err) {
      failedAt = options.now()
      options.onError?.(err)
    }
  }

  return {
    async isInRegion(ip) {
      if (ip === undefined || ip === '') return false
      const now = options.now()
      if (now - fetchedAt >= maxAgeMs && now - failedAt >= retryAfterMs) {
        loading ??= load().finally(() => (loading = undefined))
        // Only the first load waits; later refreshes happen behind the current list.
        if (ranges === undefined) await loading
      }
      return ranges?.contains(ip) ?? false
    },
  }
}
