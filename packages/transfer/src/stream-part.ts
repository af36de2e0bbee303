import { createHash } from 'node:crypto'
import type { Readable } from 'node:stream'
import { checkWriteEtag } from './check-write-etag.js'
import type { CopyContext } from './copy-context.js'
import { StepFailure } from './copy-context.js'
import { VerificationFailedError } from './errors.js'
import type { PartRange } from './plan-parts.js'
import { meterStream } from './meter-stream.js'
import { uploadPart } from './s3-multipart-ops.js'
import { getRange } from './s3-ops.js'

/** A streamed part whose ETag is not the MD5 of what was read: send the part again. */
class PartEtagMismatchError extends VerificationFailedError {
  readonly retryable = true
}

export interface StreamedPart {
  readonly etag: string
  readonly md5: Buffer
  /** False when the destination's ETag is not an MD5: then nothing proved the part intact. */
  readonly proved: boolean
}

/**
 * One attempt at copying a part without holding it: the ranged GET's body is piped into
 * UploadPart (with its Content-Length), hashed on the way, and the part ETag S3 returns must be
 * that MD5. Memory per part is a few stream buffers, and GET and upload overlap. A failure on
 * either side cancels the other and throws a {@link StepFailure} naming the side that failed
 * (the SDK cannot replay a stream: the whole part is retried by the caller).
 */
export async function streamPart(
  ctx: CopyContext,
  uploadId: string,
  part: PartRange,
): Promise<StreamedPart> {
  if (ctx.signal.aborted) throw ctx.signal.reason
  const attempt = new AbortController()
  const stop = (): void => attempt.abort(ctx.signal.reason)
  ctx.signal.addEventListener('abort', stop, { once: true })
  const { bucket, key } = ctx.source
  const source = { side: 'source' as const, operation: 'GetObject', bucket, key }
  const dest = {
    side: 'dest' as const,
    operation: 'UploadPart',
    bucket: ctx.dest.bucket,
    key: ctx.dest.key,
  }
  const hash = createHash('md5')
  let counted = 0
  let sourceError: unknown
  let body: Readable | undefined
  try {
    const range = { bucket, key, etag: ctx.sourceInfo.etag, ...part, whole: false }
    body = await getRange(ctx.source.client, range, attempt.signal).catch((err: unknown) => {
      throw new StepFailure(source, err)
    })
    const through = meterStream(part.length, (chunk) => {
      hash.update(chunk)
      counted += chunk.length
      ctx.progress.add(chunk.length)
    })
    // pipe() does not pass errors on: a source failure must cancel the upload itself.
    const fail = (err: unknown): void => {
      sourceError ??= err
      attempt.abort(err)
    }
    body.on('error', fail).pipe(through).on('error', fail)
    const { partNumber } = part
    const input = {
      bucket: dest.bucket,
      key: dest.key,
      uploadId,
      partNumber,
      body: through,
      length: part.length,
    }
    const result = await uploadPart(ctx.dest.client, input, attempt.signal).catch(
      (err: unknown) => {
        throw new StepFailure(sourceError === undefined ? dest : source, sourceError ?? err)
      },
    )
    const md5 = hash.digest()
    const where = `UploadPart ${partNumber} on s3://${ctx.dest.bucket}/${ctx.dest.key}`
    try {
      const proved = checkWriteEtag(result, md5, where)
      return { etag: result.etag ?? `"${md5.toString('hex')}"`, md5, proved }
    } catch (err) {
      throw new StepFailure(
        dest,
        new PartEtagMismatchError((err as Error).message, { side: 'dest' }),
      )
    }
  } catch (err) {
    body?.destroy()
    ctx.progress.add(-counted)
    throw err
  } finally {
    ctx.signal.removeEventListener('abort', stop)
  }
}
