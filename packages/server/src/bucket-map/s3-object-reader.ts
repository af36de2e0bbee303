import { Readable } from 'node:stream'
import { loadS3Sdk, resolveS3Client } from '../s3-sdk.js'
import type { S3ClientSource } from '../s3-sdk.js'
import type { ObjectTextReader } from './object-text-reader.js'

export interface S3ObjectReaderOptions {
  /** Refuse objects larger than this many bytes. Default: 10 MiB (a bucket map is a few KiB). */
  readonly maxBytes?: number
}

/**
 * Adapts an `S3Client` (or a function making one on first use) to the loader's
 * `ObjectTextReader` port with one `GetObject`.
 *
 * @example
 * ```ts
 * const s3 = s3ObjectReader(new S3Client({ region: 'us-west-2' }))
 * await loadBucketMap({ configBucket: 'egress-config', key: 'bucket_map.yaml', s3 })
 * ```
 */
export function s3ObjectReader(
  client: S3ClientSource,
  options: S3ObjectReaderOptions = {},
): ObjectTextReader {
  const maxBytes = options.maxBytes ?? 10 * 1024 * 1024
  return {
    async getObjectText(bucket, key) {
      const [{ GetObjectCommand }, s3] = await Promise.all([loadS3Sdk(), resolveS3Client(client)])
      const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
      if (out.Body === undefined) throw new Error(`s3://${bucket}/${key} has no body`)
      if ((out.ContentLength ?? 0) > maxBytes) {
        // Drop the connection rather than download a body we will not use.
        const body: unknown = out.Body
        if (body instanceof Readable) body.destroy()
        const error = new Error(`s3://${bucket}/${key} is larger than ${maxBytes} bytes`)
        error.name = 'ObjectTooLarge'
        throw error
      }
      return out.Body.transformToString('utf-8')
    },
  }
}
