// The session policies toIamPolicy writes, enforced by a real STS + S3 (the local radosgw): a
// user gets exactly what the bucket map allows, nothing more.
import { randomUUID } from 'node:crypto'
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3'
import type { S3Client } from '@aws-sdk/client-s3'
import { AssumeRoleCommand } from '@aws-sdk/client-sts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  readS3Env,
  s3ClientFor,
  stsClientFor,
  toIdentity,
} from '../../../../test/helpers/s3-env.js'
import type { S3Env } from '../../../../test/helpers/s3-env.js'
import type { BucketMap } from './bucket-map.js'
import { fitPolicy } from './fit-policy.js'
import { parseBucketMap } from './parse-bucket-map.js'
import { toIamPolicy } from './to-iam-policy.js'

const run = `bucket-map-policy/${randomUUID()}`
let env: S3Env
let owner: S3Client
let map: BucketMap
const objects: [string, string][] = []

beforeAll(async () => {
  env = readS3Env()
  owner = s3ClientFor(env.user)
  // The demo map's shape, under a per-run prefix so runs do not see each other's objects.
  map = parseBucketMap(
    [
      'MAP:',
      `  t: ${env.bucket}`,
      `  o: ${env.otherBucket}`,
      'PUBLIC_BUCKETS:',
      `  - ${env.bucket}/${run}/public/`,
      'PRIVATE_BUCKETS:',
      `  ${env.bucket}: [science]`,
      `  ${env.otherBucket}: [admin]`,
      `  ${env.otherBucket}/${run}/shared/: [admin, science]`,
    ].join('\n'),
    { fileName: 'integ.yaml', iamCompatible: true },
  )
  objects.push(
    [env.bucket, `${run}/public/a.txt`],
    [env.bucket, `${run}/data/b.txt`],
    [env.otherBucket, `${run}/shared/c.txt`],
    [env.otherBucket, `${run}/private/d.txt`],
    [env.bucket, `${run}/aXb/e.txt`],
  )
  for (const [Bucket, Key] of objects) {
    await owner.send(new PutObjectCommand({ Bucket, Key, Body: Key }))
  }
})

afterAll(async () => {
  for (const [Bucket, Key] of objects) await owner?.send(new DeleteObjectCommand({ Bucket, Key }))
  owner?.destroy()
})

async function clientFor(groups: string[], from = map): Promise<S3Client> {
  const policy = toIamPolicy(from, new Set(groups))
  if (policy === null) throw new Error('no policy')
  const sts = stsClientFor(env.user)
  const out = await sts.send(
    new AssumeRoleCommand({
      RoleArn: env.roleArn,
      RoleSessionName: `bucket-map-integ-${groups.join('-') || 'none'}`,
      DurationSeconds: 900,
      Policy: fitPolicy(policy).json,
    }),
  )
  sts.destroy()
  return s3ClientFor(toIdentity(out.Credentials))
}

/** 200, or the HTTP status S3 answered with. */
async function status(p: Promise<unknown>): Promise<number> {
  try {
    await p
    return 200
  } catch (err) {
    return (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0
  }
}

describe.each([
  // [groups, public/a, data/b, shared/c, private/d, aXb/e]
  [['science'], 200, 200, 200, 403, 200],
  [[], 200, 403, 403, 403, 403],
])('session policy for groups %j', (groups, ...expected) => {
  let s3: S3Client
  beforeAll(async () => {
    s3 = await clientFor(groups)
  })
  afterAll(() => s3?.destroy())

  test('GetObject', async () => {
    const got = []
    for (const [Bucket, Key] of objects)
      got.push(await status(s3.send(new GetObjectCommand({ Bucket, Key }))))
    expect(got).toEqual(expected)
  })

  test('ListObjectsV2 is limited to the readable prefixes', async () => {
    const list = (Bucket: string, Prefix?: string) =>
      status(s3.send(new ListObjectsV2Command({ Bucket, Prefix })))
    const science = groups.includes('science')
    expect(await list(env.bucket, `${run}/public/`)).toBe(200)
    expect(await list(env.bucket, `${run}/data/`)).toBe(science ? 200 : 403)
    expect(await list(env.bucket)).toBe(science ? 200 : 403)
    expect(await list(env.otherBucket, `${run}/shared/`)).toBe(science ? 200 : 403)
    expect(await list(env.otherBucket, `${run}/private/`)).toBe(403)
    expect(await list(env.otherBucket)).toBe(403)
  })
})

test('a * in a map prefix is escaped, so it does not widen access (TEA writes it raw)', async () => {
  const wildcard = parseBucketMap(
    `MAP: {t: ${env.bucket}}\nPUBLIC_BUCKETS: ['${env.bucket}/${run}/a*b/']\nPRIVATE_BUCKETS: {${env.bucket}: [g]}\n`,
    { fileName: 'wildcard.yaml' },
  )
  const s3 = await clientFor([], wildcard)
  const key = `${run}/aXb/e.txt`
  expect(await status(s3.send(new GetObjectCommand({ Bucket: env.bucket, Key: key })))).toBe(403)
  s3.destroy()
})
