import type { BucketMap, RequiredGroups } from './bucket-map.js'

/**
 * TEA's `get_required_groups`: who may read `objectKey` in `bucket`. The first of the bucket's
 * rules (longest first) whose prefix starts `objectKey` decides. The match is a raw
 * `startsWith` with no `/` boundary (rule `b/foo` also covers `foobar.txt`), as in TEA.
 * A bucket without rules is readable by any logged-in user.
 *
 * @param bucket The S3 bucket as `resolvePath` returns it (with `bucketNamePrefix`).
 * @example
 * ```ts
 * const { bucket, objectKey } = resolvePath(map, 'productX/browse/a.jpg')!
 * requiredGroups(map, bucket, objectKey) // 'public'
 * ```
 */
export function requiredGroups(map: BucketMap, bucket: string, objectKey: string): RequiredGroups {
  const prefix = map.bucketNamePrefix
  const rules = bucket.startsWith(prefix) ? map.rules.get(bucket.slice(prefix.length)) : undefined
  const rule = rules?.find((r) => objectKey.startsWith(r.prefix))
  return rule?.access ?? 'authenticated'
}
