// The Lambda handler's continuation against radosgw: a context whose time runs out mid-copy
// makes it return {continuation}, and invoking it again with the same event (what the
// bulk-copy state machine does) finishes the same multipart upload.
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { S3Client } from '@aws-sdk/client-s3'
import { createLambdaHandler, createSourceClient } from '@tea-ts/transfer'
import type { CopyContinuation, CopyEventResult } from '@tea-ts/transfer'
import { s3ClientFor } from './helpers/s3-env.js'
import {
  MiB,
  cleanUpStack,
  md5,
  openUploads,
  pattern,
  putBytes,
  readBytes,
  s3CredentialsFetch,
  sha256,
  transferStack,
} from './helpers/transfer-fixtures.js'
import type { TransferStack } from './helpers/transfer-fixtures.js'

let t: TransferStack

beforeAll(async () => {
  t = await transferStack('lambda-continuation')
})

afterAll(async () => {
  await cleanUpStack(t)
})

/** The read-only source client, each GetObject held back `ms` so a copy takes a known while. */
function slowSource(ms: number): S3Client {
  const s3 = s3ClientFor(t.sourceCreds)
  s3.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'GetObjectCommand') await sleep(ms)
      return next(args)
    },
    { step: 'initialize', name: 'slowGets' },
  )
  return s3
}

/** A Lambda context with `ms` left, as the runtime reports it. */
const contextWith = (ms: number) => ({ getRemainingTimeInMillis: () => ms })

const isContinuation = (r: CopyEventResult | CopyContinuation): r is CopyContinuation =>
  'continuation' in r

