import { createHash } from 'node:crypto'
import { spawn } from 'node:child_process'
import type { Readable } from 'node:stream'
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
} from '@aws-sdk/client-s3'
import type { HeadObjectCommandOutput, S3Client } from '@aws-sdk/client-s3'
import type { SourceFile } from './source-object.js'

/**
 * How a run was checked: a copy by its ETag (computed by radosgw from the bytes it got) or by
 * reading it back; a download (curl GET) by the byte count curl received.
 */
export type Verified = 'etag' | 'md5-readback' | 'download-size'

export interface Verification {
  readonly ok: boolean
  readonly how?: Verified
  readonly etag?: string
  readonly problem?: string
}

/**
 * Checks the destination object against the source file: size, then the ETag against the
 * source's MD5 or its multipart ETag for `partSizeMiB` (radosgw computes both from what it
 * received); any other ETag (another part size) falls back to reading the object back and
 * comparing MD5s, so a tool can neither win by failing nor lose by chunking differently.
 */
export async function verifyCopy(
  client: S3Client,
  bucket: string,
  key: string,
  file: SourceFile,
  partSizeMiB: number,
): Promise<Verification> {
  let head: HeadObjectCommandOutput
  try {
    head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))
  } catch (err) {
    return {
      ok: false,
      problem: `HEAD failed: ${err instanceof Error ? err.name : 'unknown error'}`,
    }
  }
  const etag = (head.ETag ?? '').replace(/"/g, '').toLowerCase()
  if (head.ContentLength !== file.size) {
    return { ok: false, etag, problem: `size ${head.ContentLength}, expected ${file.size}` }
  }
  if (etag === file.md5 || etag === file.multipartEtags[partSizeMiB])
    return { ok: true, how: 'etag', etag }
  const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
  const hash = createHash('md5')
  for await (const chunk of got.Body as Readable) hash.update(chunk as Buffer)
  const md5 = hash.digest('hex')
  return md5 === file.md5
    ? { ok: true, how: 'md5-readback', etag }
    : { ok: false, etag, problem: `md5 ${md5} read back, expected ${file.md5}` }
}

/**
 * Deletes what a run left at the destination (the object, and any open multipart upload under
 * `prefix`, counted because a leftover upload means a tool did not clean up after itself).
 */
export async function cleanDest(
  client: S3Client,
  bucket: string,
  prefix: string,
  key: string | undefined,
): Promise<{ abortedUploads: number }> {
  if (key !== undefined) await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }))
  const open = await client.send(
    new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: prefix }),
  )
  let abortedUploads = 0
  for (const u of open.Uploads ?? []) {
    await client.send(
      new AbortMultipartUploadCommand({ Bucket: bucket, Key: u.Key, UploadId: u.UploadId }),
    )
    abortedUploads++
  }
  return { abortedUploads }
}

/** Runs radosgw's garbage collection now, so deleted copies do not pile up (pitfall 15). */
export async function collectGarbage(rgwDataDir: string): Promise<void> {
  const child = spawn(
    'radosgw-admin',
    ['-c', `${rgwDataDir}/ceph.conf`, 'gc', 'process', '--include-all'],
    {
      stdio: 'ignore',
    },
  )
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject)
    child.once('close', resolve)
  })
  if (code !== 0) throw new Error(`radosgw-admin gc process exited with ${code}`)
}
