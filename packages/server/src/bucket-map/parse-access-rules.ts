import type { AccessRule, RequiredGroups } from './bucket-map.js'
import { mapFileError } from './bucket-map-error.js'
import type { TreeContext } from './parse-map-tree.js'
import { describeYaml, stringKey, stringValue } from './yaml-describe.js'
import type { YamlValue } from './yaml-source.js'

interface RawRule {
  readonly text: string
  readonly access: RequiredGroups
  readonly line: number
}

/**
 * TEA's `_parse_access_control`: every `PUBLIC_BUCKETS` entry is public, every `PRIVATE_BUCKETS`
 * entry needs one of its groups (`[]`: any logged-in user). Rules are `bucket` or
 * `bucket/prefix` with the unprefixed bucket name. Per bucket they are ordered longest rule
 * text first (stable, public before private), then `''` → authenticated is appended if absent.
 * When two rules land on the same bucket and prefix the later one wins, keeping the first one's
 * place, as with TEA's dict; so PRIVATE_BUCKETS beats PUBLIC_BUCKETS for the same rule.
 */
export function parseAccessRules(
  publicBuckets: YamlValue | undefined,
  privateBuckets: YamlValue | undefined,
  ctx: TreeContext,
): ReadonlyMap<string, readonly AccessRule[]> {
  const raw = [...publicRules(publicBuckets, ctx), ...privateRules(privateBuckets, ctx)]
  const length = (s: string): number => [...s].length
  raw.sort((a, b) => length(b.text) - length(a.text))
  const byBucket = new Map<string, Map<string, AccessRule>>()
  for (const rule of raw) {
    const slash = rule.text.indexOf('/')
    const bucket = slash < 0 ? rule.text : rule.text.slice(0, slash)
    const prefix = slash < 0 ? '' : rule.text.slice(slash + 1)
    const rules = byBucket.get(bucket) ?? new Map<string, AccessRule>()
    byBucket.set(bucket, rules)
    const earlier = rules.get(prefix)
    if (earlier !== undefined) {
      ctx.warn(
        `line ${rule.line}: '${rule.text}' overrides the rule on line ${earlier.line} for the same bucket and prefix`,
      )
    }
    rules.set(prefix, { prefix, access: rule.access, line: rule.line })
  }
  const result = new Map<string, readonly AccessRule[]>()
  for (const [bucket, rules] of byBucket) {
    if (!rules.has('')) rules.set('', { prefix: '', access: 'authenticated' })
    result.set(bucket, Object.freeze([...rules.values()]))
  }
  return result
}

function publicRules(value: YamlValue | undefined, ctx: TreeContext): RawRule[] {
  if (value === undefined) return []
  if (value.kind === 'scalar' && typeof value.value !== 'string') {
    // TEA ignores a PUBLIC_BUCKETS it cannot iterate (RAC test_check_bucket_access_malformed).
    ctx.warn(
      `line ${value.line}: PUBLIC_BUCKETS is ignored: expected a list or a mapping, got ${describeYaml(value)}`,
    )
    return []
  }
  if (value.kind === 'seq') {
    return value.items.map((item) => rule(stringValue(item), 'public', item, 'PUBLIC_BUCKETS', ctx))
  }
  if (value.kind === 'map') {
    // The values are free-text descriptions; only the keys count.
    return value.entries.map((e) => rule(stringKey(e), 'public', e.key, 'PUBLIC_BUCKETS', ctx))
  }
  throw mapFileError(
    ctx.fileName,
    value.line,
    `PUBLIC_BUCKETS must be a list of rules or a mapping of rule to description; got ${describeYaml(value)}`,
  )
}

function privateRules(value: YamlValue | undefined, ctx: TreeContext): RawRule[] {
  if (value === undefined) return []
  if (value.kind !== 'map') {
    throw mapFileError(
      ctx.fileName,
      value.line,
      `PRIVATE_BUCKETS must be a mapping of rule to a list of group names; got ${describeYaml(value)}`,
    )
  }
  return value.entries.map((entry) => {
    const groups = groupList(entry.value, entry.key.source, ctx)
    return rule(stringKey(entry), groups, entry.key, 'PRIVATE_BUCKETS', ctx)
  })
}

function groupList(value: YamlValue, ruleText: string, ctx: TreeContext): RequiredGroups {
  const problem = (line: number, got: YamlValue): never => {
    throw mapFileError(
      ctx.fileName,
      line,
      `PRIVATE_BUCKETS '${ruleText}' must be a list of group names ([] for any logged-in user); got ${describeYaml(got)}`,
    )
  }
  if (value.kind !== 'seq') return problem(value.line, value)
  const groups = value.items.map((item) => stringValue(item) ?? problem(item.line, item))
  return groups.length === 0 ? 'authenticated' : new Set(groups)
}

function rule(
  text: string | undefined,
  access: RequiredGroups,
  node: YamlValue,
  section: string,
  ctx: TreeContext,
): RawRule {
  if (text === undefined || text === '') {
    throw mapFileError(
      ctx.fileName,
      node.line,
      `${section} entries must be 'bucket' or 'bucket/prefix'; got ${describeYaml(node)}`,
    )
  }
  return { text, access, line: node.line }
}
