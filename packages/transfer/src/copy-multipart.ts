import { checkWriteEtag } from './check-write-etag.js'
import { httpStatusOf } from './classify-error.js'
import type { CopyContext } from './copy-context.js'
import { onDest, runStep } from './copy-context.js'
import { etagMd5, multipartEtag } from './etags.js'
import { findResumableUpload } from './find-resumable-upload.js'
import type { PartRange } from './plan-parts.js'
import { readPart } from './read-part.js'
import { readParts } from './read-parts.js'
import { streamPart } from './stream-part.js'
import { runWorkers } from './run-workers.js'
import { abortUpload, completeUpload, createUpload, uploadPart } from './s3-multipart-ops.js'
import type { UploadedPart } from './s3-multipart-ops.js'

export interface MultipartOutcome {
  readonly uploadId: string
  /** The ETag the destination must show, unless a part's ETag was not an MD5. */
  readonly expectedEtag: string | undefined
  readonly resumed: { readonly parts: number; readonly bytes: number } | undefined
}

interface DonePart {
  readonly etag: string
  /** Undefined when the destination's ETag is not an MD5 (SSE-KMS): then no ETag can be predicted. */
  readonly md5: Buffer | undefined
}

/** Whether parts are streamed; turned off for good when the destination's ETags prove nothing. */
interface PartMode {
  streaming: boolean
}

async function copyBufferedPart(
  ctx: CopyContext,
  uploadId: string,
  part: PartRange,
): Promise<DonePart> {
  const { body, md5 } = await readPart(ctx, part, false)
  try {
    const { client, bucket, key } = ctx.dest
    const { partNumber } = part
    const input = { bucket, key, uploadId, partNumber, body, length: body.length, md5 }
    const where = `UploadPart ${partNumber} on s3://${bucket}/${key}`
    return await runStep(ctx, onDest(ctx, 'UploadPart', partNumber), async () => {
      const r = await uploadPart(client, input, ctx.signal)
      const proved = checkWriteEtag(r, md5, where)
      return { etag: r.etag ?? `"${md5.toString('hex')}"`, md5: proved ? md5 : undefined }
    })
  } finally {
    ctx.pool.release(body)
  }
}

async function copyPart(
  ctx: CopyContext,
  uploadId: string,
  part: PartRange,
  done: Map<number, DonePart>,
  mode: PartMode,
): Promise<void> {
  if (mode.streaming) {
    const step = onDest(ctx, 'UploadPart', part.partNumber)
    const r = await runStep(ctx, step, () => streamPart(ctx, uploadId, part))
    if (r.proved) {
      done.set(part.partNumber, { etag: r.etag, md5: r.md5 })
      ctx.progress.partDone()
      return
    }
    // The destination's ETags are not MD5s (SSE-KMS, some S3-compatible stores), so only
    // Content-MD5 can protect the data, and that needs the part in memory: send it again.
    mode.streaming = false
    ctx.progress.add(-part.length)
  }
  done.set(part.partNumber, await copyBufferedPart(ctx, uploadId, part))
  ctx.progress.partDone()
}

async function canStream(ctx: CopyContext, opaqueEtag: boolean): Promise<boolean> {
  if (!ctx.tuning.streamParts || opaqueEtag) return false
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
 * `concurrency` workers copy the missing parts (ranged GET into a pooled buffer, then
 * UploadPart with Content-MD5 and an ETag check), then completes the upload. On any failure or
 * abort the upload is aborted unless `leavePartsOnError`, so nothing half-written is left.
 */
export async function copyMultipart(
  ctx: CopyContext,
  stop: AbortController,
): Promise<MultipartOutcome> {
  const { client, bucket, key } = ctx.dest
  const found = ctx.tuning.resume ? await findResumableUpload(ctx) : undefined
  const created = found
    ? { uploadId: found.uploadId, opaqueEtag: false }
    : await runStep(ctx, onDest(ctx, 'CreateMultipartUpload'), () =>
        createUpload(client, { bucket, key, headers: ctx.destHeaders }, ctx.signal),
      )
  const { uploadId } = created
  const mode: PartMode = { streaming: await canStream(ctx, created.opaqueEtag) }
  const done = new Map<number, DonePart>()
  let resumedBytes = 0
  for (const p of found?.parts ?? []) {
    done.set(p.partNumber, { etag: p.etag, md5: etagMd5(p.etag) })
    resumedBytes += p.size
    ctx.progress.add(p.size)
    ctx.progress.partDone()
  }
  const parts: UploadedPart[] = []
  try {
    const workers = Math.min(ctx.tuning.concurrency, ctx.plan.partCount - done.size)
    const todo = readParts(ctx.plan, new Set(done.keys()))
    await runWorkers(todo, workers, (part) => copyPart(ctx, uploadId, part, done, mode), stop)
    for (let n = 1; n <= ctx.plan.partCount; n++) {
      const p = done.get(n)
      if (p === undefined) throw new Error(`internal: part ${n} was never copied`)
      parts.push({ partNumber: n, etag: p.etag, size: 0 })
    }
    await complete(ctx, uploadId, parts)
  } catch (err) {
    if (!ctx.tuning.leavePartsOnError) await abortQuietly(ctx, uploadId)
    throw err
  }
  const md5s = parts.map((p) => done.get(p.partNumber)?.md5)
  const known = md5s.filter((m): m is Buffer => m !== undefined)
  return {
    uploadId,
    expectedEtag: known.length === md5s.length ? multipartEtag(known) : undefined,
    resumed: found ? { parts: found.parts.length, bytes: resumedBytes } : undefined,
  }
}
