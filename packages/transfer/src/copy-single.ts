import { checkWriteEtag } from './check-write-etag.js'
import type { CopyContext } from './copy-context.js'
import { onDest, runStep } from './copy-context.js'
import { partRange } from './plan-parts.js'
import { readPart } from './read-part.js'
import { putObject } from './s3-ops.js'

/**
 * Copies an object that fits in one part (empty ones included) with one GET and one PutObject.
 * The body is a buffer of known length, never a stream: radosgw answers a streamed body with
 * checksum trailers with 411.
 *
 * @returns the ETag the destination must show, when it can be predicted (an MD5).
 */
export async function copySingle(ctx: CopyContext): Promise<{ expectedEtag: string | undefined }> {
  const progress = ctx.progress.part()
  const { body, md5 } = await readPart(ctx, partRange(ctx.plan, 1), true, progress)
  try {
    const { bucket, key } = ctx.dest
    const proved = await runStep(ctx, onDest(ctx, 'PutObject'), async () => {
      const input = { bucket, key, body, md5, headers: ctx.destHeaders }
      const result = await putObject(ctx.dest.client, input, ctx.signal)
      return checkWriteEtag(result, md5, `PutObject on s3://${bucket}/${key}`)
    })
    progress.done()
    return { expectedEtag: proved ? md5.toString('hex') : undefined }
  } finally {
    ctx.pool.release(body)
  }
}
