import type { BucketMap, BucketMapNode } from './bucket-map.js'

/** Where a request path leads. */
export interface ResolvedPath {
  /** The S3 bucket: `bucketNamePrefix` + the leaf's bucket. */
  readonly bucket: string
  /** The path segments that led to the leaf, joined with `/`. */
  readonly bucketPath: string
  /** The rest of the path: the S3 key (may be `''` for `PATH/`). */
  readonly objectKey: string
  /** The leaf's extra response headers (`{}` if none). */
  readonly headers: Readonly<Record<string, string>>
}

export interface ResolvePathOptions {
  /**
   * `USE_REVERSE_BUCKET_MAP`: for paths of exactly three segments, swap the first two before
   * the lookup (TEA swaps nothing for other lengths). Default: `false`.
   */
  readonly reverse?: boolean
}

/**
 * TEA's `BucketMap.get`: splits `path` (no leading slash) on `/`, walks the map by exact,
 * case-sensitive segments, and stops at the first leaf. A leaf needs at least one following
 * segment, so `PATH/` gives an empty key and `PATH` gives `null`; fewer than two segments never
 * match.
 *
 * @example
 * ```ts
 * resolvePath(map, 'DATA-TYPE-1/PLATFORM-A/OBJECT_1')
 * // { bucket: 'gsfc-ngap-d-pa-dt1', bucketPath: 'DATA-TYPE-1/PLATFORM-A', objectKey: 'OBJECT_1', headers: {} }
 * ```
 */
export function resolvePath(
  map: BucketMap,
  path: string,
  options: ResolvePathOptions = {},
): ResolvedPath | null {
  const parts = path.split('/')
  if (parts.length < 2) return null
  if (options.reverse === true && parts.length === 3) {
    const [first = '', second = ''] = parts
    parts[0] = second
    parts[1] = first
  }
  let node: BucketMapNode = map.root
  for (let i = 0; i < parts.length; i++) {
    if (node.kind === 'leaf') {
      return {
        bucket: map.bucketNamePrefix + node.bucket,
        bucketPath: parts.slice(0, i).join('/'),
        objectKey: parts.slice(i).join('/'),
        headers: node.headers,
      }
    }
    const child: BucketMapNode | undefined = node.children.get(parts[i] ?? '')
    if (child === undefined) return null
    node = child
  }
  return null
}
