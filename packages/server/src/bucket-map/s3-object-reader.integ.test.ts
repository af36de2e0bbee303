// The S3 adapter and the loader against the local radosgw stack.
import { randomUUID } from 'node:crypto'
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import type { S3Client } from '@aws-sdk/client-s3'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { readS3Env, s3ClientFor } from '../../../../test/helpers/s3-env.js'
import { loadBucketMap } from './load-bucket-map.js'
import { resolvePath } from './resolve-path.js'
import { s3ObjectReader } from './s3-object-reader.js'

const key = `bucket-map-integ/${randomUUID()}/bucket_map.yaml`
const text = 'MAP:\n  data: store # é\nPUBLIC_BUCKETS: [store/pub/]\n'
let bucket = ''
let client: S3Client

beforeAll(async () => {
  const env = readS3Env()
  bucket = env.bucket
  client = s3ClientFor(env.user)
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: text }))
})

afterAll(async () => {
  await client?.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }))
  client?.destroy()
})

describe('s3ObjectReader', () => {
  test('reads the object as UTF-8 text', async () => {
    await expect(s3ObjectReader(client).getObjectText(bucket, key)).resolves.toBe(text)
  })

  test('a missing key rejects with the SDK error (NoSuchKey, 404)', async () => {
    await expect(
      s3ObjectReader(client).getObjectText(bucket, `${key}.missing`),
    ).rejects.toMatchObject({
      name: 'NoSuchKey',
      $metadata: { httpStatusCode: 404 },
    })
  })

  test('an object over maxBytes is refused', async () => {
    await expect(
      s3ObjectReader(client, { maxBytes: 10 }).getObjectText(bucket, key),
    ).rejects.toMatchObject({
      name: 'ObjectTooLarge',
      message: `s3://${bucket}/${key} is larger than 10 bytes`,
    })
  })
})

describe('loadBucketMap from the config bucket', () => {
  test('loads and parses s3://CONFIG_BUCKET/BUCKET_MAP_FILE', async () => {
    const map = await loadBucketMap({
      configBucket: bucket,
      key,
      s3: s3ObjectReader(client),
      bucketNamePrefix: 'p-',
    })
    expect(map.fileName).toBe(`s3://${bucket}/${key}`)
    expect(resolvePath(map, 'data/pub/x')).toEqual({
      bucket: 'p-store',
      bucketPath: 'data',
      objectKey: 'pub/x',
      headers: {},
    })
  })

  test('a missing object is a BucketMapError naming it', async () => {
    await expect(
      loadBucketMap({ configBucket: bucket, key: `${key}.missing`, s3: s3ObjectReader(client) }),
    ).rejects.toMatchObject({
      name: 'BucketMapError',
      code: 'ERR_CONFIG',
      message: `cannot read bucket map s3://${bucket}/${key}.missing: NoSuchKey`,
    })
  })
})
