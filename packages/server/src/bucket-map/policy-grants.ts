import { S3_ARN_PREFIX } from './iam-policy.js'
import type { IamAction, IamPolicy, IamStatement } from './iam-policy.js'
import { policyJson } from './policy-json.js'

/** What a session policy grants on one bucket; patterns are IAM text as written. */
export interface BucketGrants {
  /** `s3:GetObject` key patterns (the ARN part after `bucket/`). */
  readonly objects: Set<string>
  /** `s3:ListBucket` without a condition. */
  listAll: boolean
  /** `s3:ListBucket` allowed when `s3:prefix` matches one of these. */
  readonly listPrefixes: Set<string>
}

/** Per bucket (ARN text after `arn:aws:s3:::`), in first-appearance order. */
export type PolicyGrants = Map<string, BucketGrants>

/**
 * Reads the grants out of a tea-ts policy. Action/resource pairs that can never apply
 * (`s3:GetObject` on a bucket ARN, `s3:ListBucket` on an object ARN, `s3:GetObject` under an
 * `s3:prefix` condition) are dropped: they grant nothing.
 */
export function policyGrants(policy: IamPolicy): PolicyGrants {
  const grants: PolicyGrants = new Map()
  const of = (bucket: string): BucketGrants => {
    const found = grants.get(bucket) ?? {
      objects: new Set(),
      listAll: false,
      listPrefixes: new Set(),
    }
    grants.set(bucket, found)
    return found
  }
  for (const statement of policy.Statement) {
    const prefixes = statement.Condition?.StringLike['s3:prefix']
    for (const resource of statement.Resource) {
      if (!resource.startsWith(S3_ARN_PREFIX)) {
        throw new TypeError(`not an S3 ARN in a tea-ts session policy: ${resource}`)
      }
      const arn = resource.slice(S3_ARN_PREFIX.length)
      const slash = arn.indexOf('/')
      if (slash >= 0 && prefixes === undefined && statement.Action.includes('s3:GetObject')) {
        of(arn.slice(0, slash)).objects.add(arn.slice(slash + 1))
      } else if (slash < 0 && statement.Action.includes('s3:ListBucket')) {
        const bucket = of(arn)
        if (prefixes === undefined) bucket.listAll = true
        else for (const p of prefixes) bucket.listPrefixes.add(p)
      }
    }
  }
  return grants
}

/**
 * Removes grants that others already cover, without changing what is allowed: patterns under
 * a shorter literal `prefix*` pattern, everything under `*`, and prefix-limited listing of a
 * bucket that may be listed whole.
 */
export function simplifyGrants(grants: PolicyGrants): void {
  for (const bucket of grants.values()) {
    dropCovered(bucket.objects)
    if (bucket.listAll) bucket.listPrefixes.clear()
    dropCovered(bucket.listPrefixes)
  }
}

function dropCovered(patterns: Set<string>): void {
  const literalPrefixes = [...patterns]
    .filter((p) => p.endsWith('*') && !/[*?$]/.test(p.slice(0, -1)))
    .map((p) => p.slice(0, -1))
  for (const pattern of [...patterns]) {
    const covered = literalPrefixes.some((l) => `${l}*` !== pattern && pattern.startsWith(l))
    if (covered) patterns.delete(pattern)
  }
}

/**
 * Writes grants back as a policy in TEA's shape: one statement with every object ARN and the
 * unconditionally listable bucket ARNs, then prefix-limited `s3:ListBucket` statements grouped
 * either by prefix (TEA: one statement per set of buckets sharing prefixes) or by bucket (one
 * per set of prefixes shared by buckets), whichever JSON is shorter.
 */
export function grantsToPolicy(grants: PolicyGrants): IamPolicy {
  const actions: IamAction[] = ['s3:GetObject']
  const resources: string[] = []
  for (const [bucket, g] of grants) {
    if (g.listAll) resources.push(S3_ARN_PREFIX + bucket)
    for (const pattern of g.objects) resources.push(`${S3_ARN_PREFIX}${bucket}/${pattern}`)
  }
  if ([...grants.values()].some((g) => g.listAll)) actions.push('s3:ListBucket')
  const first: IamStatement[] =
    resources.length > 0 ? [{ Effect: 'Allow', Action: actions, Resource: resources }] : []
  const candidates = [groupByPrefix(grants), groupByBucket(grants)].map((list): IamPolicy => ({
    Version: '2012-10-17',
    Statement: [...first, ...list],
  }))
  const lengths = candidates.map((p) => policyJson(p).length)
  const [byPrefix, byBucket] = candidates as [IamPolicy, IamPolicy]
  return (lengths[1] ?? Infinity) < (lengths[0] ?? Infinity) ? byBucket : byPrefix
}

function listStatement(buckets: readonly string[], prefixes: readonly string[]): IamStatement {
  return {
    Effect: 'Allow',
    Action: ['s3:ListBucket'],
    Resource: buckets.map((b) => S3_ARN_PREFIX + b),
    Condition: { StringLike: { 's3:prefix': prefixes } },
  }
}

function groupByPrefix(grants: PolicyGrants): IamStatement[] {
  const bucketsByPrefix = new Map<string, string[]>()
  for (const [bucket, g] of grants) {
    for (const p of g.listPrefixes)
      bucketsByPrefix.set(p, [...(bucketsByPrefix.get(p) ?? []), bucket])
  }
  return group(bucketsByPrefix, (buckets, prefixes) => listStatement(buckets, prefixes))
}

function groupByBucket(grants: PolicyGrants): IamStatement[] {
  const prefixesByBucket = new Map<string, string[]>()
  for (const [bucket, g] of grants) {
    if (g.listPrefixes.size > 0) prefixesByBucket.set(bucket, [...g.listPrefixes])
  }
  return group(prefixesByBucket, (prefixes, buckets) => listStatement(buckets, prefixes))
}

/** Groups the keys of `relation` by their (sorted) value list, in first-appearance order. */
function group(
  relation: ReadonlyMap<string, readonly string[]>,
  make: (values: string[], keys: string[]) => IamStatement,
): IamStatement[] {
  const groups = new Map<string, { values: string[]; keys: string[] }>()
  for (const [key, values] of relation) {
    const sorted = [...values].sort()
    const id = JSON.stringify(sorted)
    const found = groups.get(id) ?? { values: sorted, keys: [] }
    found.keys.push(key)
    groups.set(id, found)
  }
  return [...groups.values()].map(({ values, keys }) => make(values, keys))
}
