import { createHash, randomUUID } from 'node:crypto'
import { Readable } from 'node:stream'
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3'
import type { S3Client } from '@aws-sdk/client-s3'
import { AssumeRoleCommand } from '@aws-sdk/client-sts'
import type { AwsCredentialIdentity } from '@smithy/types'
import { teaExpiration } from '@tea-ts/client/testing'
import { readS3Env, s3ClientFor, stsClientFor, toIdentity } from './s3-env.js'
import type { S3Env } from './s3-env.js'

export const MiB = 1024 ** 2

/** The clients a transfer test needs: tester (writes the source), read-only role, dest user. */
export interface TransferStack {
  readonly env: S3Env
  /** Tester's own keys: writes test objects into the source bucket. */
  readonly owner: S3Client
  /** Read-only role credentials (AssumeRole), as /s3credentials would vend. */
  readonly sourceCreds: AwsCredentialIdentity
  readonly source: S3Client
  /** The independent `dest` user, sole owner of the destination bucket. */
  readonly dest: S3Client
  /** A unique key prefix for this test file. */
  readonly prefix: string
}

export async function transferStack(name: string): Promise<TransferStack> {
  const env = readS3Env()
  const out = await stsClientFor(env.user).send(
    new AssumeRoleCommand({
      RoleArn: env.roleArn,
      RoleSessionName: `transfer-${name}`,
      DurationSeconds: 3600,
    }),
  )
  const sourceCreds = toIdentity(out.Credentials)
  return {
    env,
    owner: s3ClientFor(env.user),
    sourceCreds,
    source: s3ClientFor(sourceCreds),
    dest: s3ClientFor(env.dest),
    prefix: `transfer-test/${name}/${randomUUID()}/`,
  }
}

/** Removes what a test file wrote under its prefix, in the source and the destination bucket. */
export async function cleanUpStack(t: TransferStack): Promise<void> {
  await cleanUp(t.owner, t.env.bucket, t.prefix)
  await cleanUp(t.dest, t.env.destBucket, t.prefix)
}

/** Deterministic bytes where every MiB differs (so swapped or repeated parts are caught). */
export function pattern(size: number, seed = 1): Buffer {
  const out = Buffer.allocUnsafe(size)
  let x = seed >>> 0 || 1
  for (let i = 0; i + 4 <= size; i += 4) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    out.writeUInt32LE(x >>> 0, i)
  }
  for (let i = size - (size % 4); i < size; i++) out[i] = i & 0xff
  return out
}

export const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex')
export const md5 = (b: Uint8Array): Buffer => createHash('md5').update(b).digest()

export async function putBytes(s3: S3Client, bucket: string, key: string, body: Buffer) {
  return s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: body,
      ContentType: 'application/x-test',
    }),
  )
}

export async function readBytes(s3: S3Client, bucket: string, key: string): Promise<Buffer> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
  return Buffer.from(await out.Body!.transformToByteArray())
}

/** SHA-256 of an object, streamed (for objects too large to hold). */
export async function hashObject(s3: S3Client, bucket: string, key: string): Promise<string> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
  const h = createHash('sha256')
  for await (const chunk of out.Body as Readable) h.update(chunk as Buffer)
  return h.digest('hex')
}

export async function openUploads(s3: S3Client, bucket: string, prefix: string) {
  const out = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: prefix }))
  return out.Uploads ?? []
}

/** Deletes every object and open upload under `prefix`. */
export async function cleanUp(s3: S3Client, bucket: string, prefix: string): Promise<void> {
  for (const u of await openUploads(s3, bucket, prefix)) {
    await s3.send(
      new AbortMultipartUploadCommand({ Bucket: bucket, Key: u.Key, UploadId: u.UploadId }),
    )
  }
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }))
  for (const o of listed.Contents ?? []) {
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: o.Key }))
  }
}

/** Counts the commands a client sends, by name (`UploadPartCommand`, ...). */
export function countCommands(s3: S3Client): Map<string, number> {
  const counts = new Map<string, number>()
  s3.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? '?'
      counts.set(name, (counts.get(name) ?? 0) + 1)
      return next(args)
    },
    { step: 'initialize', name: 'countCommands' },
  )
  return counts
}

/** The failure of a promise expected to reject. */
export async function failure(p: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await p
  } catch (err) {
    return err as Record<string, unknown>
  }
  throw new Error('expected a failure, but it succeeded')
}

/** A readable of `size` bytes of `pattern`-like data generated one MiB at a time, hashing as it goes. */
export function generatedStream(size: number): { stream: Readable; digest: () => string } {
  const block = pattern(MiB, 7)
  const h = createHash('sha256')
  let sent = 0
  const stream = new Readable({
    highWaterMark: 4 * MiB,
    read() {
      if (sent >= size) return void this.push(null)
      const n = Math.min(MiB, size - sent)
      const chunk = Buffer.from(block.subarray(0, n))
      chunk.writeUInt32LE(sent / MiB, 0)
      h.update(chunk)
      sent += n
      this.push(chunk)
    },
  })
  return { stream, digest: () => h.digest('hex') }
}

/** Calls seen by {@link s3CredentialsFetch}. */
export interface FakeEndpointLog {
  readonly calls: Array<{ url: string; authorization: string | null }>
}

/**
 * A `fetch` standing in for an `/s3credentials` endpoint: for the expected bearer token it
 * AssumeRoles the read-only role at `stsEndpoint` (real, expiring radosgw credentials) and
 * answers TEA's JSON, with TEA's `YYYY-MM-DD HH:MM:SS+00:00` expiration; otherwise 401.
 */
export function s3CredentialsFetch(
  env: S3Env,
  token: string,
  stsEndpoint = env.endpoint,
): typeof globalThis.fetch & FakeEndpointLog {
  const calls: FakeEndpointLog['calls'] = []
  const fake = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const authorization = new Headers(init?.headers).get('authorization')
    calls.push({ url: String(input), authorization })
    if (authorization !== `Bearer ${token}`) {
      return new Response('{"error_description":"bad token"}', { status: 401 })
    }
    const out = await stsClientFor(env.user, stsEndpoint).send(
      new AssumeRoleCommand({
        RoleArn: env.roleArn,
        RoleSessionName: 'transfer-user@tea-ts',
        DurationSeconds: 900,
      }),
    )
    const c = toIdentity(out.Credentials)
    const expiration = teaExpiration(c.expiration!.getTime())
    return Response.json({
      accessKeyId: c.accessKeyId,
      secretAccessKey: c.secretAccessKey,
      sessionToken: c.sessionToken,
      expiration,
    })
  }
  return Object.assign(fake, { calls })
}
