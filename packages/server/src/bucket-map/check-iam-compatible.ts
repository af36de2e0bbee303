import type { AccessRule, BucketMap, RequiredGroups } from './bucket-map.js'
import { BucketMapError } from './bucket-map-error.js'
import { pythonSetRepr } from './python-repr.js'

/**
 * TEA's `_check_iam_compatible`: a prefix rule nested in another (its longest strictly shorter
 * rule prefix) must be at least as open as that parent, or no IAM policy can express it:
 * public is always fine; "any logged-in user" is fine under a non-public parent; a group set
 * must contain a non-empty parent group set. Throws `BucketMapError` with TEA's exact message
 * for the first offending rule (shortest first).
 *
 * @example
 * ```ts
 * checkIamCompatible(parseBucketMap('{PRIVATE_BUCKETS: {b/foo/: [g]}}', { fileName: 'm.yaml' }))
 * // throws: Invalid prefix permissions for bucket 'b': 'foo/' has {'g'} but '' has protected access
 * ```
 */
export function checkIamCompatible(map: BucketMap): void {
  for (const [bucket, rules] of map.rules) {
    for (const rule of [...rules].reverse()) {
      const parent = longestParent(rule.prefix, rules)
      if (parent === undefined || isNarrowingAllowed(rule.access, parent.access)) continue
      const message =
        `Invalid prefix permissions for bucket '${bucket}': ` +
        `'${rule.prefix}' has ${accessText(rule.access)} but ` +
        `'${parent.prefix}' has ${accessText(parent.access)}`
      throw new BucketMapError(message, { fileName: map.fileName, line: rule.line })
    }
  }
}

/** The rule with the longest prefix that strictly prefixes `prefix` (raw startsWith, as TEA). */
export function longestParent(
  prefix: string,
  rules: readonly AccessRule[],
): AccessRule | undefined {
  let best: AccessRule | undefined
  for (const rule of rules) {
    if (prefix !== rule.prefix && prefix.startsWith(rule.prefix)) {
      if (best === undefined || rule.prefix.length > best.prefix.length) best = rule
    }
  }
  return best
}

function isNarrowingAllowed(child: RequiredGroups, parent: RequiredGroups): boolean {
  if (child === 'public') return true
  if (parent === 'public') return false
  if (child === 'authenticated') return true
  return parent !== 'authenticated' && [...parent].every((g) => child.has(g))
}

function accessText(access: RequiredGroups): string {
  if (access === 'public') return 'public access'
  if (access === 'authenticated') return 'protected access'
  return pythonSetRepr(access)
}
