// Source credentials that really expire mid-copy. The stand-in /s3credentials endpoint mints
// them at radosgw's short-lived STS gateway (they lapse about 120 s later, and radosgw then
// answers 403); the copy is held up after its first part until they have lapsed.
//  - proactive: the real fromS3Credentials provider sees them near expiry and fetches new ones;
//  - reactive: the provider's clock is 10 minutes slow, so it hands out the expired ones; S3's
//    403 makes the reactive-refresh plugin force a refresh and replay the request.
// Both run at once, with copyObject's own retries off, and complete.
import type { S3Client } from '@aws-sdk/client-s3'
import type { FinalizeRequestMiddleware, MetadataBearer } from '@smithy/types'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { copyObject, createSourceClient } from '@tea-ts/transfer'
import {
  MiB,
  cleanUpStack,
  pattern,
  putBytes,
  readBytes,
  s3CredentialsFetch,
  sha256,
  transferStack,
} from './helpers/transfer-fixtures.js'
import type { TransferStack } from './helpers/transfer-fixtures.js'

const TOKEN = 'edl-token-expiry'
let t: TransferStack

beforeAll(async () => {
  t = await transferStack('expiry')
})

afterAll(async () => {
  await cleanUpStack(t)
})

/** Holds every GetObject after the first until `until()`; counts 403 answers. */
function instrument(client: S3Client, until: () => number): { denied: () => number } {
  let gets = 0
  let denied = 0
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'GetObjectCommand' && ++gets > 1) {
        const wait = until() - Date.now()
        if (wait > 0) await new Promise((r) => setTimeout(r, wait))
      }
      return next(args)
    },
    { step: 'initialize', name: 'holdGets' },
  )
  // Inside the SDK's retry middleware (and so inside the reactive-refresh plugin): sees every
  // attempt's parsed error.
  const count403: FinalizeRequestMiddleware<object, MetadataBearer> = (next) => async (args) => {
    try {
      return await next(args)
    } catch (err) {
      if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 403) {
        denied++
      }
      throw err
    }
  }
  client.middlewareStack.addRelativeTo(count403, {
    relation: 'after',
    toMiddleware: 'retryMiddleware',
    name: 'count403',
  })
  return { denied: () => denied }
}

describe('credentials that expire mid-copy', () => {
  it('are refreshed (proactively, and reactively after a 403) and both copies complete', async () => {
    const { shortStsEndpoint, shortStsLifetimeSeconds } = t.env
    if (!shortStsEndpoint || !shortStsLifetimeSeconds) {
      throw new Error(
        'the stack printed no S3_SHORT_STS_ENDPOINT: cannot mint expiring credentials',
      )
    }
    const body = pattern(3 * 5 * MiB, 51)
    await putBytes(t.owner, t.env.bucket, `${t.prefix}slow.bin`, body)
    const started = Date.now()
    // radosgw refuses expired sessions within a few seconds of their expiry.
    const lapsed = (): number => started + (shortStsLifetimeSeconds + 8) * 1000

    async function slowCopy(name: string, now?: () => number) {
      const fetch = s3CredentialsFetch(t.env, TOKEN, shortStsEndpoint)
      const client = createSourceClient({
        credentialsEndpoint: 'http://127.0.0.1:9/s3credentials',
        token: TOKEN,
        s3: {
          endpoint: t.env.endpoint,
          forcePathStyle: true,
          region: t.env.region,
          maxAttempts: 1,
        },
        credentials: { fetch, ...(now ? { now } : {}) },
      })
      const counters = instrument(client, lapsed)
      const result = await copyObject({
        source: { bucket: t.env.bucket, key: `${t.prefix}slow.bin`, client },
        dest: { bucket: t.env.destBucket, key: `${t.prefix}${name}.bin`, client: t.dest },
        partSize: 5 * MiB,
        concurrency: 1,
        retry: { maxAttempts: 1 },
      })
      return { result, fetches: fetch.calls.length, denied: counters.denied() }
    }

    const [proactive, reactive] = await Promise.all([
      slowCopy('proactive'),
      slowCopy('reactive', () => Date.now() - 600_000),
    ])
    expect(Date.now() - started).toBeGreaterThan(shortStsLifetimeSeconds * 1000)
    expect(proactive).toMatchObject({ fetches: 2, denied: 0, result: { parts: 3 } })
    expect(reactive).toMatchObject({ fetches: 2, denied: 1, result: { parts: 3 } })
    for (const name of ['proactive', 'reactive']) {
      const back = await readBytes(t.dest, t.env.destBucket, `${t.prefix}${name}.bin`)
      expect(sha256(back)).toBe(sha256(body))
    }
  }, 400_000)
})
