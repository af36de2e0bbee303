import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { BucketMapError } from './bucket-map-error.js'
import { loadBucketMap } from './load-bucket-map.js'
import type { ObjectTextReader } from './object-text-reader.js'
import { resolvePath } from './resolve-path.js'

const MAP = 'MAP:\n  data: store\nPRIVATE_BUCKETS:\n  store/p/: [g]\n'

const fakeS3 = (objects: Record<string, string>, calls: string[] = []): ObjectTextReader => ({
  async getObjectText(bucket, key) {
    calls.push(`${bucket}/${key}`)
    const text = objects[`${bucket}/${key}`]
    if (text === undefined)
      throw Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' })
    return text
  },
})

const thrown = async (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => undefined,
    (err: unknown) => err,
  )

describe('loadBucketMap from S3', () => {
  test('reads the key from the config bucket and parses it with the options', async () => {
    const calls: string[] = []
    const map = await loadBucketMap({
      configBucket: 'cfg',
      key: 'bucket_map.yaml',
      s3: fakeS3({ 'cfg/bucket_map.yaml': MAP }, calls),
      bucketNamePrefix: 'pre-',
    })
    expect(calls).toEqual(['cfg/bucket_map.yaml'])
    expect(map.fileName).toBe('s3://cfg/bucket_map.yaml')
    expect(resolvePath(map, 'data/x')).toEqual({
      bucket: 'pre-store',
      bucketPath: 'data',
      objectKey: 'x',
      headers: {},
    })
  })

  test('a read failure is a BucketMapError with the SDK error name only, and the cause', async () => {
    const error = await thrown(
      loadBucketMap({ configBucket: 'cfg', key: 'missing.yaml', s3: fakeS3({}) }),
    )
    expect(error).toBeInstanceOf(BucketMapError)
    expect(error).toMatchObject({
      code: 'ERR_CONFIG',
      message: 'cannot read bucket map s3://cfg/missing.yaml: NoSuchKey',
      fileName: 's3://cfg/missing.yaml',
      line: undefined,
      cause: { name: 'NoSuchKey' },
    })
  })

  test('parse errors name the S3 object', async () => {
    const error = await thrown(
      loadBucketMap({
        configBucket: 'cfg',
        key: 'm.yaml',
        s3: fakeS3({ 'cfg/m.yaml': 'MAP: [x]\n' }),
      }),
    )
    expect(error).toMatchObject({
      message: 's3://cfg/m.yaml line 1: MAP must be a mapping of paths to buckets',
      line: 1,
    })
  })

  test('iamCompatible is passed on', async () => {
    const s3 = fakeS3({ 'cfg/m.yaml': MAP })
    await expect(loadBucketMap({ configBucket: 'cfg', key: 'm.yaml', s3 })).resolves.toBeDefined()
    await expect(
      loadBucketMap({ configBucket: 'cfg', key: 'm.yaml', s3, iamCompatible: true }),
    ).rejects.toThrow(
      "Invalid prefix permissions for bucket 'store': 'p/' has {'g'} but '' has protected access",
    )
  })

  test('a key without an S3 reader is a TypeError', async () => {
    await expect(loadBucketMap({ configBucket: 'cfg', key: 'm.yaml' })).rejects.toThrow(
      new TypeError('loadBucketMap: an s3 reader is required for a key'),
    )
  })
})

describe('loadBucketMap from a local file', () => {
  let dir = ''
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bucket-map-'))
    await writeFile(join(dir, 'map.yaml'), MAP)
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  test('reads the file with fs by default', async () => {
    const file = join(dir, 'map.yaml')
    const map = await loadBucketMap({ file })
    expect(map.fileName).toBe(file)
    expect(resolvePath(map, 'data/x')?.bucket).toBe('store')
  })

  test('a missing file is a BucketMapError with the fs code', async () => {
    const file = join(dir, 'nope.yaml')
    await expect(loadBucketMap({ file })).rejects.toMatchObject({
      name: 'BucketMapError',
      message: `cannot read bucket map ${file}: ENOENT`,
    })
  })

  test('an injected readFile is used', async () => {
    const map = await loadBucketMap({ file: 'virtual.yaml', readFile: async () => 'A: b\n' })
    expect(map.fileName).toBe('virtual.yaml')
    expect(resolvePath(map, 'A/k')?.bucket).toBe('b')
  })
})

test('no location: an empty map, as TEA with an empty BUCKET_MAP_FILE', async () => {
  const map = await loadBucketMap({ bucketNamePrefix: 'pre-' })
  expect(map.root.children.size).toBe(0)
  expect(map.bucketNamePrefix).toBe('pre-')
  expect(map.warnings).toEqual(['(no BUCKET_MAP_FILE) defines no paths: every download is 404'])
})
