// The Lambda handler against radosgw: source credentials through the real fromS3Credentials
// provider (its fetch answered by a stand-in endpoint that AssumeRoles on radosgw), destination
// with the dest user's keys.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLambdaHandler, createSourceClient, handler } from '@tea-ts/transfer'
import { s3ClientFor } from './helpers/s3-env.js'
import {
  MiB,
  cleanUpStack,
  md5,
  pattern,
  putBytes,
  readBytes,
  s3CredentialsFetch,
  sha256,
  transferStack,
} from './helpers/transfer-fixtures.js'
import type { TransferStack } from './helpers/transfer-fixtures.js'

let t: TransferStack
const TOKEN = 'edl-user-token-for-tests'
const ENDPOINT = 'http://127.0.0.1:9/s3credentials'

beforeAll(async () => {
  t = await transferStack('lambda')
})

afterAll(async () => {
  await cleanUpStack(t)
})

function handlerFor(fetch: typeof globalThis.fetch) {
  return createLambdaHandler({
    sourceClient: ({ credentialsEndpoint, token }) =>
      createSourceClient({
        credentialsEndpoint,
        token,
        s3: { endpoint: t.env.endpoint, forcePathStyle: true, region: t.env.region },
        credentials: { fetch },
      }),
    destClient: () => s3ClientFor(t.env.dest),
    tuning: { partSize: 5 * MiB },
  })
}

describe('Lambda handler on radosgw', () => {
  it('copies Source to Dest (Key defaulting to Source.Key) and returns {bytes, parts, seconds, etag}', async () => {
    const key = `${t.prefix}granule.h5`
    const body = pattern(12 * MiB + 1, 21)
    await putBytes(t.owner, t.env.bucket, key, body)
    const fetch = s3CredentialsFetch(t.env, TOKEN)
    const result = await handlerFor(fetch)({
      CredentialsEndpoint: ENDPOINT,
      BearerToken: TOKEN,
      Source: { Bucket: t.env.bucket, Key: key },
      Dest: { Bucket: t.env.destBucket },
    })
    const md5s = [0, 1, 2].map((i) => md5(body.subarray(i * 5 * MiB, (i + 1) * 5 * MiB)))
    expect(Object.keys(result).sort()).toEqual(['bytes', 'etag', 'parts', 'seconds'])
    expect(result).toMatchObject({
      bytes: body.length,
      parts: 3,
      etag: `${md5(Buffer.concat(md5s)).toString('hex')}-3`,
    })
    expect(result.seconds).toBeGreaterThan(0)
    expect(sha256(await readBytes(t.dest, t.env.destBucket, key))).toBe(sha256(body))
    expect(fetch.calls).toEqual([{ url: ENDPOINT, authorization: `Bearer ${TOKEN}` }])
  })

  it('writes to Dest.Key when given', async () => {
    const body = pattern(1000, 22)
    await putBytes(t.owner, t.env.bucket, `${t.prefix}small`, body)
    const result = await handlerFor(s3CredentialsFetch(t.env, TOKEN))({
      CredentialsEndpoint: ENDPOINT,
      BearerToken: TOKEN,
      Source: { Bucket: t.env.bucket, Key: `${t.prefix}small` },
      Dest: { Bucket: t.env.destBucket, Key: `${t.prefix}renamed` },
    })
    expect(result).toMatchObject({ bytes: 1000, parts: 1, etag: md5(body).toString('hex') })
    expect(await readBytes(t.dest, t.env.destBucket, `${t.prefix}renamed`)).toEqual(body)
  })

  it('fails with the credentials error when the endpoint refuses the token', async () => {
    await putBytes(t.owner, t.env.bucket, `${t.prefix}refused`, pattern(10))
    const run = handlerFor(s3CredentialsFetch(t.env, TOKEN))({
      CredentialsEndpoint: ENDPOINT,
      BearerToken: 'someone-elses-token',
      Source: { Bucket: t.env.bucket, Key: `${t.prefix}refused` },
      Dest: { Bucket: t.env.destBucket },
    })
    const err = (await run.catch((e: unknown) => e)) as Error & { code: string; cause: unknown }
    expect(err).toMatchObject({ name: 'TransferError', code: 'ERR_TRANSFER', side: 'source' })
    expect(err.message).toMatch(
      new RegExp(
        `^HeadObject on s3://${t.env.bucket}/${t.prefix}refused failed: .*did not accept the Earthdata Login token.* \\(ERR_UNAUTHENTICATED\\)$`,
      ),
    )
    expect(err.message).not.toContain('someone-elses-token')
    expect(err.cause).toMatchObject({ code: 'ERR_UNAUTHENTICATED' })
  })

  it('refuses a malformed event with ERR_INVALID_EVENT', async () => {
    await expect(handler({ Source: { Bucket: 'b', Key: 'k' } })).rejects.toMatchObject({
      name: 'InvalidEventError',
      code: 'ERR_INVALID_EVENT',
      message:
        'Invalid event: CredentialsEndpoint is missing; BearerToken is missing; Dest is missing. ' +
        'Expected {"CredentialsEndpoint", "BearerToken", "Source": {"Bucket", "Key"}, "Dest": {"Bucket", "Key"?}}',
    })
  })

  it('refuses a plain-http CredentialsEndpoint that is not loopback', async () => {
    await expect(
      handler({
        CredentialsEndpoint: 'http://data.example.org/s3credentials',
        BearerToken: TOKEN,
        Source: { Bucket: 'b', Key: 'k' },
        Dest: { Bucket: 'd' },
      }),
    ).rejects.toMatchObject({
      code: 'ERR_INVALID_EVENT',
      message:
        'Invalid event: CredentialsEndpoint: endpoint must use https (plain http is allowed only to a loopback host)',
    })
  })
})
