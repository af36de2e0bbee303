// streamPart in `crc32` mode against a local HTTP endpoint that checks what the SDK really sends:
// radosgw 16 cannot take checksum trailers (it answers 411) and ignores checksum headers, so the
// AWS side of the contract is checked here, on the bytes of the real request. The endpoint
// decodes the aws-chunked body and its `x-amz-checksum-crc32` trailer and applies S3's rule:
// a CRC32 that does not match the bytes received is refused with 400 BadDigest.
import { createHash } from 'node:crypto'
import { createServer } from 'node:http'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { crc32 } from 'node:zlib'
import { S3Client } from '@aws-sdk/client-s3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBufferPool } from './buffer-pool.js'
import { createProgressTracker, onDest, runAttempts } from './copy-context.js'
import type { CopyContext } from './copy-context.js'
import { transferClientConfig } from './create-clients.js'
import { planParts } from './plan-parts.js'
import { resolveTuning } from './resolve-copy-options.js'
import type { CopyProgress } from './resolve-copy-options.js'
import { streamPart } from './stream-part.js'
import type { StreamCheck } from './stream-part.js'
import type { RetryEvent } from './with-retry.js'

const MiB = 1024 ** 2
const SOURCE = Buffer.from(Array.from({ length: 6 * MiB }, (_, i) => (i * 7 + (i >> 12)) & 0xff))
const ETAG = `"${createHash('md5').update(SOURCE).digest('hex')}"`
const crc32Of = (b: Uint8Array): string => {
  const out = Buffer.alloc(4)
  out.writeUInt32BE(crc32(b))
  return out.toString('base64')
}

/** How the endpoint treats the next UploadPart requests, in order (then `verify`). */
type Behaviour = 'verify' | 'corrupt-in-transit' | 'ignore-checksums' | 'no-trailers'
let script: Behaviour[] = []
interface Received {
  headers: IncomingMessage['headers']
  trailer: string | undefined
  body: Buffer
}
const received: Received[] = []

/** Decodes an aws-chunked body with an unsigned trailer: `hex-size CRLF data CRLF ... 0 CRLF trailers CRLF`. */
function decodeAwsChunked(raw: Buffer): { body: Buffer; trailers: Map<string, string> } {
  const chunks: Buffer[] = []
  let at = 0
  for (;;) {
    const eol = raw.indexOf('\r\n', at)
    if (eol < 0) throw new Error('not an aws-chunked body')
    const size = Number.parseInt(raw.subarray(at, eol).toString('latin1').split(';')[0] ?? '', 16)
    at = eol + 2
    if (size === 0) break
    chunks.push(raw.subarray(at, at + size))
    at += size + 2
  }
  const trailers = new Map<string, string>()
  for (const line of raw.subarray(at).toString('latin1').split('\r\n')) {
    const i = line.indexOf(':')
    if (i > 0) trailers.set(line.slice(0, i).toLowerCase(), line.slice(i + 1).trim())
  }
  return { body: Buffer.concat(chunks), trailers }
}

function s3Error(res: ServerResponse, status: number, code: string): void {
  res.writeHead(status, { 'content-type': 'application/xml' })
  res.end(`<?xml version="1.0"?><Error><Code>${code}</Code><Message>${code}</Message></Error>`)
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const raw: Buffer[] = []
  for await (const c of req) raw.push(c as Buffer)
  const url = new URL(req.url ?? '/', 'http://x')
  if (req.method === 'GET' && url.pathname === '/src/in') {
    const [, a, b] = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '') ?? []
    const slice = SOURCE.subarray(Number(a), Number(b) + 1)
    res.writeHead(206, { etag: ETAG, 'content-length': slice.length })
    res.end(slice)
    return
  }
  if (req.method === 'PUT' && url.pathname === '/dst/out' && url.searchParams.has('partNumber')) {
    const behaviour = script.shift() ?? 'verify'
    if (behaviour === 'no-trailers') return s3Error(res, 411, 'MissingContentLength')
    const chunked = req.headers['content-encoding']?.includes('aws-chunked') === true
    const { body, trailers } = chunked
      ? decodeAwsChunked(Buffer.concat(raw))
      : { body: Buffer.concat(raw), trailers: new Map<string, string>() }
    const trailer = trailers.get('x-amz-checksum-crc32')
    received.push({ headers: req.headers, trailer, body })
    // Damage on the way: the bytes that arrive are not those the CRC32 was computed over.
    if (behaviour === 'corrupt-in-transit') body[12345] = (body[12345] ?? 0) ^ 1
    const md5 = createHash('md5').update(body).digest('hex')
    if (behaviour === 'ignore-checksums') {
      res.writeHead(200, { etag: `"${md5}"` })
      return void res.end()
    }
    if (trailer !== crc32Of(body)) return s3Error(res, 400, 'BadDigest')
    res.writeHead(200, { etag: `"${md5}"`, 'x-amz-checksum-crc32': trailer })
    return void res.end()
  }
  s3Error(res, 400, 'NotImplemented')
}

