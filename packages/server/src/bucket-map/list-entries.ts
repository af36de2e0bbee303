import type { BucketMap, BucketMapBranch } from './bucket-map.js'

/** One leaf of the map. */
export interface BucketMapEntry {
  /** The S3 bucket (with `bucketNamePrefix`). */
  readonly bucket: string
  /** The bucket name as written in the map, the key of its access rules. */
  readonly bucketName: string
  /** The path segments leading to the leaf, joined with `/`. */
  readonly bucketPath: string
  readonly headers: Readonly<Record<string, string>>
}

/**
 * TEA's `BucketMap.entries`: every leaf, depth first in file order. Empty branches yield
 * nothing.
 *
 * @example
 * ```ts
 * listEntries(parseBucketMap('PATH: b\n', { fileName: 'm.yaml', bucketNamePrefix: 'pre-' }))
 * // [{ bucket: 'pre-b', bucketName: 'b', bucketPath: 'PATH', headers: {} }]
 * ```
 */
export function listEntries(map: BucketMap): BucketMapEntry[] {
  const entries: BucketMapEntry[] = []
  const visit = (branch: BucketMapBranch, path: readonly string[]): void => {
    for (const [segment, child] of branch.children) {
      const childPath = [...path, segment]
      if (child.kind === 'branch') {
        visit(child, childPath)
      } else {
        entries.push({
          bucket: map.bucketNamePrefix + child.bucket,
          bucketName: child.bucket,
          bucketPath: childPath.join('/'),
          headers: child.headers,
        })
      }
    }
  }
  visit(map.root, [])
  return entries
}