describe('transfer Lambda continuation on radosgw', () => {
  it('returns a continuation before the time runs out and completes across invocations', async () => {
    const key = `${t.prefix}granule.nc`
    const parts = 12
    const body = pattern(parts * 5 * MiB - 1234, 31)
    await putBytes(t.owner, t.env.bucket, key, body)
    // 12 parts of >= 250 ms each, 1.4 s per invocation: at least 3 invocations on any machine.
    const handler = createLambdaHandler({
      sourceClient: () => slowSource(250),
      destClient: () => s3ClientFor(t.env.dest),
      tuning: { partSize: 5 * MiB, concurrency: 1 },
      reserveMs: 100,
    })
    const event = {
      CredentialsEndpoint: 'https://unused.example/s3credentials',
      BearerToken: 'token',
      Source: { Bucket: t.env.bucket, Key: key },
      Dest: { Bucket: t.env.destBucket },
    }
    const continuations: CopyContinuation[] = []
    let done: CopyEventResult | undefined
    for (let i = 0; i < 40 && done === undefined; i++) {
      const r = await handler(event, contextWith(1500))
      if (isContinuation(r)) continuations.push(r)
      else done = r
    }
    expect(done).toBeDefined()
    // Several invocations, all working on the one upload.
    expect(continuations.length).toBeGreaterThanOrEqual(2)
    const ids = new Set(continuations.map((c) => c.continuation.uploadId))
    expect(ids.size).toBe(1)
    expect([...ids][0]).toMatch(/\S/)
    const done1 = continuations.map((c) => c.continuation.partsDone)
    expect(done1[0]).toBeGreaterThan(0)
    // Parts kept never go back (a busy machine may make one invocation add none).
    for (let i = 1; i < done1.length; i++) expect(done1[i]).toBeGreaterThanOrEqual(done1[i - 1]!)
    expect(done1.at(-1)).toBeGreaterThan(done1[0]!)
    for (const c of continuations) {
      expect(c.continuation.bytesDone).toBe(c.continuation.partsDone * 5 * MiB)
      expect(c.seconds).toBeGreaterThan(0)
    }
    const md5s = Array.from({ length: parts }, (_, i) =>
      md5(body.subarray(i * 5 * MiB, (i + 1) * 5 * MiB)),
    )
    expect(done).toMatchObject({
      bytes: body.length,
      parts,
      etag: `${md5(Buffer.concat(md5s)).toString('hex')}-${parts}`,
    })
    expect(sha256(await readBytes(t.dest, t.env.destBucket, key))).toBe(sha256(body))
    expect(await openUploads(t.dest, t.env.destBucket, key)).toEqual([])
  })

  it('without a context, copies in one go and returns no continuation', async () => {
    const key = `${t.prefix}whole`
    const body = pattern(11 * MiB, 32)
    await putBytes(t.owner, t.env.bucket, key, body)
    const handler = createLambdaHandler({
      sourceClient: () => slowSource(150),
      destClient: () => s3ClientFor(t.env.dest),
      tuning: { partSize: 5 * MiB, concurrency: 1 },
    })
    const r = await handler({
      CredentialsEndpoint: 'https://unused.example/s3credentials',
      BearerToken: 'token',
      Source: { Bucket: t.env.bucket, Key: key },
      Dest: { Bucket: t.env.destBucket },
    })
    expect(Object.keys(r).sort()).toEqual(['bytes', 'etag', 'parts', 'seconds'])
    expect(sha256(await readBytes(t.dest, t.env.destBucket, key))).toBe(sha256(body))
  })

  it('aborts the kept upload when the copy fails for good', async () => {
    const key = `${t.prefix}vanishing`
    await putBytes(t.owner, t.env.bucket, key, pattern(12 * MiB, 33))
    const source = slowSource(150)
    // The source is replaced after the first part: every later ranged GET (If-Match) fails 412.
    let gets = 0
    source.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'GetObjectCommand' && ++gets === 2) {
          await putBytes(t.owner, t.env.bucket, key, pattern(12 * MiB, 34))
        }
        return next(args)
      },
      { step: 'initialize', name: 'replaceSource' },
    )
    const handler = createLambdaHandler({
      sourceClient: () => source,
      destClient: () => s3ClientFor(t.env.dest),
      tuning: { partSize: 5 * MiB, concurrency: 1 },
      reserveMs: 100,
    })
    const run = handler(
      {
        CredentialsEndpoint: 'https://unused.example/s3credentials',
        BearerToken: 'token',
        Source: { Bucket: t.env.bucket, Key: key },
        Dest: { Bucket: t.env.destBucket },
      },
      contextWith(60_000),
    )
    await expect(run).rejects.toMatchObject({ code: 'ERR_SOURCE_CHANGED' })
    expect(await openUploads(t.dest, t.env.destBucket, key)).toEqual([])
  })

  it('reuses the source credentials across invocations of a warm container', async () => {
    const fetch = s3CredentialsFetch(t.env, 'job-token')
    const handler = createLambdaHandler({
      sourceClient: ({ credentialsEndpoint, token }) =>
        createSourceClient({
          credentialsEndpoint,
          token,
          s3: { endpoint: t.env.endpoint, forcePathStyle: true, region: t.env.region },
          credentials: { fetch },
        }),
      destClient: () => s3ClientFor(t.env.dest),
    })
    const event = (key: string, token = 'job-token') => ({
      CredentialsEndpoint: 'http://127.0.0.1:9/s3credentials',
      BearerToken: token,
      Source: { Bucket: t.env.bucket, Key: key },
      Dest: { Bucket: t.env.destBucket },
    })
    for (const [i, key] of ['a', 'b', 'c'].entries()) {
      await putBytes(t.owner, t.env.bucket, `${t.prefix}warm-${key}`, pattern(1000, 40 + i))
      await handler(event(`${t.prefix}warm-${key}`), contextWith(60_000))
    }
    expect(fetch.calls).toHaveLength(1)
    // Another token is another user: its own credentials.
    await expect(handler(event(`${t.prefix}warm-a`, 'other-token'))).rejects.toMatchObject({
      side: 'source',
    })
    expect(fetch.calls).toHaveLength(2)
  })
})
