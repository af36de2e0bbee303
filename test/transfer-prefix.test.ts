// copyPrefix against radosgw: every object under a prefix, skipping what is already there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { copyPrefix } from '@tea-ts/transfer'
import type { CopyPrefixOptions, ObjectOutcome, PrefixProgress } from '@tea-ts/transfer'
import { s3ClientFor } from './helpers/s3-env.js'
import {
  MiB,
  cleanUpStack,
  pattern,
  putBytes,
  readBytes,
  sha256,
  transferStack,
} from './helpers/transfer-fixtures.js'
import type { TransferStack } from './helpers/transfer-fixtures.js'

let t: TransferStack
const files: Record<string, Buffer> = {
  'empty.bin': pattern(0),
  'one.bin': pattern(1, 2),
  'multi.bin': pattern(12 * MiB + 5, 3),
  'sub/dir/nested.bin': pattern(6 * MiB, 4),
}
const total = Object.values(files).reduce((n, b) => n + b.length, 0)

beforeAll(async () => {
  t = await transferStack('prefix')
  for (const [name, body] of Object.entries(files)) {
    await putBytes(t.owner, t.env.bucket, `${t.prefix}src/${name}`, body)
  }
  // Outside the prefix: must not be copied.
  await putBytes(t.owner, t.env.bucket, `${t.prefix}srcx`, pattern(10))
})

afterAll(async () => {
  await cleanUpStack(t)
})

function copyAll(extra: Partial<CopyPrefixOptions> = {}) {
  return copyPrefix({
    source: { bucket: t.env.bucket, key: `${t.prefix}src/`, client: t.source },
    dest: { bucket: t.env.destBucket, key: `${t.prefix}dst/`, client: t.dest },
    partSize: 5 * MiB,
    concurrency: 2,
    objectConcurrency: 3,
    retry: { baseDelayMs: 10, maxDelayMs: 50 },
    ...extra,
  })
}

describe('copyPrefix on radosgw', () => {
  it('copies every object under the prefix to the same relative keys', async () => {
    const progress: PrefixProgress[] = []
    const outcomes: ObjectOutcome[] = []
    const summary = await copyAll({
      onProgress: (p) => progress.push(p),
      onObject: (o) => outcomes.push(o),
    })
    expect(summary).toMatchObject({ copied: 4, skipped: 0, failed: 0, bytes: total, errors: [] })
    for (const [name, body] of Object.entries(files)) {
      const back = await readBytes(t.dest, t.env.destBucket, `${t.prefix}dst/${name}`)
      expect(sha256(back), name).toBe(sha256(body))
    }
    expect(outcomes.map((o) => [o.status, o.destKey]).sort()).toEqual(
      Object.keys(files)
        .map((n) => ['copied', `${t.prefix}dst/${n}`])
        .sort(),
    )
    expect(progress.at(-1)).toEqual({ bytes: total, totalBytes: total, objectsDone: 4, objects: 4 })
  })

  it('skips objects already copied (same ETag, or multipart copies of the same source ETag)', async () => {
    const summary = await copyAll()
    expect(summary).toMatchObject({ copied: 0, skipped: 4, failed: 0, bytes: 0, errors: [] })
  })

  it('copies again only the object whose source changed', async () => {
    const changed = pattern(12 * MiB + 5, 99)
    await putBytes(t.owner, t.env.bucket, `${t.prefix}src/multi.bin`, changed)
    const summary = await copyAll()
    expect(summary).toMatchObject({ copied: 1, skipped: 3, failed: 0, bytes: changed.length })
    const back = await readBytes(t.dest, t.env.destBucket, `${t.prefix}dst/multi.bin`)
    expect(sha256(back)).toBe(sha256(changed))
  })

  it('counts a failed object, lists its error and copies the others', async () => {
    // A source client whose reads of one key are refused.
    const source = s3ClientFor(t.sourceCreds)
    source.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { Key?: string }
        if (context.commandName === 'GetObjectCommand' && input.Key?.endsWith('one.bin')) {
          throw Object.assign(new Error('UnknownError'), {
            name: 'AccessDenied',
            $metadata: { httpStatusCode: 403 },
          })
        }
        return next(args)
      },
      { step: 'initialize' },
    )
    const summary = await copyAll({
      source: { bucket: t.env.bucket, key: `${t.prefix}src/`, client: source },
      dest: { bucket: t.env.destBucket, key: `${t.prefix}again/`, client: t.dest },
    })
    expect(summary).toMatchObject({ copied: 3, skipped: 0, failed: 1 })
    expect(summary.errors).toEqual([
      {
        key: `${t.prefix}src/one.bin`,
        code: 'ERR_ACCESS_DENIED',
        message: `GetObject on s3://${t.env.bucket}/${t.prefix}src/one.bin was denied with the source credentials: AccessDenied (HTTP 403)`,
      },
    ])
  })

  it('copies without skipping when the destination may not be listed', async () => {
    const dest = s3ClientFor(t.env.dest)
    dest.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'ListObjectsV2Command') {
          throw Object.assign(new Error('UnknownError'), {
            name: 'AccessDenied',
            $metadata: { httpStatusCode: 403 },
          })
        }
        return next(args)
      },
      { step: 'initialize' },
    )
    const summary = await copyAll({
      dest: { bucket: t.env.destBucket, key: `${t.prefix}dst/`, client: dest },
    })
    expect(summary).toMatchObject({ copied: 4, skipped: 0, failed: 0, bytes: total })
  })

  it('rejects with ERR_ABORTED when the signal fires', async () => {
    const controller = new AbortController()
    controller.abort()
    await expect(copyAll({ signal: controller.signal })).rejects.toMatchObject({
      code: 'ERR_ABORTED',
      message: `The copy of s3://${t.env.bucket}/${t.prefix}src/ was aborted`,
    })
  })
})
