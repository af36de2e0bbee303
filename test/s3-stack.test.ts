// The local radosgw stack really enforces what tea-ts relies on: role and session policies,
// SigV4 and session tokens, ownership of the destination bucket, and credential expiry.
import { randomUUID } from 'node:crypto'
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3'
import type { S3Client } from '@aws-sdk/client-s3'
import { AssumeRoleCommand } from '@aws-sdk/client-sts'
import type { AssumeRoleCommandInput } from '@aws-sdk/client-sts'
import type { AwsCredentialIdentity } from '@smithy/types'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readS3Env, s3ClientFor, stsClientFor, toIdentity } from './helpers/s3-env.js'
import type { S3Env } from './helpers/s3-env.js'

const prefix = `s3-stack-test/${randomUUID()}/`
const key = `${prefix}hello.txt`
const body = 'hello from s3-stack.test'

let env: S3Env
let owner: S3Client
let dest: S3Client

/** Resolves to the HTTP status and error name of a call expected to fail. */
async function failure(p: Promise<unknown>): Promise<{ status?: number; name: string }> {
  try {
    await p
  } catch (err) {
    const e = err as { name: string; $metadata?: { httpStatusCode?: number } }
    return { status: e.$metadata?.httpStatusCode, name: e.name }
  }
  throw new Error('expected the call to fail, but it succeeded')
}

async function assumeRole(
  extra: Partial<AssumeRoleCommandInput> = {},
  endpoint = env.endpoint,
): Promise<{ creds: AwsCredentialIdentity; arn: string | undefined }> {
  const out = await stsClientFor(env.user, endpoint).send(
    new AssumeRoleCommand({
      RoleArn: env.roleArn,
      RoleSessionName: 'alice@my-app',
      DurationSeconds: 900,
      ...extra,
    }),
  )
  return { creds: toIdentity(out.Credentials), arn: out.AssumedRoleUser?.Arn }
}

const getObject = (s3: S3Client, bucket: string, k = key) =>
  s3.send(new GetObjectCommand({ Bucket: bucket, Key: k })).then((r) => r.Body!.transformToString())
const list = (s3: S3Client, bucket: string) =>
  s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }))
const put = (s3: S3Client, bucket: string, k = key) =>
  s3.send(new PutObjectCommand({ Bucket: bucket, Key: k, Body: body }))

beforeAll(async () => {
  env = readS3Env()
  owner = s3ClientFor(env.user)
  dest = s3ClientFor(env.dest)
  await put(owner, env.bucket)
  await put(owner, env.otherBucket)
})

afterAll(async () => {
  if (!env) return
  await Promise.allSettled([
    owner.send(new DeleteObjectCommand({ Bucket: env.bucket, Key: key })),
    owner.send(new DeleteObjectCommand({ Bucket: env.otherBucket, Key: key })),
    dest.send(new DeleteObjectCommand({ Bucket: env.destBucket, Key: key })),
  ])
})

