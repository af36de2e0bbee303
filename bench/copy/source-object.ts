import { createHash, randomFillSync } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { open, readFile, stat, writeFile } from 'node:fs/promises'
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import type { S3Client } from '@aws-sdk/client-s3'

const MiB = 1024 ** 2
const CHUNK = 8 * MiB

/** The local copy of the source object and the checksums a correct copy must have. */
export interface SourceFile {
  readonly path: string
  readonly size: number
  readonly md5: string
  /** Multipart ETag (`md5-of-md5s-N`, no quotes) per part size in MiB. */
  readonly multipartEtags: Readonly<Record<string, string>>
}

/** MD5 of the whole, and the multipart ETag for each part size (all multiples of CHUNK). */
function checksummer(size: number, partSizesMiB: readonly number[]) {
  const whole = createHash('md5')
  const parts = partSizesMiB.map((mib) => ({ mib, digests: [] as Buffer[], h: createHash('md5') }))
  let offset = 0
  return {
    update(chunk: Buffer): void {
      whole.update(chunk)
      offset += chunk.length
      for (const p of parts) {
        p.h.update(chunk)
        if (offset % (p.mib * MiB) === 0 || offset === size) {
          p.digests.push(p.h.digest())
          p.h = createHash('md5')
        }
      }
    },
    finish(): Pick<SourceFile, 'md5' | 'multipartEtags'> {
      const multipartEtags: Record<string, string> = {}
      for (const p of parts) {
        const h = createHash('md5')
        for (const d of p.digests) h.update(d)
        multipartEtags[p.mib] = `${h.digest('hex')}-${p.digests.length}`
      }
      return { md5: whole.digest('hex'), multipartEtags }
    },
  }
}

async function generate(
  path: string,
  size: number,
  partSizesMiB: readonly number[],
): Promise<SourceFile> {
  const sums = checksummer(size, partSizesMiB)
  const file = await open(path, 'w', 0o600)
  try {
    const buf = Buffer.allocUnsafe(CHUNK)
    for (let written = 0; written < size;) {
      const chunk = buf.subarray(0, Math.min(CHUNK, size - written))
      randomFillSync(chunk)
      sums.update(chunk)
      await file.write(chunk)
      written += chunk.length
    }
  } finally {
    await file.close()
  }
  return { path, size, ...sums.finish() }
}

/**
 * A random file of `size` bytes at `path`, reused (with its checksums from `path.json`) when an
 * earlier run made one of the same size and part sizes.
 */
export async function prepareSourceFile(
  path: string,
  size: number,
  partSizesMiB: readonly number[],
): Promise<SourceFile> {
  const cached = await readFile(`${path}.json`, 'utf8').then(
    (text) => JSON.parse(text) as unknown,
    () => undefined,
  )
  const onDisk = await stat(path).catch(() => undefined)
  if (isSourceFile(cached) && cached.size === size && onDisk?.size === size) {
    if (partSizesMiB.every((mib) => cached.multipartEtags[mib] !== undefined)) return cached
  }
  const made = await generate(path, size, partSizesMiB)
  await writeFile(`${path}.json`, JSON.stringify(made), { mode: 0o600 })
  return made
}

function isSourceFile(value: unknown): value is SourceFile {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  return (
    typeof v.path === 'string' &&
    typeof v.size === 'number' &&
    typeof v.md5 === 'string' &&
    typeof v.multipartEtags === 'object' &&
    v.multipartEtags !== null
  )
}

/** Uploads the file unless the bucket already holds it (same size and `bench-md5` metadata). */
export async function ensureSourceObject(
  client: S3Client,
  bucket: string,
  key: string,
  file: SourceFile,
): Promise<'reused' | 'uploaded'> {
  const head = await client
    .send(new HeadObjectCommand({ Bucket: bucket, Key: key }))
    .catch(() => undefined)
  if (head?.ContentLength === file.size && head.Metadata?.['bench-md5'] === file.md5)
    return 'reused'
  await client.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: createReadStream(file.path),
      ContentLength: file.size,
      Metadata: { 'bench-md5': file.md5 },
    }),
  )
  return 'uploaded'
}
