import type { IamPolicy } from './iam-policy.js'
import { grantsToPolicy, policyGrants, simplifyGrants } from './policy-grants.js'
import { policyJson } from './policy-json.js'
import { PolicyTooLargeError } from './policy-too-large.js'

export interface FitPolicyOptions {
  /**
   * Largest accepted `policyJson` length. Default: 2048, AWS's limit on the plain text of an
   * AssumeRole session policy. (AWS also limits the packed size, which only STS can measure.)
   */
  readonly maxChars?: number
}

export interface FittedPolicy {
  readonly policy: IamPolicy
  /** The exact string to pass to STS as `Policy`. */
  readonly json: string
}

/**
 * Makes a session policy fit AWS's size limit without widening or narrowing access. A policy
 * that fits is returned as is (TEA's exact JSON). Otherwise it is rewritten losslessly: grants
 * covered by others are dropped (including prefix grants on a bucket the policy already grants
 * whole) and the prefix-limited `s3:ListBucket` statements are regrouped. If that is still too
 * long, throws `PolicyTooLarge`: widening (bucket wildcards, whole buckets for prefixes) would
 * hand out data the user may not read, and narrowing would vend credentials that fail.
 *
 * @example
 * ```ts
 * const policy = toIamPolicy(map, groups)
 * if (policy !== null) await roles.assumeRole({ ...input, policy: fitPolicy(policy).json })
 * ```
 */
export function fitPolicy(policy: IamPolicy, options: FitPolicyOptions = {}): FittedPolicy {
  const maxChars = options.maxChars ?? 2048
  if (!Number.isInteger(maxChars) || maxChars <= 0) {
    throw new TypeError(`maxChars must be a positive integer, got ${maxChars}`)
  }
  const json = policyJson(policy)
  if (json.length <= maxChars) return { policy, json }
  const grants = policyGrants(policy)
  simplifyGrants(grants)
  const shrunk = grantsToPolicy(grants)
  const shrunkJson = policyJson(shrunk)
  if (shrunkJson.length <= maxChars) return { policy: shrunk, json: shrunkJson }
  const buckets = grants.size
  const prefixes = [...grants.values()].reduce(
    (n, g) => n + g.listPrefixes.size + [...g.objects].filter((o) => o !== '*').length,
    0,
  )
  const best = Math.min(json.length, shrunkJson.length)
  throw new PolicyTooLargeError(
    `The session policy for this user is ${best} characters after lossless ` +
      `shrinking (limit ${maxChars}); it covers ${buckets} buckets and ${prefixes} prefix grants. ` +
      `Reduce the buckets and prefixes one user's groups can reach in the bucket map.`,
  )
}