describe('role credentials', () => {
  it('read the bucket, are denied writes and carry the session name in the ARN', async () => {
    const { creds, arn } = await assumeRole()
    expect(arn).toBe(`arn:aws:sts:::assumed-role/${env.roleArn.split('/').pop()}/alice@my-app`)
    expect(creds.sessionToken!.length).toBeGreaterThan(100)
    const s3 = s3ClientFor(creds)
    expect(await getObject(s3, env.bucket)).toBe(body)
    const listed = await list(s3, env.bucket)
    expect(listed.Contents?.map((o) => o.Key)).toEqual([key])
    expect(await failure(put(s3, env.bucket, `${prefix}denied.txt`))).toEqual({
      status: 403,
      name: 'AccessDenied',
    })
    // The role also covers the other bucket, so session policies have something to narrow.
    expect(await getObject(s3, env.otherBucket)).toBe(body)
  })

  it('are narrowed by a session policy to GetObject only', async () => {
    const Policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['s3:GetObject'], Resource: [`arn:aws:s3:::${env.bucket}/*`] },
      ],
    })
    const s3 = s3ClientFor((await assumeRole({ Policy })).creds)
    expect(await getObject(s3, env.bucket)).toBe(body)
    expect(await failure(list(s3, env.bucket))).toEqual({ status: 403, name: 'AccessDenied' })
  })

  it('are denied a bucket the role allows when the session policy names another bucket', async () => {
    const b = env.bucket
    const Policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['s3:GetObject', 's3:ListBucket'],
          Resource: [`arn:aws:s3:::${b}`, `arn:aws:s3:::${b}/*`],
        },
      ],
    })
    const s3 = s3ClientFor((await assumeRole({ Policy })).creds)
    expect(await getObject(s3, env.bucket)).toBe(body)
    expect(await failure(getObject(s3, env.otherBucket))).toEqual({
      status: 403,
      name: 'AccessDenied',
    })
    expect(await failure(list(s3, env.otherBucket))).toEqual({ status: 403, name: 'AccessDenied' })
  })

  it('are refused with a tampered, missing or foreign session token or a wrong secret', async () => {
    const { creds } = await assumeRole()
    const token = creds.sessionToken!
    const flipped = token[10] === 'A' ? 'B' : 'A'
    const tampered = { ...creds, sessionToken: token.slice(0, 10) + flipped + token.slice(11) }
    // RGW cannot decrypt a modified token and says so with 400 rather than 403.
    expect(await failure(getObject(s3ClientFor(tampered), env.bucket))).toEqual({
      status: 400,
      name: 'InvalidArgument',
    })
    const noToken = { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey }
    expect(await failure(getObject(s3ClientFor(noToken), env.bucket))).toEqual({
      status: 403,
      name: 'AccessDenied',
    })
    const other = (await assumeRole()).creds
    const foreign = { ...creds, sessionToken: other.sessionToken }
    expect((await failure(getObject(s3ClientFor(foreign), env.bucket))).status).toBe(403)
    const wrongSecret = { ...creds, secretAccessKey: `x${creds.secretAccessKey.slice(1)}` }
    expect(await failure(getObject(s3ClientFor(wrongSecret), env.bucket))).toEqual({
      status: 403,
      name: 'SignatureDoesNotMatch',
    })
  })

  it('cannot be obtained beyond the role maximum session', async () => {
    const err = await failure(assumeRole({ DurationSeconds: env.roleMaxSession + 1 }))
    expect(err.status).toBe(400)
  })
})

describe('destination user', () => {
  it('writes its own bucket, which the role and the source user cannot write', async () => {
    await put(dest, env.destBucket)
    expect(await getObject(dest, env.destBucket)).toBe(body)
    const role = s3ClientFor((await assumeRole()).creds)
    const denied = { status: 403, name: 'AccessDenied' }
    expect(await failure(put(role, env.destBucket, `${prefix}role.txt`))).toEqual(denied)
    expect(await failure(put(owner, env.destBucket, `${prefix}owner.txt`))).toEqual(denied)
  })

  it('cannot read the source bucket', async () => {
    const denied = { status: 403, name: 'AccessDenied' }
    expect(await failure(getObject(dest, env.bucket))).toEqual(denied)
    expect(await failure(list(dest, env.bucket))).toEqual(denied)
  })
})

describe('credential expiry', () => {
  it('short-lived credentials work until their expiration and are refused after it', async () => {
    const endpoint = env.shortStsEndpoint
    const lifetime = env.shortStsLifetimeSeconds
    if (!endpoint || !lifetime) {
      throw new Error('S3_SHORT_STS_ENDPOINT is not set: the stack has no short-lived STS gateway')
    }
    const before = Date.now()
    const { creds } = await assumeRole({ DurationSeconds: 900 }, endpoint)
    const expiresAt = creds.expiration!.getTime()
    // About `lifetime` seconds of real time, not the 900 s requested.
    expect(Math.abs(expiresAt - (before + lifetime * 1000))).toBeLessThan(10_000)
    const s3 = s3ClientFor(creds)
    expect(await getObject(s3, env.bucket)).toBe(body)
    const waitMs = expiresAt - Date.now()
    // Still valid shortly before expiry: the gateway is not refusing them for another reason.
    await new Promise((r) => setTimeout(r, Math.max(0, waitMs - 15_000)))
    expect(await getObject(s3, env.bucket)).toBe(body)
    await new Promise((r) => setTimeout(r, Math.max(0, expiresAt + 5_000 - Date.now())))
    expect(await failure(getObject(s3, env.bucket))).toEqual({ status: 403, name: 'AccessDenied' })
  }, 240_000)
})
