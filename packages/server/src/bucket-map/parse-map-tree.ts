import type { BucketMapBranch, BucketMapLeaf, BucketMapNode } from './bucket-map.js'
import { mapFileError } from './bucket-map-error.js'
import { describeYaml, stringKey, stringValue } from './yaml-describe.js'
import type { YamlMapping, YamlValue } from './yaml-source.js'

/** Top-level keys that hold access rules, never paths (TEA skips them wherever they appear). */
export const RULE_KEYS: ReadonlySet<string> = new Set(['PUBLIC_BUCKETS', 'PRIVATE_BUCKETS'])

export interface TreeContext {
  readonly fileName: string
  readonly warn: (message: string) => void
}

/**
 * Validates the `MAP` tree (or the old-style top level) into branches and leaves. A mapping with
 * a `bucket` key is a leaf, as in TEA, so a path segment cannot be called `bucket`.
 */
export function parseMapTree(
  node: YamlMapping,
  ctx: TreeContext,
  style: 'MAP' | 'old style',
): BucketMapBranch {
  if (node.entries.some((e) => stringKey(e) === 'bucket')) {
    const what = style === 'MAP' ? 'MAP' : 'the top level'
    throw mapFileError(
      ctx.fileName,
      node.line,
      `${what} has a 'bucket' key, which would make the whole map one bucket entry; map paths to buckets instead`,
    )
  }
  return parseBranch(node, [], { ...ctx, topLevelRules: style === 'old style' })
}

interface BranchContext extends TreeContext {
  /** Old style: `PUBLIC_BUCKETS`/`PRIVATE_BUCKETS` sit beside the paths and are expected there. */
  readonly topLevelRules: boolean
}

function parseBranch(
  node: YamlMapping,
  path: readonly string[],
  ctx: BranchContext,
): BucketMapBranch {
  const children = new Map<string, BucketMapNode>()
  for (const entry of node.entries) {
    const key = stringKey(entry)
    const where = [...path, key ?? entry.key.source].join('/')
    if (key === undefined) {
      throw mapFileError(
        ctx.fileName,
        entry.key.line,
        `path segment ${entry.key.source} is ${describeYaml(entry.key)}, not a string; quote it ('${entry.key.source}')`,
      )
    }
    if (key === '<<') {
      throw mapFileError(ctx.fileName, entry.key.line, 'YAML merge keys (<<) are not supported')
    }
    if (RULE_KEYS.has(key)) {
      // Rules only count at the top level; TEA skips these keys anywhere in the tree, so do we.
      if (path.length > 0 || !ctx.topLevelRules) {
        ctx.warn(
          `line ${entry.key.line}: '${where}' is ignored: ${key} only counts at the top level`,
        )
      }
      continue
    }
    if (key.includes('/')) {
      ctx.warn(
        `line ${entry.key.line}: '${where}' can never match a request: path segments cannot contain '/'`,
      )
    }
    children.set(key, parseNode(entry.value, [...path, key], ctx))
  }
  return { kind: 'branch', children, line: node.line }
}

function parseNode(value: YamlValue, path: readonly string[], ctx: BranchContext): BucketMapNode {
  const where = path.join('/')
  const bucket = stringValue(value)
  if (bucket !== undefined) return leaf(bucket, {}, value.line, where, ctx)
  if (value.kind === 'map') {
    const isLeaf = value.entries.some((e) => stringKey(e) === 'bucket')
    return isLeaf ? parseLeafEntry(value, where, ctx) : parseBranch(value, path, ctx)
  }
  throw mapFileError(
    ctx.fileName,
    value.line,
    `'${where}' must be a bucket name, a {bucket, headers} entry or a mapping of paths; got ${describeYaml(value)}`,
  )
}

function parseLeafEntry(node: YamlMapping, where: string, ctx: TreeContext): BucketMapLeaf {
  let bucket: string | undefined
  let headers: Readonly<Record<string, string>> = {}
  for (const entry of node.entries) {
    const key = stringKey(entry)
    if (key === 'bucket') {
      bucket = stringValue(entry.value)
      if (bucket === undefined) {
        throw mapFileError(
          ctx.fileName,
          entry.value.line,
          `'${where}': bucket must be a bucket name; got ${describeYaml(entry.value)}`,
        )
      }
    } else if (key === 'headers') {
      headers = parseHeaders(entry.value, where, ctx)
    } else {
      throw mapFileError(
        ctx.fileName,
        entry.key.line,
        `'${where}': unknown key ${entry.key.source} in a bucket entry (allowed: bucket, headers)`,
      )
    }
  }
  // The loop above always sets `bucket` because the caller saw a `bucket` key.
  return leaf(bucket ?? '', headers, node.line, where, ctx)
}

function parseHeaders(value: YamlValue, where: string, ctx: TreeContext): Record<string, string> {
  // TEA treats `headers:` with no value as no headers.
  if (value.kind === 'scalar' && value.value === null) return {}
  if (value.kind !== 'map') {
    throw mapFileError(
      ctx.fileName,
      value.line,
      `'${where}': headers must be a mapping of header name to value; got ${describeYaml(value)}`,
    )
  }
  const pairs = value.entries.map((entry): [string, string] => {
    const name = stringKey(entry)
    const text = stringValue(entry.value)
    if (name === undefined || name === '' || text === undefined) {
      throw mapFileError(
        ctx.fileName,
        entry.key.line,
        `'${where}': header ${entry.key.source} must map a name to a string value; got ${describeYaml(entry.value)} (quote it)`,
      )
    }
    return [name, text]
  })
  return Object.fromEntries(pairs)
}

function leaf(
  bucket: string,
  headers: Readonly<Record<string, string>>,
  line: number,
  where: string,
  ctx: TreeContext,
): BucketMapLeaf {
  if (bucket === '') throw mapFileError(ctx.fileName, line, `'${where}': the bucket name is empty`)
  return { kind: 'leaf', bucket, headers: Object.freeze(headers), line }
}
