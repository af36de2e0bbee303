// copyObject against radosgw with two distinct principals: the source is read with read-only
// role credentials (as /s3credentials vends them), the destination written by another user.
import { GetObjectCommand, HeadObjectCommand, ListPartsCommand, S3Client } from '@aws-sdk/client-s3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { copyObject } from '@tea-ts/transfer'
import type { CopyObjectOptions, CopyProgress, RetryEvent } from '@tea-ts/transfer'
import { s3ClientFor } from './helpers/s3-env.js'
import { startChecksumSink } from './helpers/checksum-sink.js'
import { startTcpProxy } from './helpers/tcp-proxy.js'
import {
  MiB,
  cleanUpStack,
  countCommands,
  failure,
  md5,
  openUploads,
  pattern,
  putBytes,
  readBytes,
  sha256,
  transferStack,
} from './helpers/transfer-fixtures.js'
import type { TransferStack } from './helpers/transfer-fixtures.js'

let t: TransferStack
const noWait = { baseDelayMs: 10, maxDelayMs: 50 }
/** Multipart tests run with parts piped GET → UploadPart, and with buffered parts + Content-MD5. */
const modes = [
  ['streamed', true],
  ['buffered', false],
] as const

beforeAll(async () => {
  t = await transferStack('object')
})

afterAll(async () => {
  await cleanUpStack(t)
})

function copy(key: string, extra: Partial<CopyObjectOptions> = {}, destKey = key) {
  return copyObject({
    source: { bucket: t.env.bucket, key: t.prefix + key, client: t.source },
    dest: { bucket: t.env.destBucket, key: t.prefix + destKey, client: t.dest },
    partSize: 5 * MiB,
    retry: noWait,
    ...extra,
  })
}

/** S3's multipart ETag for `body` cut into `partSize` parts, computed independently. */
function expectedMultipartEtag(body: Buffer, partSize: number): string {
  const md5s: Buffer[] = []
  for (let i = 0; i < body.length; i += partSize) md5s.push(md5(body.subarray(i, i + partSize)))
  return `${md5(Buffer.concat(md5s)).toString('hex')}-${md5s.length}`
}

