import { createHash } from 'node:crypto'
import { LRUCache } from 'lru-cache'
import type { BucketMap } from '../bucket-map/bucket-map.js'
import { fitPolicy } from '../bucket-map/fit-policy.js'
import { toIamPolicy } from '../bucket-map/to-iam-policy.js'
import type { PolicyForGroups, SessionPolicy } from './vend-credentials.js'

/** Options for {@link createPolicyForGroups}. */
export interface PolicyForGroupsOptions {
  /** Longest session-policy JSON passed to STS. Default: 2048 (AWS's plain-text limit). */
  readonly maxChars?: number
  /** Distinct group sets remembered. Default: 1000 (users share few group combinations). */
  readonly cacheSize?: number
}

/**
 * The session policy for a set of EDL group names: TEA's `to_iam_policy`, fitted to STS's size
 * limit without widening access. Results (including "no data": `null`) are memoized per group
 * set, because the map is fixed after start-up and building a policy walks the whole map; a
 * `PolicyTooLarge` is thrown again each time (it is rare and an operator must act).
 *
 * @example
 * const policyFor = createPolicyForGroups(map)
 * policyFor(['science']) // { json: '{"Version":"2012-10-17","Statement":[…]}', id: 'q1…' }
 */
export function createPolicyForGroups(
  map: BucketMap,
  options: PolicyForGroupsOptions = {},
): PolicyForGroups {
  const maxChars = options.maxChars ?? 2048
  const max = options.cacheSize ?? 1000
  if (!Number.isInteger(max) || max < 1) {
    throw new TypeError('createPolicyForGroups: cacheSize must be a positive integer')
  }
  // lru-cache cannot store null; wrap the result.
  const cache = new LRUCache<string, { policy: SessionPolicy | null }>({ max })
  return (groups) => {
    const set = new Set(groups)
    const key = JSON.stringify([...set].sort())
    const hit = cache.get(key)
    if (hit !== undefined) return hit.policy
    const iam = toIamPolicy(map, set)
    const policy = iam === null ? null : sessionPolicy(fitPolicy(iam, { maxChars }).json)
    cache.set(key, { policy })
    return policy
  }
}

/** Wraps policy JSON with its SHA-256 (base64url) as the id. */
export function sessionPolicy(json: string): SessionPolicy {
  return { json, id: createHash('sha256').update(json).digest('base64url') }
}
