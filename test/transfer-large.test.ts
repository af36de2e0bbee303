// A 1 GiB copy with the default plan (128 MiB parts, 4 in flight) between two principals on
// radosgw, compared by SHA-256 of what the destination returns. Prints throughput and RSS.
import { PutObjectCommand } from '@aws-sdk/client-s3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { copyObject } from '@tea-ts/transfer'
import {
  MiB,
  cleanUpStack,
  generatedStream,
  hashObject,
  transferStack,
} from './helpers/transfer-fixtures.js'
import type { TransferStack } from './helpers/transfer-fixtures.js'

let t: TransferStack
const size = 1024 * MiB

beforeAll(async () => {
  t = await transferStack('large')
})

afterAll(async () => {
  await cleanUpStack(t)
})

describe('copyObject, 1 GiB', () => {
  it('copies 1 GiB in 8 parts within partSize × concurrency + 150 MiB of memory', async () => {
    const key = `${t.prefix}one-gib.bin`
    const generated = generatedStream(size)
    await t.owner.send(
      new PutObjectCommand({
        Bucket: t.env.bucket,
        Key: key,
        Body: generated.stream,
        ContentLength: size,
      }),
    )
    const sourceSha256 = generated.digest()

    global.gc?.()
    const before = process.memoryUsage().rss
    let peak = before
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss)
    }, 20)
    const result = await copyObject({
      source: { bucket: t.env.bucket, key, client: t.source },
      dest: { bucket: t.env.destBucket, key, client: t.dest },
    })
    clearInterval(sampler)
    peak = Math.max(peak, process.memoryUsage().rss)

    const report = {
      seconds: result.seconds,
      mibPerSecond: Math.round((size / MiB / result.seconds) * 10) / 10,
      rssBeforeMiB: Math.round(before / MiB),
      peakRssMiB: Math.round(peak / MiB),
      peakRssGrowthMiB: Math.round((peak - before) / MiB),
    }
    console.log(`transfer-large: ${JSON.stringify(report)}`)
    expect(result).toMatchObject({ bytes: size, parts: 8, verifiedBy: 'etag' })
    expect(peak - before).toBeLessThan(4 * 128 * MiB + 150 * MiB)
    expect(await hashObject(t.dest, t.env.destBucket, key)).toBe(sourceSha256)
  }, 600_000)
})
