import type { BucketMap, BucketMapBranch } from './bucket-map.js'
import { BucketMapError, mapFileError } from './bucket-map-error.js'
import { checkIamCompatible } from './check-iam-compatible.js'
import { parseAccessRules } from './parse-access-rules.js'
import { parseMapTree, RULE_KEYS } from './parse-map-tree.js'
import { stringKey } from './yaml-describe.js'
import { readYaml } from './yaml-source.js'
import type { YamlMapping, YamlValue } from './yaml-source.js'

export interface ParseBucketMapOptions {
  /** Names the map in error messages and warnings, e.g. `bucket-map.yaml` or `s3://cfg/map.yaml`. */
  readonly fileName: string
  /**
   * `BUCKETNAME_PREFIX`, prepended to every leaf to get the S3 bucket name. Rules in
   * `PUBLIC_BUCKETS`/`PRIVATE_BUCKETS` use the unprefixed names. Default: `''`.
   * TEA's own default when the variable is unset is `defaultBucketNamePrefix(MATURITY)`.
   */
  readonly bucketNamePrefix?: string
  /**
   * Reject maps whose prefix rules cannot become an IAM session policy (TEA does this when
   * `ENABLE_S3_CREDENTIALS_ENDPOINT` is true). Default: `false`; `toIamPolicy` checks anyway.
   */
  readonly iamCompatible?: boolean
}

/**
 * Parses and validates a TEA bucket map (YAML). Accepts the `MAP:` form and the old form
 * without `MAP`. Anything malformed throws `BucketMapError` naming the file and line.
 *
 * @example
 * ```ts
 * const map = parseBucketMap('MAP:\n  data: my-bucket\n', { fileName: 'map.yaml', bucketNamePrefix: 'p-' })
 * resolvePath(map, 'data/a.txt') // { bucket: 'p-my-bucket', bucketPath: 'data', objectKey: 'a.txt', headers: {} }
 * ```
 */
export function parseBucketMap(yamlText: string, options: ParseBucketMapOptions): BucketMap {
  const { fileName, bucketNamePrefix = '', iamCompatible = false } = options
  const warnings: string[] = []
  const ctx = { fileName, warn: (message: string) => warnings.push(`${fileName} ${message}`) }
  const doc = readYaml(yamlText, fileName)
  if (doc === null || (doc.kind === 'scalar' && doc.value === null)) {
    throw new BucketMapError(`${fileName} is empty`, { fileName })
  }
  if (doc.kind !== 'map') {
    throw mapFileError(
      fileName,
      doc.line,
      `the top level must be a mapping; got ${doc.kind === 'seq' ? 'a list' : 'a scalar'}`,
    )
  }
  const top = (key: string): YamlValue | undefined =>
    doc.entries.find((e) => stringKey(e) === key)?.value
  const mapNode = top('MAP')
  let root: BucketMapBranch
  if (mapNode === undefined) {
    root = parseMapTree(doc, ctx, 'old style')
  } else {
    root = parseMapTree(asMapping(mapNode, fileName), ctx, 'MAP')
    for (const e of doc.entries) {
      const key = stringKey(e)
      if (key !== 'MAP' && !RULE_KEYS.has(key ?? '')) {
        ctx.warn(
          `line ${e.key.line}: top-level key ${e.key.source} is ignored (paths go under MAP)`,
        )
      }
    }
  }
  const rules = parseAccessRules(top('PUBLIC_BUCKETS'), top('PRIVATE_BUCKETS'), ctx)
  warnAboutRuleBuckets(root, rules, ctx.warn)
  const map: BucketMap = Object.freeze({
    fileName,
    bucketNamePrefix,
    root,
    rules,
    warnings: Object.freeze(warnings),
  })
  if (iamCompatible) checkIamCompatible(map)
  return map
}

function asMapping(node: YamlValue, fileName: string): YamlMapping {
  if (node.kind === 'map') return node
  throw mapFileError(fileName, node.line, 'MAP must be a mapping of paths to buckets')
}

function warnAboutRuleBuckets(
  root: BucketMapBranch,
  rules: BucketMap['rules'],
  warn: (message: string) => void,
): void {
  const leaves = new Set<string>()
  const visit = (branch: BucketMapBranch): void => {
    for (const child of branch.children.values()) {
      if (child.kind === 'leaf') leaves.add(child.bucket)
      else visit(child)
    }
  }
  visit(root)
  if (leaves.size === 0) warn('defines no paths: every download is 404')
  for (const [bucket, bucketRules] of rules) {
    if (!leaves.has(bucket)) {
      const line = bucketRules.find((r) => r.line !== undefined)?.line
      warn(`line ${line}: rules for bucket '${bucket}' match no bucket in the map`)
    }
  }
}
