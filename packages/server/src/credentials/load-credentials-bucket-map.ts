import type { BucketMap } from '../bucket-map/bucket-map.js'
import { bucketMapLocation } from '../bucket-map/bucket-map-location.js'
import { loadBucketMap } from '../bucket-map/load-bucket-map.js'
import type { ObjectTextReader } from '../bucket-map/object-text-reader.js'
import type { Config } from '../config.js'

/** Where {@link loadCredentialsBucketMap} reads from besides the local disk. */
export interface LoadCredentialsBucketMapIo {
  /** Reads `CONFIG_BUCKET`/`BUCKET_MAP_FILE`; required when the map lives in S3. */
  readonly s3?: ObjectTextReader
  /** Default: `fs.readFile(path, 'utf8')`. */
  readonly readFile?: (path: string) => Promise<string>
}

/**
 * Loads the bucket map for `/s3credentials` at start-up, with TEA's IAM-compatibility check
 * (TEA runs it whenever ENABLE_S3_CREDENTIALS_ENDPOINT is true). A malformed or incompatible
 * map rejects with `BucketMapError` naming the file, the line and the rule, which stops start-up
 * (TEA instead answered 500 on every request).
 *
 * @example const map = await loadCredentialsBucketMap(config, { s3: s3ObjectReader(new S3Client({})) })
 */
export async function loadCredentialsBucketMap(
  config: Pick<Config, 'bucketMap'>,
  io: LoadCredentialsBucketMapIo = {},
): Promise<BucketMap> {
  const { file, configBucket, bucketnamePrefix } = config.bucketMap
  return loadBucketMap({
    ...bucketMapLocation(file, configBucket),
    bucketNamePrefix: bucketnamePrefix,
    iamCompatible: true,
    ...(io.s3 === undefined ? {} : { s3: io.s3 }),
    ...(io.readFile === undefined ? {} : { readFile: io.readFile }),
  })
}
