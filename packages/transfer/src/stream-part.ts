import { createHash } from 'node:crypto'
import type { Readable } from 'node:stream'
import { failed, succeeded } from './attempt-outcome.js'
import type { AttemptOutcome } from './attempt-outcome.js'
import { checkWriteEtag } from './check-write-etag.js'
import { httpStatusOf } from './classify-error.js'
import type { CopyContext, PartProgress } from './copy-context.js'
import { etagMd5 } from './etags.js'
import type { PartRange } from './plan-parts.js'
import { meterStream } from './meter-stream.js'
import { uploadPart } from './s3-multipart-ops.js'
import { getRange } from './s3-ops.js'
import { noteStreamedBytes } from './young-gc.js'

/** How a streamed part is proved: by a CRC32 trailer the destination checks, or by its ETag. */
export type StreamCheck = 'crc32' | 'md5'

export interface StreamedPart {
  readonly etag: string
  /** The part's MD5 when its ETag is one (which `md5` mode checked against the bytes read). */
  readonly md5: Buffer | undefined
  /** The CRC32 (base64) the destination checked (`crc32` mode). */
  readonly crc32: string | undefined
  /**
   * False when nothing proved the part intact: the destination's ETag is not an MD5 (`md5`),
   * or it returned no checksum or refused the trailer (`crc32`). The part must be sent again
   * another way.
   */
  readonly proved: boolean
}

const UNPROVED: StreamedPart = { etag: '', md5: undefined, crc32: undefined, proved: false }

/** A store without trailer support answers aws-chunked bodies with 411 (radosgw 16) or 501. */
const refusesTrailer = (err: unknown): boolean => [411, 501].includes(httpStatusOf(err) ?? 0)

/**
 * One attempt at copying a part without holding it: the ranged GET's body is piped into
 * UploadPart (with its Content-Length). Memory per part is a few stream buffers, and GET and
 * upload overlap. With `md5` the body is hashed on the way and the part ETag must be that MD5;
 * with `crc32` the SDK sends the body's CRC32 as a trailer that the destination checks (no MD5:
 * a sixth of the CPU). A failure on either side cancels the other and is reported as that side's
 * (the SDK cannot replay a stream, so the caller retries the whole part); its bytes are taken
 * back from `progress`.
 */
export async function streamPart(
  ctx: CopyContext,
  uploadId: string,
  part: PartRange,
  check: StreamCheck,
  progress: PartProgress,
): Promise<AttemptOutcome<StreamedPart>> {
  if (ctx.signal.aborted) return failed('source', 'GetObject', ctx.signal.reason, false)
  const attempt = new AbortController()
  const stop = (): void => attempt.abort(ctx.signal.reason)
  ctx.signal.addEventListener('abort', stop, { once: true })
  const hash = check === 'md5' ? createHash('md5') : undefined
  let sourceError: unknown
  let body: Readable | undefined
  const fail = (outcome: AttemptOutcome<StreamedPart>): AttemptOutcome<StreamedPart> => {
    body?.destroy()
    progress.discard()
    return outcome
  }
  try {
    const { bucket, key } = ctx.source
    const range = { bucket, key, etag: ctx.sourceInfo.etag, ...part, whole: false }
    try {
      body = await getRange(ctx.source.client, range, attempt.signal)
    } catch (err) {
      return fail(failed('source', 'GetObject', err))
    }
    const through = meterStream(part.length, (chunk) => {
      hash?.update(chunk)
      progress.add(chunk.length)
      noteStreamedBytes(chunk.length)
    })
    // pipe() does not pass errors on: a source failure must cancel the upload itself.
    const onSourceError = (err: unknown): void => {
      sourceError ??= err
      attempt.abort(err)
    }
    body.on('error', onSourceError).pipe(through).on('error', onSourceError)
    const { partNumber } = part
    const input = {
      bucket: ctx.dest.bucket,
      key: ctx.dest.key,
      uploadId,
      partNumber,
      body: through,
      length: part.length,
      crc32: check === 'crc32',
    }
    let result
    try {
      result = await uploadPart(ctx.dest.client, input, attempt.signal)
    } catch (err) {
      if (sourceError !== undefined) return fail(failed('source', 'GetObject', sourceError))
      if (check === 'crc32' && refusesTrailer(err)) return fail(succeeded(UNPROVED))
      return fail(failed('dest', 'UploadPart', err))
    }
    if (check === 'crc32') {
      if (result.crc32 === undefined) return fail(succeeded(UNPROVED))
      const etag = result.etag ?? ''
      const md5 = result.opaqueEtag ? undefined : etagMd5(etag)
      return succeeded({ etag, md5, crc32: result.crc32, proved: true })
    }
    const md5 = (hash as ReturnType<typeof createHash>).digest()
    const where = `UploadPart ${partNumber} on s3://${ctx.dest.bucket}/${ctx.dest.key}`
    try {
      const proved = checkWriteEtag(result, md5, where)
      if (!proved) return fail(succeeded(UNPROVED))
      return succeeded({
        etag: result.etag ?? `"${md5.toString('hex')}"`,
        md5,
        crc32: undefined,
        proved,
      })
    } catch (err) {
      // The destination stored other bytes than were read: send the part again.
      return fail(failed('dest', 'UploadPart', err, true))
    }
  } finally {
    ctx.signal.removeEventListener('abort', stop)
  }
}