describe('copyObject on radosgw', () => {
  it.each([
    ['0 bytes', 0, 1],
    ['1 byte', 1, 1],
    ['exactly one part', 5 * MiB, 1],
  ])('copies %s with one PutObject, byte for byte', async (name, size, parts) => {
    const key = `single-${size}`
    const body = pattern(size, size + 1)
    await putBytes(t.owner, t.env.bucket, t.prefix + key, body)
    const result = await copy(key)
    expect(result).toMatchObject({
      bytes: size,
      parts,
      etag: md5(body).toString('hex'),
      verifiedBy: 'etag',
    })
    expect(result).not.toHaveProperty('uploadId')
    expect(sha256(await readBytes(t.dest, t.env.destBucket, t.prefix + key))).toBe(sha256(body))
    const head = await t.dest.send(
      new HeadObjectCommand({ Bucket: t.env.destBucket, Key: t.prefix + key }),
    )
    expect(head.ContentType).toBe('application/x-test')
    expect(head.Metadata).toEqual({ 'tea-source-etag': md5(body).toString('hex') })
    expect(name).toBeTruthy()
  })

  it.each(modes)(
    'copies several parts plus a remainder through a multipart upload, verified by ETag (%s parts)',
    async (_mode, streamParts) => {
      const size = 3 * 5 * MiB + 12_345
      const body = pattern(size, 42)
      const progress: CopyProgress[] = []
      const key = `multi-${streamParts}`
      await putBytes(t.owner, t.env.bucket, t.prefix + key, body)
      const result = await copy(key, {
        concurrency: 2,
        streamParts,
        onProgress: (p) => progress.push(p),
      })
      expect(result).toMatchObject({
        bytes: size,
        parts: 4,
        etag: expectedMultipartEtag(body, 5 * MiB),
        verifiedBy: 'etag',
        uploadId: expect.any(String),
      })
      expect(result).not.toHaveProperty('resumed')
      expect(sha256(await readBytes(t.dest, t.env.destBucket, t.prefix + key))).toBe(sha256(body))
      expect(progress.at(-1)).toEqual({
        key: t.prefix + key,
        bytes: size,
        totalBytes: size,
        partsDone: 4,
        parts: 4,
      })
      expect(await openUploads(t.dest, t.env.destBucket, t.prefix + key)).toEqual([])
    },
  )

  it('fails with ERR_SOURCE_NOT_FOUND for a missing source', async () => {
    const err = await failure(copy('does-not-exist'))
    expect(err).toMatchObject({
      code: 'ERR_SOURCE_NOT_FOUND',
      side: 'source',
      message: `s3://${t.env.bucket}/${t.prefix}does-not-exist does not exist`,
    })
  })

  it('fails with ERR_ACCESS_DENIED when the destination refuses the credentials', async () => {
    const body = pattern(11 * MiB, 3)
    await putBytes(t.owner, t.env.bucket, t.prefix + 'denied', body)
    // The read-only role may not write anywhere.
    const err = await failure(
      copyObject({
        source: { bucket: t.env.bucket, key: t.prefix + 'denied', client: t.source },
        dest: { bucket: t.env.destBucket, key: t.prefix + 'denied', client: t.source },
        partSize: 5 * MiB,
        retry: noWait,
      }),
    )
    expect(err).toMatchObject({
      code: 'ERR_ACCESS_DENIED',
      side: 'dest',
      message: `ListMultipartUploads on s3://${t.env.destBucket}/${t.prefix}denied was denied with the destination credentials: AccessDenied (HTTP 403)`,
    })
  })

  it.each(modes)(
    'retries a part whose connection drops mid-body and completes (%s parts)',
    async (_mode, streamParts) => {
      const size = 4 * 5 * MiB
      const body = pattern(size, 5)
      const key = t.prefix + `dropped-${streamParts}`
      await putBytes(t.owner, t.env.bucket, key, body)
      // Connection 1 carries HeadObject, then part 1's GET: cut it 2 MiB into that body.
      const proxy = await startTcpProxy(t.env.endpoint, [{ connection: 1, afterBytes: 2 * MiB }])
      try {
        const retries: RetryEvent[] = []
        const result = await copyObject({
          source: { bucket: t.env.bucket, key, client: s3ClientFor(t.sourceCreds, proxy.url) },
          dest: { bucket: t.env.destBucket, key, client: t.dest },
          partSize: 5 * MiB,
          concurrency: 1,
          streamParts,
          retry: noWait,
          onRetry: (e) => retries.push(e),
        })
        expect(proxy.cuts()).toBe(1)
        expect(retries.map((r) => [r.operation, r.partNumber, r.attempt])).toEqual([
          ['GetObject', 1, 1],
        ])
        expect(result).toMatchObject({ bytes: size, parts: 4, verifiedBy: 'etag' })
        expect(sha256(await readBytes(t.dest, t.env.destBucket, key))).toBe(sha256(body))
      } finally {
        await proxy.close()
      }
    },
  )

  it('fails with ERR_SOURCE_CHANGED and aborts the upload when the source is replaced mid-copy', async () => {
    const key = t.prefix + 'changing'
    await putBytes(t.owner, t.env.bucket, key, pattern(4 * 5 * MiB, 8))
    // A source client that overwrites the object just before its second part is read.
    const source = s3ClientFor(t.sourceCreds)
    let gets = 0
    source.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'GetObjectCommand' && ++gets === 2) {
          await putBytes(t.owner, t.env.bucket, key, pattern(4 * 5 * MiB, 9))
        }
        return next(args)
      },
      { step: 'initialize' },
    )
    const err = await failure(
      copyObject({
        source: { bucket: t.env.bucket, key, client: source },
        dest: { bucket: t.env.destBucket, key, client: t.dest },
        partSize: 5 * MiB,
        concurrency: 1,
        retry: noWait,
      }),
    )
    expect(err).toMatchObject({
      code: 'ERR_SOURCE_CHANGED',
      side: 'source',
      message: `s3://${t.env.bucket}/${key} changed while it was being copied (its ETag no longer matches); the copy was abandoned`,
    })
    expect((err.cause as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(
      412,
    )
    expect(await openUploads(t.dest, t.env.destBucket, key)).toEqual([])
    const head = await failure(
      t.dest.send(new HeadObjectCommand({ Bucket: t.env.destBucket, Key: key })),
    )
    expect(head.$metadata).toMatchObject({ httpStatusCode: 404 })
  })

  it('aborts the multipart upload when the caller aborts, leaving nothing behind', async () => {
    const key = 'aborted'
    await putBytes(t.owner, t.env.bucket, t.prefix + key, pattern(5 * 5 * MiB, 10))
    const controller = new AbortController()
    const err = await failure(
      copy(key, {
        concurrency: 1,
        signal: controller.signal,
        onProgress: (p) => p.partsDone === 2 && controller.abort(),
      }),
    )
    expect(err).toMatchObject({
      name: 'TransferAbortedError',
      code: 'ERR_ABORTED',
      message: `The copy of s3://${t.env.bucket}/${t.prefix}${key} was aborted`,
    })
    expect(await openUploads(t.dest, t.env.destBucket, t.prefix + key)).toEqual([])
  })
})

