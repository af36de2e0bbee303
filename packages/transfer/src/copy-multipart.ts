import { checkWriteEtag } from './check-write-etag.js'
import { httpStatusOf } from './classify-error.js'
import type { CopyContext, PartProgress } from './copy-context.js'
import { onDest, runAttempts, runStep } from './copy-context.js'
import { copyParts } from './copy-parts.js'
import type { DonePart, SendPart } from './copy-parts.js'
import { compositeCrc32, etagMd5, multipartEtag } from './etags.js'
import { findResumableUpload } from './find-resumable-upload.js'
import { methodLadder, partMethods } from './part-methods.js'
import { pendingParts } from './pending-parts.js'
import type { PartRange } from './plan-parts.js'
import { readPart } from './read-part.js'
import { streamPart } from './stream-part.js'
import { abortUpload, completeUpload, createUpload, uploadPart } from './s3-multipart-ops.js'
import type { UploadedPart } from './s3-multipart-ops.js'

export interface MultipartOutcome {
  readonly uploadId: string
  /** The ETag the destination must show, unless a part's ETag was not an MD5. */
  readonly expectedEtag: string | undefined
  /** The composite CRC32 (`base64-N`) it must show, when every part was sent with a CRC32. */
  readonly expectedCrc32: string | undefined
  readonly resumed: { readonly parts: number; readonly bytes: number } | undefined
}

async function sendBuffered(
  ctx: CopyContext,
  uploadId: string,
  part: PartRange,
  progress: PartProgress,
): Promise<DonePart> {
  const { body, md5 } = await readPart(ctx, part, false, progress)
  try {
    const { client, bucket, key } = ctx.dest
    const { partNumber } = part
    const input = { bucket, key, uploadId, partNumber, body, length: body.length, md5 }
    const where = `UploadPart ${partNumber} on s3://${bucket}/${key}`
    return await runStep(ctx, onDest(ctx, 'UploadPart', partNumber), async () => {
      const r = await uploadPart(client, input, ctx.signal)
      const proved = checkWriteEtag(r, md5, where)
      const etag = r.etag ?? `"${md5.toString('hex')}"`
      return { etag, md5: proved ? md5 : undefined, crc32: undefined }
    })
  } finally {
    ctx.pool.release(body)
  }
}

/** The real {@link SendPart}: S3 calls on both sides. */
function sendPart(ctx: CopyContext, uploadId: string): SendPart {
  return async (part, method, progress) => {
    if (method === 'buffered-md5') return sendBuffered(ctx, uploadId, part, progress)
    const check = method === 'stream-crc32' ? 'crc32' : 'md5'
    const step = onDest(ctx, 'UploadPart', part.partNumber)
    const r = await runAttempts(ctx, step, () => streamPart(ctx, uploadId, part, check, progress))
    return r.proved ? { etag: r.etag, md5: r.md5, crc32: r.crc32 } : undefined
  }
}

/** `checksum: 'auto'` means CRC32 on AWS S3, which verifies it, and MD5 on other stores. */
function usesCrc32(ctx: CopyContext): boolean {
  if (ctx.tuning.checksum !== 'auto') return ctx.tuning.checksum === 'crc32'
  return (ctx.dest.client.config as { isCustomEndpoint?: boolean }).isCustomEndpoint !== true
}

/** Whether the destination client leaves request checksums to us (else it would add a trailer). */
async function addsNoChecksums(ctx: CopyContext): Promise<boolean> {
  const setting = (ctx.dest.client.config as { requestChecksumCalculation?: () => Promise<string> })
    .requestChecksumCalculation
  return (await setting?.()) === 'WHEN_REQUIRED'
}

