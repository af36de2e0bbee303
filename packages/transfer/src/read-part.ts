import { createHash } from 'node:crypto'
import { failed, succeeded } from './attempt-outcome.js'
import type { CopyContext, PartProgress } from './copy-context.js'
import { onSource, runAttempts } from './copy-context.js'
import { etagMd5 } from './etags.js'
import type { PartRange } from './plan-parts.js'
import { getRangeInto } from './s3-ops.js'

/** The bytes read differ from the MD5 the source's own ETag promises: read them again. */
class SourceDigestMismatchError extends Error {
  readonly code = 'ERR_DIGEST_MISMATCH'
  constructor() {
    super('the bytes read do not match the MD5 in the source ETag')
    this.name = 'SourceDigestMismatchError'
  }
}

export interface ReadPart {
  /** A pooled buffer: give it back with `ctx.pool.release` once the part is written. */
  readonly body: Buffer
  readonly md5: Buffer
}

/**
 * Reads one part (or, with `whole`, the entire object) from the source into a pooled buffer,
 * with If-Match on the ETag seen at the start, retrying dropped connections and 5xx. When the
 * whole object is read and its ETag is a plain MD5, the bytes are checked against it. The bytes
 * are counted on `progress` as they land; a failed attempt takes them back.
 */
export async function readPart(
  ctx: CopyContext,
  part: PartRange,
  whole: boolean,
  progress: PartProgress,
): Promise<ReadPart> {
  const body = await ctx.pool.acquire(part.length, ctx.signal)
  try {
    const expected = whole && !ctx.sourceInfo.opaqueEtag ? etagMd5(ctx.sourceInfo.etag) : undefined
    const step = onSource(ctx, 'GetObject', whole ? undefined : part.partNumber)
    const md5 = await runAttempts(ctx, step, async () => {
      const { bucket, key } = ctx.source
      const input = { bucket, key, etag: ctx.sourceInfo.etag, start: part.start, whole }
      // Hash as chunks land, while later ones are still on the wire.
      const hash = createHash('md5')
      try {
        await getRangeInto(ctx.source.client, input, body, ctx.signal, (chunk) => {
          hash.update(chunk)
          progress.add(chunk.length)
        })
      } catch (err) {
        progress.discard()
        return failed('source', 'GetObject', err)
      }
      const d = hash.digest()
      if (expected !== undefined && !expected.equals(d)) {
        progress.discard()
        return failed('source', 'GetObject', new SourceDigestMismatchError(), true)
      }
      return succeeded(d)
    })
    return { body, md5 }
  } catch (err) {
    ctx.pool.release(body)
    throw err
  }
}
