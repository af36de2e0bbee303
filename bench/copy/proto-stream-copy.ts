/**
 * Prototype for bench/copy's findings (not the product): a multipart copy whose parts are
 * *streamed*, each ranged GET piped straight into its UploadPart (Content-Length known, MD5
 * computed on the way and checked against the part ETag radosgw returns), instead of read
 * whole into a part-sized buffer first. Same inputs as tea-lib-copy.ts (BENCH_* env), plus
 * BENCH_MODE=stream|buffer to compare both shapes with everything else equal. No retries.
 *
 *   node --conditions=@tea-ts/source --import tsx bench/copy/proto-stream-copy.ts
 */
import { createHash } from 'node:crypto'
import { PassThrough } from 'node:stream'
import type { Readable } from 'node:stream'
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3'
import type { BuildMiddleware } from '@smithy/types'

function need(name: string): string {
  const value = process.env[name]
  if (!value) throw new Error(`${name} is not set`)
  return value
}

function client(prefix: 'SRC' | 'DST'): S3Client {
  const sessionToken = process.env[`BENCH_${prefix}_SESSION_TOKEN`]
  return new S3Client({
    endpoint: need('BENCH_ENDPOINT'),
    region: 'us-east-1',
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    credentials: {
      accessKeyId: need(`BENCH_${prefix}_ACCESS_KEY_ID`),
      secretAccessKey: need(`BENCH_${prefix}_SECRET_ACCESS_KEY`),
      ...(sessionToken ? { sessionToken } : {}),
    },
  })
}

// As tea does: no SigV4 SHA-256 pass over the bodies (both modes), the MD5 checks integrity.
const unsigned =
  <I extends object, O extends object>(): BuildMiddleware<I, O> =>
  (next) =>
  async (args) => {
    const request = args.request as { headers?: Record<string, string> }
    if (request.headers) request.headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD'
    return next(args)
  }
const src = { client: client('SRC'), Bucket: need('BENCH_SRC_BUCKET'), Key: need('BENCH_SRC_KEY') }
const dst = { client: client('DST'), Bucket: need('BENCH_DST_BUCKET'), Key: need('BENCH_DST_KEY') }
const partSize = Number(need('BENCH_PART_SIZE'))
const concurrency = Number(need('BENCH_CONCURRENCY'))
const mode = process.env.BENCH_MODE ?? 'stream'
const started = performance.now()

const head = await src.client.send(new HeadObjectCommand({ Bucket: src.Bucket, Key: src.Key }))
const size = head.ContentLength ?? 0
const parts = Math.ceil(size / partSize)
const { UploadId } = await dst.client.send(
  new CreateMultipartUploadCommand({ Bucket: dst.Bucket, Key: dst.Key }),
)

async function body(
  part: number,
): Promise<{ body: Readable | Buffer; length: number; md5: () => string }> {
  const start = (part - 1) * partSize
  const length = Math.min(partSize, size - start)
  const got = await src.client.send(
    new GetObjectCommand({
      Bucket: src.Bucket,
      Key: src.Key,
      IfMatch: head.ETag,
      Range: `bytes=${start}-${start + length - 1}`,
    }),
  )
  const hash = createHash('md5')
  if (mode === 'buffer') {
    const buf = Buffer.allocUnsafe(length)
    let offset = 0
    for await (const chunk of got.Body as Readable) {
      buf.set(chunk as Buffer, offset)
      offset += (chunk as Buffer).length
    }
    const digest = hash.update(buf).digest('hex')
    return { body: buf, length, md5: () => digest }
  }
  const through = new PassThrough({ highWaterMark: 1024 * 1024 })
  ;(got.Body as Readable).on('data', (chunk: Buffer) => hash.update(chunk)).pipe(through)
  return { body: through, length, md5: () => hash.digest('hex') }
}

const etags: string[] = []
let next = 1
async function worker(): Promise<void> {
  for (let part = next++; part <= parts; part = next++) {
    const b = await body(part)
    const command = new UploadPartCommand({
      Bucket: dst.Bucket,
      Key: dst.Key,
      UploadId,
      PartNumber: part,
      Body: b.body,
      ContentLength: b.length,
    })
    command.middlewareStack.add(unsigned(), { step: 'build', name: 'unsignedPayload' })
    const out = await dst.client.send(command)
    const etag = (out.ETag ?? '').replace(/"/g, '')
    if (etag !== b.md5())
      throw new Error(`part ${part}: ETag ${etag} is not the MD5 of what was read`)
    etags[part - 1] = etag
  }
}
await Promise.all(Array.from({ length: Math.min(concurrency, parts) }, worker))
await dst.client.send(
  new CompleteMultipartUploadCommand({
    Bucket: dst.Bucket,
    Key: dst.Key,
    UploadId,
    MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
  }),
)
const seconds = (performance.now() - started) / 1000
process.stdout.write(`${JSON.stringify({ mode, bytes: size, parts, seconds })}\n`)