async function complete(ctx: CopyContext, uploadId: string, parts: UploadedPart[]): Promise<void> {
  const { client, bucket, key } = ctx.dest
  await runStep(ctx, onDest(ctx, 'CompleteMultipartUpload'), async (attempt) => {
    try {
      await completeUpload(client, { bucket, key, uploadId, parts }, ctx.signal)
    } catch (err) {
      // A retried Complete whose first attempt did succeed finds the upload gone; the
      // verification that follows tells whether the object is really there.
      if (attempt > 1 && httpStatusOf(err) === 404) return
      throw err
    }
  })
}

/** Best effort: the copy has already failed, and that error is the one to report. */
async function abortQuietly(ctx: CopyContext, uploadId: string): Promise<void> {
  const { client, bucket, key } = ctx.dest
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await abortUpload(client, { bucket, key, uploadId }, AbortSignal.timeout(30_000))
      return
    } catch (err) {
      if (httpStatusOf(err) === 404) return
    }
  }
}

/**
 * Copies a multipart plan: resumes a matching open upload (or creates one), lets
 * `concurrency` workers copy the missing parts (each ranged GET piped into its UploadPart and
 * proved by a CRC32 the destination checks or by its MD5 ETag, or buffered and sent with
 * Content-MD5: see {@link partMethods}), then completes the upload. On any failure or abort the
 * upload is aborted unless `leavePartsOnError`, so nothing half-written is left.
 */
export async function copyMultipart(
  ctx: CopyContext,
  stop: AbortController,
): Promise<MultipartOutcome> {
  const { client, bucket, key } = ctx.dest
  const crc32 = usesCrc32(ctx)
  const found = ctx.tuning.resume ? await findResumableUpload(ctx, crc32) : undefined
  const created = found
    ? { uploadId: found.uploadId, opaqueEtag: false }
    : await runStep(ctx, onDest(ctx, 'CreateMultipartUpload'), () =>
        createUpload(client, { bucket, key, headers: ctx.destHeaders, crc32 }, ctx.signal),
      )
  const { uploadId } = created
  const { streamParts } = ctx.tuning
  const ladder = methodLadder(
    partMethods({
      crc32Stream: streamParts && crc32,
      md5Stream: streamParts && !created.opaqueEtag && (await addsNoChecksums(ctx)),
    }),
  )
  const resumed = new Map<number, DonePart>()
  let resumedBytes = 0
  for (const p of found?.parts ?? []) {
    resumed.set(p.partNumber, { etag: p.etag, md5: etagMd5(p.etag), crc32: p.crc32 })
    resumedBytes += p.size
    ctx.progress.resumed(p.size)
  }
  const parts: UploadedPart[] = []
  const all = new Map(resumed)
  try {
    const workers = Math.min(ctx.tuning.concurrency, ctx.plan.partCount - resumed.size)
    const pending = pendingParts(ctx.plan, new Set(resumed.keys()))
    const send = sendPart(ctx, uploadId)
    const copied = await copyParts(ctx.progress, pending, workers, ladder, send, stop)
    for (const [n, p] of copied) all.set(n, p)
    for (let n = 1; n <= ctx.plan.partCount; n++) {
      const p = all.get(n)
      if (p === undefined) throw new Error(`internal: part ${n} was never copied`)
      parts.push({ partNumber: n, etag: p.etag, size: 0, crc32: p.crc32 })
    }
    await complete(ctx, uploadId, parts)
  } catch (err) {
    if (!ctx.tuning.leavePartsOnError) await abortQuietly(ctx, uploadId)
    throw err
  }
  const done = parts.map((p) => all.get(p.partNumber) as DonePart)
  const md5s = done.map((p) => p.md5)
  const known = md5s.filter((m): m is Buffer => m !== undefined)
  const crcs = done.map((p) => p.crc32)
  const knownCrcs = crcs.filter((c): c is string => c !== undefined)
  return {
    uploadId,
    expectedEtag: known.length === md5s.length ? multipartEtag(known) : undefined,
    expectedCrc32: knownCrcs.length === crcs.length ? compositeCrc32(knownCrcs) : undefined,
    resumed: found ? { parts: found.parts.length, bytes: resumedBytes } : undefined,
  }
}
