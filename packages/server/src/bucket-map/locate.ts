import type { BucketMap } from './bucket-map.js'
import { listEntries } from './list-entries.js'

/**
 * TEA's `/locate`: the map paths that lead to S3 bucket `bucketName` (compared with the prefix
 * applied), in file order as TEA returns them (TEA does not sort; its e2e test sorts itself).
 * An empty array means TEA's 404 `No route defined for <bucketName>`.
 *
 * @example
 * ```ts
 * locate(map, 'pa-dt1') // ['DATA-TYPE-1/PLATFORM-A']
 * ```
 */
export function locate(map: BucketMap, bucketName: string): string[] {
  return listEntries(map)
    .filter((entry) => entry.bucket === bucketName)
    .map((entry) => entry.bucketPath)
}
