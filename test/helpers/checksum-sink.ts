/**
 * A write-only S3 endpoint that verifies CRC32 trailers as S3 does, for what radosgw 16 cannot
 * show (it refuses trailers): the copy's CRC32 path in tests, and the client's CPU per integrity
 * method in bench/copy/checksum-cpu.ts. It speaks what a multipart copy needs (ListMultipartUploads,
 * CreateMultipartUpload, UploadPart, CompleteMultipartUpload, HeadObject, DeleteObject), keeps no bytes, and verifies as S3 does:
 * an aws-chunked part's `x-amz-checksum-crc32` trailer against the bytes received (400
 * BadDigest otherwise), and it returns each part's MD5 ETag, so the `md5` method can check it.
 * Its own CPU is spent in the benchmark's process, not the measured one. `options.damage`
 * alters what it reports for the finished object's checksum (as if it had assembled other
 * parts), for tests of the final check.
 */
import { createHash } from 'node:crypto'
import { createServer } from 'node:http'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { crc32 } from 'node:zlib'

interface Part {
  readonly size: number
  readonly md5: Buffer
  readonly crc32: Buffer | undefined
}

const b64 = (n: number): string => {
  const b = Buffer.alloc(4)
  b.writeUInt32BE(n)
  return b.toString('base64')
}

/** Reads a part body (plain, or aws-chunked with trailers), hashing as it arrives. */
async function readPart(req: IncomingMessage): Promise<Part & { trailer: string | undefined }> {
  const md5 = createHash('md5')
  let crc = 0
  let size = 0
  const take = (data: Buffer): void => {
    md5.update(data)
    crc = crc32(data, crc)
    size += data.length
  }
  if (!(req.headers['content-encoding'] ?? '').includes('aws-chunked')) {
    for await (const piece of req) take(piece as Buffer)
    return { size, md5: md5.digest(), crc32: undefined, trailer: undefined }
  }
  let line = Buffer.alloc(0)
  let remaining = 0
  let state: 'header' | 'data' | 'data-end' | 'trailer' = 'header'
  let trailer: string | undefined
  for await (const piece of req) {
    let p = piece as Buffer
    while (p.length > 0) {
      if (state === 'data') {
        const n = Math.min(remaining, p.length)
        take(p.subarray(0, n))
        remaining -= n
        p = p.subarray(n)
        if (remaining === 0) state = 'data-end'
        continue
      }
      line = Buffer.concat([line, p])
      p = Buffer.alloc(0)
      for (let eol = line.indexOf('\r\n'); eol >= 0; eol = line.indexOf('\r\n')) {
        const text = line.subarray(0, eol).toString('latin1')
        line = line.subarray(eol + 2)
        if (state === 'data-end') {
          state = 'header'
        } else if (state === 'header') {
          remaining = Number.parseInt(text.split(';')[0] ?? '', 16)
          if (remaining > 0) {
            state = 'data'
            p = line
            line = Buffer.alloc(0)
            break
          }
          state = 'trailer'
        } else if (text.toLowerCase().startsWith('x-amz-checksum-crc32:')) {
          trailer = text.slice(text.indexOf(':') + 1).trim()
        }
      }
    }
  }
  return { size, md5: md5.digest(), crc32: Buffer.from(b64(crc), 'base64'), trailer }
}

function xml(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/xml' })
  res.end(`<?xml version="1.0" encoding="UTF-8"?>${body}`)
}

/** Starts the sink on a loopback port; `close` stops it. */
export async function startChecksumSink(
  options: { readonly damage?: 'composite-crc32' } = {},
): Promise<{ endpoint: string; close(): Promise<void> }> {
  const uploads = new Map<string, Map<number, Part>>()
  const objects = new Map<string, { size: number; etag: string; crc32: string | undefined }>()
  let next = 0
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://sink')
    const key = decodeURIComponent(url.pathname)
    const uploadId = url.searchParams.get('uploadId')
    if (req.method === 'GET' && url.searchParams.has('uploads')) {
      // No upload is ever left open here, so there is nothing to resume.
      return xml(
        res,
        200,
        '<ListMultipartUploadsResult><IsTruncated>false</IsTruncated></ListMultipartUploadsResult>',
      )
    }
    if (req.method === 'POST' && url.searchParams.has('uploads')) {
      const id = `u${++next}`
      uploads.set(id, new Map())
      return xml(
        res,
        200,
        `<InitiateMultipartUploadResult><UploadId>${id}</UploadId></InitiateMultipartUploadResult>`,
      )
    }
    if (req.method === 'PUT' && uploadId !== null) {
      const part = await readPart(req)
      if (part.trailer !== undefined && part.trailer !== part.crc32?.toString('base64')) {
        return xml(
          res,
          400,
          '<Error><Code>BadDigest</Code><Message>CRC32 mismatch</Message></Error>',
        )
      }
      uploads.get(uploadId)?.set(Number(url.searchParams.get('partNumber')), part)
      const headers: Record<string, string> = { etag: `"${part.md5.toString('hex')}"` }
      if (part.trailer !== undefined) headers['x-amz-checksum-crc32'] = part.trailer
      res.writeHead(200, headers)
      return void res.end()
    }
    if (req.method === 'POST' && uploadId !== null) {
      for await (const _ of req) void _
      const parts = [...(uploads.get(uploadId) ?? new Map<number, Part>())].sort(
        (a, b) => a[0] - b[0],
      )
      uploads.delete(uploadId)
      const md5 = createHash('md5')
      for (const [, p] of parts) md5.update(p.md5)
      const crcs = parts.map(([, p]) => p.crc32)
      // Parts sent without a checksum (MD5 copies) leave the object without a composite.
      const composite = crcs.every((c): c is Buffer => c !== undefined)
        ? `${b64((crc32(Buffer.concat(crcs)) ^ (options.damage ? 1 : 0)) >>> 0)}-${parts.length}`
        : undefined
      const etag = `${md5.digest('hex')}-${parts.length}`
      const size = parts.reduce((n, [, p]) => n + p.size, 0)
      objects.set(key, { size, etag, crc32: composite })
      return xml(
        res,
        200,
        `<CompleteMultipartUploadResult><ETag>"${etag}"</ETag></CompleteMultipartUploadResult>`,
      )
    }
    if (req.method === 'DELETE') {
      objects.delete(key)
      res.writeHead(204)
      return void res.end()
    }
    if (req.method === 'HEAD') {
      const o = objects.get(key)
      if (o === undefined) {
        res.writeHead(404)
        return void res.end()
      }
      const headers: Record<string, string | number> = {
        'content-length': o.size,
        etag: `"${o.etag}"`,
      }
      if (req.headers['x-amz-checksum-mode'] === 'ENABLED' && o.crc32 !== undefined) {
        headers['x-amz-checksum-crc32'] = o.crc32
      }
      res.writeHead(200, headers)
      return void res.end()
    }
    for await (const _ of req) void _
    xml(res, 501, '<Error><Code>NotImplemented</Code><Message>not in the sink</Message></Error>')
  }
  const server: Server = createServer((req, res) => void handle(req, res))
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  }
}
