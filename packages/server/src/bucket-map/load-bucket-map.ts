import { readFile as fsReadFile } from 'node:fs/promises'
import type { BucketMap } from './bucket-map.js'
import { BucketMapError } from './bucket-map-error.js'
import type { BucketMapLocation } from './bucket-map-location.js'
import type { ObjectTextReader } from './object-text-reader.js'
import { parseBucketMap } from './parse-bucket-map.js'
import type { ParseBucketMapOptions } from './parse-bucket-map.js'

export type LoadBucketMapOptions = BucketMapLocation &
  Omit<ParseBucketMapOptions, 'fileName'> & {
    /** Reads `configBucket`/`key`; required for that location. */
    readonly s3?: ObjectTextReader
    /** Reads a local file. Default: `fs.readFile(path, 'utf8')`. */
    readonly readFile?: (path: string) => Promise<string>
  }

/**
 * Reads and parses the bucket map from a local file or from S3 (TEA reads
 * `s3://CONFIG_BUCKET/BUCKET_MAP_FILE`); `bucketMapLocation()` picks which. With no location it
 * returns an empty map, as TEA does for an empty `BUCKET_MAP_FILE`. Read and parse failures
 * throw `BucketMapError` (the read error is its `cause`).
 *
 * @example
 * ```ts
 * const map = await loadBucketMap({
 *   ...bucketMapLocation(env.BUCKET_MAP_FILE, env.CONFIG_BUCKET),
 *   s3: s3ObjectReader(new S3Client({})),
 *   bucketNamePrefix: env.BUCKETNAME_PREFIX ?? defaultBucketNamePrefix(env.MATURITY),
 * })
 * ```
 */
export async function loadBucketMap(options: LoadBucketMapOptions): Promise<BucketMap> {
  const { bucketNamePrefix, iamCompatible } = options
  if (options.file !== undefined) {
    const { file } = options
    const read = options.readFile ?? ((path: string) => fsReadFile(path, 'utf8'))
    const text = await readOrThrow(() => read(file), file)
    return parseBucketMap(text, { fileName: file, bucketNamePrefix, iamCompatible })
  }
  if (options.key !== undefined) {
    const { configBucket, key, s3 } = options
    if (s3 === undefined) throw new TypeError('loadBucketMap: an s3 reader is required for a key')
    const fileName = `s3://${configBucket}/${key}`
    const text = await readOrThrow(() => s3.getObjectText(configBucket, key), fileName)
    return parseBucketMap(text, { fileName, bucketNamePrefix, iamCompatible })
  }
  return parseBucketMap('{}', { fileName: '(no BUCKET_MAP_FILE)', bucketNamePrefix })
}

async function readOrThrow(read: () => Promise<string>, fileName: string): Promise<string> {
  try {
    return await read()
  } catch (cause) {
    // Only the error's name or code: SDK messages can carry request details.
    const reason = errorLabel(cause)
    throw new BucketMapError(
      `cannot read bucket map ${fileName}: ${reason}`,
      { fileName },
      { cause },
    )
  }
}

function errorLabel(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const { code, name } = error as { code?: unknown; name?: unknown }
    if (typeof code === 'string') return code
    if (typeof name === 'string') return name
  }
  return 'unknown error'
}
