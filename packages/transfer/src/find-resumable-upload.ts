import type { CopyContext } from './copy-context.js'
import { onDest, runStep } from './copy-context.js'
import { etagMd5 } from './etags.js'
import { partRange } from './plan-parts.js'
import type { PartPlan } from './plan-parts.js'
import { readPart } from './read-part.js'
import { abortUpload, listParts, listUploads } from './s3-multipart-ops.js'
import type { OpenUpload, UploadedPart } from './s3-multipart-ops.js'

export interface ResumableUpload {
  readonly uploadId: string
  /** Parts already at the destination that fit the plan. */
  readonly parts: readonly UploadedPart[]
}

/**
 * Every listed part is a part of `plan`, of the planned size, with an MD5 ETag, and carries a
 * CRC32 exactly when this copy sends CRC32s (an upload completes with all or none).
 */
function fitsPlan(parts: readonly UploadedPart[], plan: PartPlan, crc32: boolean): boolean {
  return parts.every(
    (p) =>
      p.partNumber >= 1 &&
      p.partNumber <= plan.partCount &&
      p.size === partRange(plan, p.partNumber).length &&
      etagMd5(p.etag) !== undefined &&
      (p.crc32 !== undefined) === crc32,
  )
}

/** Re-reads one uploaded part from the source: its MD5 must be the part's ETag. */
async function sameContent(ctx: CopyContext, part: UploadedPart): Promise<boolean> {
  const progress = ctx.progress.part()
  const { body, md5 } = await readPart(ctx, partRange(ctx.plan, part.partNumber), false, progress)
  ctx.pool.release(body)
  // A check, not a copy: the part is counted when it is kept.
  progress.discard()
  return etagMd5(part.etag)?.equals(md5) === true
}

/**
 * Finds the open multipart upload a crashed run of this same copy left at the destination key.
 * S3 does not return an open upload's metadata, so an upload qualifies when
 *  - it was initiated after the source was last modified (else it holds an older version),
 *  - every part it holds is a part of this plan with the planned size (and a CRC32 when this
 *    copy sends them), and
 *  - its highest part, read again from the source, has the MD5 its ETag states.
 * Uploads are examined newest first; those that do not qualify are aborted (they can never be
 * completed into this object), up to the first that does, which is returned.
 */
export async function findResumableUpload(
  ctx: CopyContext,
  crc32: boolean,
): Promise<ResumableUpload | undefined> {
  const { client, bucket, key } = ctx.dest
  const uploads = await runStep(ctx, onDest(ctx, 'ListMultipartUploads'), async () => {
    const found: OpenUpload[] = []
    for await (const u of listUploads(client, bucket, key, ctx.signal)) found.push(u)
    return found
  })
  uploads.sort((a, b) => (b.initiated?.getTime() ?? 0) - (a.initiated?.getTime() ?? 0))
  const modified = ctx.sourceInfo.lastModified?.getTime() ?? 0
  for (const u of uploads) {
    const target = { bucket, key, uploadId: u.uploadId }
    let parts: UploadedPart[] | undefined
    if ((u.initiated?.getTime() ?? 0) >= modified) {
      parts = await runStep(ctx, onDest(ctx, 'ListParts'), () =>
        listParts(client, target, ctx.signal),
      )
      const last = parts.reduce<UploadedPart | undefined>(
        (a, p) => (a === undefined || p.partNumber > a.partNumber ? p : a),
        undefined,
      )
      const ok =
        fitsPlan(parts, ctx.plan, crc32) && (last === undefined || (await sameContent(ctx, last)))
      if (ok) return { uploadId: u.uploadId, parts }
    }
    await runStep(ctx, onDest(ctx, 'AbortMultipartUpload'), () =>
      abortUpload(client, target, ctx.signal),
    )
  }
  return undefined
}
