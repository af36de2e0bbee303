import type { IamPolicy } from './iam-policy.js'

/**
 * The policy as TEA sends it to STS: `json.dumps(policy, separators=(',', ':'))`, so compact
 * and ASCII-only (every character outside space..`~` becomes a lower-case `\uXXXX` escape).
 * Its `length` is what AWS's 2048-character session-policy limit counts.
 *
 * @example
 * ```ts
 * policyJson({ Version: '2012-10-17', Statement: [] }) // '{"Version":"2012-10-17","Statement":[]}'
 * ```
 */
export function policyJson(policy: IamPolicy): string {
  return JSON.stringify(policy).replace(
    /[^\x20-\x7e]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}
