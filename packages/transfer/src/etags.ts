import { createHash } from 'node:crypto'
import { crc32 } from 'node:zlib'

/** An ETag without its quotes, lower-cased: `"AbC"` → `abc`. */
export function normalizeEtag(etag: string | undefined): string | undefined {
  if (etag === undefined) return undefined
  return etag.replace(/^W\//, '').replace(/^"|"$/g, '').toLowerCase()
}

/** The MD5 an ETag stands for, when it is a plain (single-part, non-KMS) MD5 ETag. */
export function etagMd5(etag: string | undefined): Buffer | undefined {
  const e = normalizeEtag(etag)
  return e !== undefined && /^[0-9a-f]{32}$/.test(e) ? Buffer.from(e, 'hex') : undefined
}

/** MD5 of `bytes`. */
export function md5(bytes: Uint8Array): Buffer {
  return createHash('md5').update(bytes).digest()
}

/**
 * The ETag S3 gives a multipart object: the MD5 of the concatenated binary part MD5s, a dash,
 * and the part count (for uploads without SSE-KMS or SSE-C). Returned normalized, without quotes.
 *
 * @example
 * ```ts
 * multipartEtag([md5(part1), md5(part2)]) // '5895de37095ee661cbe42f795ecbd04c-2'
 * ```
 */
export function multipartEtag(partMd5s: readonly Uint8Array[]): string {
  const h = createHash('md5')
  for (const m of partMd5s) h.update(m)
  return `${h.digest('hex')}-${partMd5s.length}`
}

/**
 * The composite CRC32 S3 gives a multipart object uploaded with CRC32 checksums: the CRC32 of the
 * concatenated big-endian part CRC32s, base64, a dash, and the part count.
 *
 * @example
 * ```ts
 * compositeCrc32(['AAAAAA==', 'AAAAAA==']) // 'ZSLfaQ==-2'
 * ```
 */
export function compositeCrc32(partCrc32s: readonly string[]): string {
  const joined = Buffer.concat(partCrc32s.map((c) => Buffer.from(c, 'base64')))
  const sum = Buffer.alloc(4)
  sum.writeUInt32BE(crc32(joined))
  return `${sum.toString('base64')}-${partCrc32s.length}`
}
