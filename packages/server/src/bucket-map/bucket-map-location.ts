/** Where the bucket map lives: a local file, an object in the config bucket, or nowhere. */
export type BucketMapLocation =
  | { readonly file: string; readonly configBucket?: undefined; readonly key?: undefined }
  | { readonly file?: undefined; readonly configBucket: string; readonly key: string }
  | { readonly file?: undefined; readonly configBucket?: undefined; readonly key?: undefined }

/**
 * Decides where `BUCKET_MAP_FILE` points, from its text alone (no I/O):
 * - empty or unset: no map (TEA then serves an empty map);
 * - `s3://bucket/key`: that object;
 * - starts with `/`, `./` or `../`, or `CONFIG_BUCKET` is empty: a local file;
 * - otherwise: key `BUCKET_MAP_FILE` in `CONFIG_BUCKET`, as TEA reads it.
 *
 * @example
 * ```ts
 * bucketMapLocation('bucket_map.yaml', 'egress-config') // { configBucket: 'egress-config', key: 'bucket_map.yaml' }
 * bucketMapLocation('./map.yaml', 'egress-config')      // { file: './map.yaml' }
 * ```
 */
export function bucketMapLocation(
  bucketMapFile: string | undefined,
  configBucket: string | undefined,
): BucketMapLocation {
  if (bucketMapFile === undefined || bucketMapFile === '') return {}
  const url = /^s3:\/\/([^/]+)\/(.+)$/.exec(bucketMapFile)
  if (url !== null) return { configBucket: url[1] ?? '', key: url[2] ?? '' }
  if (bucketMapFile.startsWith('s3://')) {
    throw new TypeError(`BUCKET_MAP_FILE ${bucketMapFile} must look like s3://bucket/key`)
  }
  const local = /^(\/|\.\.?\/)/.test(bucketMapFile)
  if (local || configBucket === undefined || configBucket === '') return { file: bucketMapFile }
  return { configBucket, key: bucketMapFile }
}