let server: Server
let endpoint: string
beforeAll(async () => {
  server = createServer((req, res) => void handle(req, res))
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((r) => server.close(() => r())))

function context(events: RetryEvent[], seen: CopyProgress[]): CopyContext {
  const client = new S3Client({
    ...transferClientConfig({ endpoint, region: 'us-east-1', forcePathStyle: true }),
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
  })
  const plan = planParts(SOURCE.length, { partSize: 5 * MiB })
  const tuning = resolveTuning({
    partSize: 5 * MiB,
    retry: { baseDelayMs: 1, maxDelayMs: 1, maxAttempts: 3 },
    onRetry: (e) => events.push(e),
  })
  return {
    source: { bucket: 'src', key: 'in', client },
    dest: { bucket: 'dst', key: 'out', client },
    tuning,
    signal: new AbortController().signal,
    pool: createBufferPool(1),
    progress: createProgressTracker('in', plan, (p) => seen.push(p)),
    sourceInfo: {
      size: SOURCE.length,
      etag: ETAG,
      lastModified: undefined,
      headers: {},
      opaqueEtag: false,
    },
    plan,
    destHeaders: {},
  }
}

async function copyPart2(check: StreamCheck, behaviours: Behaviour[]) {
  script = behaviours
  received.length = 0
  const events: RetryEvent[] = []
  const seen: CopyProgress[] = []
  const ctx = context(events, seen)
  const part = { partNumber: 2, start: 5 * MiB, length: 1 * MiB }
  const progress = ctx.progress.part()
  const result = await runAttempts(ctx, onDest(ctx, 'UploadPart', 2), () =>
    streamPart(ctx, 'upload-1', part, check, progress),
  )
  return { result, events, seen, bytes: SOURCE.subarray(5 * MiB) }
}

describe('streamPart with a CRC32 trailer', () => {
  it('sends the CRC32 of the bytes read as an aws-chunked trailer, and the part is proved by it', async () => {
    const { result, bytes } = await copyPart2('crc32', ['verify'])
    expect(received).toHaveLength(1)
    const req = received[0] as Received
    expect(req.headers['x-amz-trailer']).toBe('x-amz-checksum-crc32')
    expect(req.headers['x-amz-content-sha256']).toBe('STREAMING-UNSIGNED-PAYLOAD-TRAILER')
    expect(req.headers['x-amz-decoded-content-length']).toBe(String(bytes.length))
    expect(req.body.equals(bytes)).toBe(true)
    expect(req.trailer).toBe(crc32Of(bytes))
    expect(result).toEqual({
      etag: `"${createHash('md5').update(bytes).digest('hex')}"`,
      md5: createHash('md5').update(bytes).digest(),
      crc32: crc32Of(bytes),
      proved: true,
    })
  })

  it('sends the part again when the destination refuses its checksum (BadDigest)', async () => {
    const { result, events, seen, bytes } = await copyPart2('crc32', ['corrupt-in-transit'])
    expect(received).toHaveLength(2)
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({ operation: 'UploadPart', partNumber: 2, attempt: 1 })
    expect((events[0]?.error as { name: string }).name).toBe('BadDigest')
    expect(result.crc32).toBe(crc32Of(bytes))
    // The refused attempt's bytes were taken back: the part counts once.
    expect(seen.at(-1)?.bytes).toBe(bytes.length)
    expect(Math.max(...seen.map((p) => p.bytes))).toBe(bytes.length)
  })

  it('fails the part when every attempt is refused', async () => {
    const err = await copyPart2('crc32', [
      'corrupt-in-transit',
      'corrupt-in-transit',
      'corrupt-in-transit',
    ]).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'ERR_TRANSFER', side: 'dest' })
    expect((err as Error).message).toBe(
      'UploadPart on s3://dst/out (part 2) failed: BadDigest (HTTP 400)',
    )
  })

  it('reports the part unproved when the destination returns no checksum (it did not verify one)', async () => {
    const { result, seen } = await copyPart2('crc32', ['ignore-checksums'])
    expect(result.proved).toBe(false)
    expect(seen.at(-1)?.bytes).toBe(0)
  })

  it('reports the part unproved when the destination refuses trailers (411, as radosgw 16 does)', async () => {
    const { result } = await copyPart2('crc32', ['no-trailers'])
    expect(result.proved).toBe(false)
  })
})

describe('streamPart with an MD5', () => {
  it('sends no checksum and proves the part by its ETag', async () => {
    const { result, bytes } = await copyPart2('md5', ['ignore-checksums'])
    const req = received[0] as Received
    expect(req.headers['x-amz-trailer']).toBeUndefined()
    expect(result).toMatchObject({ md5: createHash('md5').update(bytes).digest(), proved: true })
  })
})