describe('copyObject failure handling on radosgw', () => {
  /** A destination client whose responses to `command` are altered by `change`. */
  function tamperedDest(command: string, change: (output: Record<string, unknown>) => void) {
    const client = s3ClientFor(t.env.dest)
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args)
        if (context.commandName === command)
          change(result.output as unknown as Record<string, unknown>)
        return result
      },
      { step: 'initialize', name: 'tamper' },
    )
    return client
  }

  it.each(modes)(
    'retries an UploadPart that fails with a 5xx (%s parts)',
    async (_mode, streamParts) => {
      const key = t.prefix + `flaky-${streamParts}`
      const body = pattern(2 * 5 * MiB + 1, 17)
      await putBytes(t.owner, t.env.bucket, key, body)
      const dest = s3ClientFor(t.env.dest)
      let uploads = 0
      dest.middlewareStack.add(
        (next, context) => async (args) => {
          if (context.commandName === 'UploadPartCommand' && ++uploads === 2) {
            throw Object.assign(new Error('UnknownError'), {
              name: 'InternalError',
              $metadata: { httpStatusCode: 500 },
            })
          }
          return next(args)
        },
        { step: 'initialize', name: 'flaky' },
      )
      const retries: RetryEvent[] = []
      const result = await copyObject({
        source: { bucket: t.env.bucket, key, client: t.source },
        dest: { bucket: t.env.destBucket, key, client: dest },
        partSize: 5 * MiB,
        concurrency: 1,
        streamParts,
        retry: noWait,
        onRetry: (e) => retries.push(e),
      })
      expect(retries.map((r) => [r.operation, r.partNumber, r.attempt])).toEqual([
        ['UploadPart', 2, 1],
      ])
      expect(uploads).toBe(4)
      expect(result).toMatchObject({ parts: 3, etag: expectedMultipartEtag(body, 5 * MiB) })
    },
  )

  /** Records, per UploadPart sent by `client`, whether it carried Content-MD5 (buffered parts do). */
  function recordUploads(client: S3Client): boolean[] {
    const withMd5: boolean[] = []
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'UploadPartCommand') {
          const headers = (args.request as { headers: Record<string, string> }).headers
          withMd5.push('content-md5' in headers || 'Content-MD5' in headers)
        }
        return next(args)
      },
      { step: 'build', name: 'recordUploads', priority: 'low' },
    )
    return withMd5
  }

  it('switches to buffered parts with Content-MD5 when a part ETag is not an MD5', async () => {
    const key = t.prefix + 'opaque'
    const body = pattern(3 * 5 * MiB, 20)
    await putBytes(t.owner, t.env.bucket, key, body)
    let first = true
    const dest = tamperedDest('UploadPartCommand', (o) => {
      if (first) o.ETag = '"kms-style-opaque-etag"'
      first = false
    })
    const uploads = recordUploads(dest)
    const result = await copyObject({
      source: { bucket: t.env.bucket, key, client: t.source },
      dest: { bucket: t.env.destBucket, key, client: dest },
      partSize: 5 * MiB,
      concurrency: 1,
    })
    // Part 1 streamed (unprovable), then part 1 again and the rest buffered.
    expect(uploads).toEqual([false, true, true, true])
    expect(result).toMatchObject({
      parts: 3,
      etag: expectedMultipartEtag(body, 5 * MiB),
      verifiedBy: 'etag',
    })
  })

  it("with checksum: 'crc32', falls back to MD5 parts where the store refuses checksum trailers (radosgw 16: 411)", async () => {
    const key = t.prefix + 'crc32-refused'
    const body = pattern(3 * 5 * MiB + 7, 24)
    await putBytes(t.owner, t.env.bucket, key, body)
    const dest = s3ClientFor(t.env.dest)
    const trailers: boolean[] = []
    dest.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'UploadPartCommand') {
          const headers = (args.request as { headers: Record<string, string> }).headers
          trailers.push(headers['x-amz-trailer'] === 'x-amz-checksum-crc32')
        }
        return next(args)
      },
      { step: 'finalizeRequest', name: 'recordTrailers', priority: 'low' },
    )
    const result = await copyObject({
      source: { bucket: t.env.bucket, key, client: t.source },
      dest: { bucket: t.env.destBucket, key, client: dest },
      partSize: 5 * MiB,
      concurrency: 2,
      checksum: 'crc32',
    })
    // The two parts in flight tried a CRC32 trailer and were refused; then every part went by MD5.
    expect(trailers.slice(0, 2)).toEqual([true, true])
    expect(trailers.slice(2)).toEqual([false, false, false, false])
    expect(result).toMatchObject({
      parts: 4,
      etag: expectedMultipartEtag(body, 5 * MiB),
      verifiedBy: 'etag',
    })
    expect(sha256(await readBytes(t.dest, t.env.destBucket, key))).toBe(sha256(body))
  })

  it("with checksum: 'crc32', proves parts and the object by CRC32 where the store verifies them", async () => {
    const key = t.prefix + 'crc32-verified'
    const body = pattern(2 * 5 * MiB + 11, 25)
    await putBytes(t.owner, t.env.bucket, key, body)
    const sink = await startChecksumSink()
    try {
      const result = await copyObject({
        source: { bucket: t.env.bucket, key, client: t.source },
        dest: { bucket: 'sink', key, client: s3ClientFor(t.env.dest, sink.endpoint) },
        partSize: 5 * MiB,
        checksum: 'crc32',
      })
      expect(result).toMatchObject({
        parts: 3,
        etag: expectedMultipartEtag(body, 5 * MiB),
        verifiedBy: 'checksum',
      })
    } finally {
      await sink.close()
    }
  })

  it("with checksum: 'crc32', fails with ERR_VERIFICATION_FAILED when the object's composite CRC32 differs", async () => {
    const key = t.prefix + 'crc32-composite'
    const body = pattern(2 * 5 * MiB + 11, 26)
    await putBytes(t.owner, t.env.bucket, key, body)
    const sink = await startChecksumSink({ damage: 'composite-crc32' })
    try {
      const dest = s3ClientFor(t.env.dest, sink.endpoint)
      const err = await failure(
        copyObject({
          source: { bucket: t.env.bucket, key, client: t.source },
          dest: { bucket: 'sink', key, client: dest },
          partSize: 5 * MiB,
          checksum: 'crc32',
        }),
      )
      expect(err).toMatchObject({ code: 'ERR_VERIFICATION_FAILED', side: 'dest' })
      expect(err.message).toMatch(/CRC32 .*-3, expected .*-3\); it was deleted$/)
      const head = await failure(dest.send(new HeadObjectCommand({ Bucket: 'sink', Key: key })))
      expect(head.$metadata).toMatchObject({ httpStatusCode: 404 })
    } finally {
      await sink.close()
    }
  })

  it('buffers parts when the destination client computes checksums (radosgw would answer 411)', async () => {
    const key = t.prefix + 'when-supported'
    const body = pattern(2 * 5 * MiB + 3, 23)
    await putBytes(t.owner, t.env.bucket, key, body)
    const dest = new S3Client({
      endpoint: t.env.endpoint,
      region: t.env.region,
      forcePathStyle: true,
      credentials: t.env.dest,
      requestChecksumCalculation: 'WHEN_SUPPORTED',
    })
    const uploads = recordUploads(dest)
    const result = await copyObject({
      source: { bucket: t.env.bucket, key, client: t.source },
      dest: { bucket: t.env.destBucket, key, client: dest },
      partSize: 5 * MiB,
    })
    expect(uploads).toEqual([true, true, true])
    expect(result).toMatchObject({ parts: 3, etag: expectedMultipartEtag(body, 5 * MiB) })
  })

  it.each(modes)(
    'fails with ERR_VERIFICATION_FAILED and aborts when a part ETag is not the MD5 sent (%s parts)',
    async (_mode, streamParts) => {
      const key = t.prefix + `bad-part-${streamParts}`
      await putBytes(t.owner, t.env.bucket, key, pattern(2 * 5 * MiB + 1, 18))
      const dest = tamperedDest('UploadPartCommand', (o) => {
        o.ETag = '"00000000000000000000000000000000"'
      })
      const err = await failure(
        copyObject({
          source: { bucket: t.env.bucket, key, client: t.source },
          dest: { bucket: t.env.destBucket, key, client: dest },
          partSize: 5 * MiB,
          concurrency: 1,
          streamParts,
          retry: noWait,
        }),
      )
      expect(err).toMatchObject({ code: 'ERR_VERIFICATION_FAILED', side: 'dest' })
      expect(err.message).toMatch(
        new RegExp(
          `^UploadPart 1 on s3://${t.env.destBucket}/${key}: the destination reports MD5 0{32} but [0-9a-f]{32} was sent$`,
        ),
      )
      expect(await openUploads(t.dest, t.env.destBucket, key)).toEqual([])
    },
  )

  it('deletes the object and fails with ERR_VERIFICATION_FAILED when the final ETag differs', async () => {
    const key = t.prefix + 'bad-final'
    const body = pattern(2 * 5 * MiB + 1, 19)
    await putBytes(t.owner, t.env.bucket, key, body)
    const dest = tamperedDest('HeadObjectCommand', (o) => {
      o.ETag = '"ffffffffffffffffffffffffffffffff-3"'
    })
    const err = await failure(
      copyObject({
        source: { bucket: t.env.bucket, key, client: t.source },
        dest: { bucket: t.env.destBucket, key, client: dest },
        partSize: 5 * MiB,
        retry: noWait,
      }),
    )
    expect(err).toMatchObject({
      code: 'ERR_VERIFICATION_FAILED',
      message: `s3://${t.env.destBucket}/${key} did not match what was sent (ETag ffffffffffffffffffffffffffffffff-3, expected ${expectedMultipartEtag(body, 5 * MiB)}); it was deleted`,
    })
    const head = await failure(
      t.dest.send(new HeadObjectCommand({ Bucket: t.env.destBucket, Key: key })),
    )
    expect(head.$metadata).toMatchObject({ httpStatusCode: 404 })
  })
})

