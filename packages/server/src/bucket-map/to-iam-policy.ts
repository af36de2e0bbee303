import type { AccessRule, BucketMap } from './bucket-map.js'
import { canAccess } from './can-access.js'
import { checkIamCompatible } from './check-iam-compatible.js'
import { iamLiteral, S3_ARN_PREFIX } from './iam-policy.js'
import type { IamAction, IamPolicy, IamStatement } from './iam-policy.js'
import { listEntries } from './list-entries.js'

const checked = new WeakSet<BucketMap>()

/**
 * TEA's `BucketMap.to_iam_policy`: the session policy for a logged-in user in `groups`. For each
 * bucket of the map (first-appearance order) it keeps the shortest prefixes the user may read.
 * A whole bucket adds `arn:aws:s3:::B` and `…:B/*` to the first statement and `s3:ListBucket`
 * to its actions; a prefix adds `…:B/P*` there plus `s3:ListBucket` on `…:B` limited by
 * `StringLike s3:prefix P*`, one statement per set of buckets sharing the prefixes. Returns
 * `null` when nothing is readable. Checks IAM compatibility first (throws `BucketMapError`).
 *
 * Keys and arrays come out in TEA's order, so `policyJson(toIamPolicy(…))` equals TEA's
 * compact JSON, except that `*`, `?` and `$` in names are escaped (see `iamLiteral`).
 *
 * @example
 * ```ts
 * toIamPolicy(parseBucketMap('PATH: bucket-name\n', { fileName: 'm.yaml' }), new Set())
 * // { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'],
 * //   Resource: ['arn:aws:s3:::bucket-name', 'arn:aws:s3:::bucket-name/*'] }] }
 * ```
 */
export function toIamPolicy(map: BucketMap, groups: ReadonlySet<string>): IamPolicy | null {
  if (!checked.has(map)) {
    checkIamCompatible(map)
    checked.add(map)
  }
  const buckets = new Map<string, string>()
  for (const entry of listEntries(map)) {
    if (!buckets.has(entry.bucket)) buckets.set(entry.bucket, entry.bucketName)
  }
  const actions = new Set<IamAction>(['s3:GetObject'])
  const resources = new Set<string>()
  const bucketsByPrefix = new Map<string, string[]>()
  for (const [bucket, name] of buckets) {
    const arn = S3_ARN_PREFIX + iamLiteral(bucket)
    for (const prefix of readablePrefixes(map.rules.get(name), groups).reverse()) {
      if (prefix === '') {
        actions.add('s3:ListBucket')
        resources.add(arn)
      } else {
        bucketsByPrefix.set(prefix, [...(bucketsByPrefix.get(prefix) ?? []), bucket])
      }
      resources.add(`${arn}/${iamLiteral(prefix)}*`)
    }
  }
  if (resources.size === 0) return null
  const first: IamStatement = { Effect: 'Allow', Action: [...actions], Resource: [...resources] }
  return { Version: '2012-10-17', Statement: [first, ...listStatements(bucketsByPrefix)] }
}

/**
 * TEA's `_consolidate_access_rules`: the readable rule prefixes not covered by a shorter
 * readable one, shortest first. A bucket without rules is wholly readable.
 */
function readablePrefixes(
  rules: readonly AccessRule[] | undefined,
  groups: ReadonlySet<string>,
): string[] {
  if (rules === undefined) return ['']
  const kept: string[] = []
  for (const rule of [...rules].reverse()) {
    if (!canAccess(rule.access, groups)) continue
    if (!kept.some((k) => rule.prefix !== k && rule.prefix.startsWith(k))) kept.push(rule.prefix)
  }
  return kept
}

function listStatements(bucketsByPrefix: ReadonlyMap<string, string[]>): IamStatement[] {
  const groups = new Map<string, { buckets: string[]; prefixes: string[] }>()
  for (const [prefix, buckets] of bucketsByPrefix) {
    const sorted = [...buckets].sort()
    const key = JSON.stringify(sorted)
    const group = groups.get(key) ?? { buckets: sorted, prefixes: [] }
    group.prefixes.push(prefix)
    groups.set(key, group)
  }
  return [...groups.values()].map(({ buckets, prefixes }) => ({
    Effect: 'Allow',
    Action: ['s3:ListBucket'],
    Resource: buckets.map((b) => S3_ARN_PREFIX + iamLiteral(b)),
    Condition: { StringLike: { 's3:prefix': prefixes.map((p) => `${iamLiteral(p)}*`) } },
  }))
}