describe('resume', () => {
  const size = 6 * 5 * MiB + 777
  const parts = 7

  /** Runs a copy that "crashes" (aborts, leaving its parts) once `after` parts are done. */
  async function crashAfter(key: string, after: number, destKey = key) {
    const controller = new AbortController()
    const err = await failure(
      copy(
        key,
        {
          concurrency: 1,
          leavePartsOnError: true,
          signal: controller.signal,
          onProgress: (p) => p.partsDone === after && controller.abort(),
        },
        destKey,
      ),
    )
    expect(err).toMatchObject({ code: 'ERR_ABORTED' })
  }

  function destWithCounter(): { client: S3Client; counts: Map<string, number> } {
    const client = s3ClientFor(t.env.dest)
    return { client, counts: countCommands(client) }
  }

  it.each(modes)(
    'continues a crashed copy, sending only the missing parts, and leaves no upload (%s parts)',
    async (_mode, streamParts) => {
      const key = `resumable-${streamParts}`
      const body = pattern(size, 11)
      await putBytes(t.owner, t.env.bucket, t.prefix + key, body)
      await crashAfter(key, 3)
      const [open] = await openUploads(t.dest, t.env.destBucket, t.prefix + key)
      const listed = await t.dest.send(
        new ListPartsCommand({
          Bucket: t.env.destBucket,
          Key: open!.Key,
          UploadId: open!.UploadId,
        }),
      )
      expect(listed.Parts?.map((p) => p.PartNumber)).toEqual([1, 2, 3])

      const { client, counts } = destWithCounter()
      const result = await copyObject({
        source: { bucket: t.env.bucket, key: t.prefix + key, client: t.source },
        dest: { bucket: t.env.destBucket, key: t.prefix + key, client },
        partSize: 5 * MiB,
        streamParts,
      })
      expect(result).toMatchObject({
        bytes: size,
        parts,
        uploadId: open!.UploadId,
        resumed: { parts: 3, bytes: 3 * 5 * MiB },
        etag: expectedMultipartEtag(body, 5 * MiB),
        verifiedBy: 'etag',
      })
      expect(counts.get('UploadPartCommand')).toBe(parts - 3)
      expect(counts.get('CreateMultipartUploadCommand')).toBeUndefined()
      expect(sha256(await readBytes(t.dest, t.env.destBucket, t.prefix + key))).toBe(sha256(body))
      expect(await openUploads(t.dest, t.env.destBucket, t.prefix + key)).toEqual([])
    },
  )

  it('aborts an upload left for an older version of the source and starts over', async () => {
    const key = 'stale'
    await putBytes(t.owner, t.env.bucket, t.prefix + key, pattern(size, 12))
    await crashAfter(key, 2)
    const [stale] = await openUploads(t.dest, t.env.destBucket, t.prefix + key)
    // RGW's timestamps have 1 s resolution: make sure the new version is visibly newer.
    await new Promise((r) => setTimeout(r, 1100))
    const body = pattern(size, 13)
    await putBytes(t.owner, t.env.bucket, t.prefix + key, body)

    const { client, counts } = destWithCounter()
    const result = await copyObject({
      source: { bucket: t.env.bucket, key: t.prefix + key, client: t.source },
      dest: { bucket: t.env.destBucket, key: t.prefix + key, client },
      partSize: 5 * MiB,
    })
    expect(result.uploadId).not.toBe(stale!.UploadId)
    expect(result).not.toHaveProperty('resumed')
    expect(counts.get('AbortMultipartUploadCommand')).toBe(1)
    expect(counts.get('UploadPartCommand')).toBe(parts)
    expect(sha256(await readBytes(t.dest, t.env.destBucket, t.prefix + key))).toBe(sha256(body))
    expect(await openUploads(t.dest, t.env.destBucket, t.prefix + key)).toEqual([])
  })

  it('does not resume an upload holding another object of the same size', async () => {
    // B exists first; A is copied to the shared key and crashes; then B goes to that key.
    const body = pattern(size, 14)
    await putBytes(t.owner, t.env.bucket, t.prefix + 'other-b', body)
    await putBytes(t.owner, t.env.bucket, t.prefix + 'other-a', pattern(size, 15))
    await crashAfter('other-a', 2, 'shared')

    const { client, counts } = destWithCounter()
    const result = await copyObject({
      source: { bucket: t.env.bucket, key: t.prefix + 'other-b', client: t.source },
      dest: { bucket: t.env.destBucket, key: t.prefix + 'shared', client },
      partSize: 5 * MiB,
    })
    expect(result).not.toHaveProperty('resumed')
    expect(counts.get('AbortMultipartUploadCommand')).toBe(1)
    expect(counts.get('UploadPartCommand')).toBe(parts)
    expect(sha256(await readBytes(t.dest, t.env.destBucket, t.prefix + 'shared'))).toBe(
      sha256(body),
    )
    expect(await openUploads(t.dest, t.env.destBucket, t.prefix + 'shared')).toEqual([])
  })

  it('with resume: false, ignores an open upload', async () => {
    const key = 'no-resume'
    await putBytes(t.owner, t.env.bucket, t.prefix + key, pattern(size, 16))
    await crashAfter(key, 2)
    const result = await copy(key, { resume: false })
    expect(result).not.toHaveProperty('resumed')
    const left = await openUploads(t.dest, t.env.destBucket, t.prefix + key)
    expect(left).toHaveLength(1)
    expect(left[0]!.UploadId).not.toBe(result.uploadId)
    const out = await t.dest.send(
      new GetObjectCommand({ Bucket: t.env.destBucket, Key: t.prefix + key }),
    )
    expect(out.ContentLength).toBe(size)
    await out.Body?.transformToByteArray()
  })
})
