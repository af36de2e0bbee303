import type { CopyContext } from './copy-context.js'
import { onDest, runStep } from './copy-context.js'
import { VerificationFailedError } from './errors.js'
import { normalizeEtag } from './etags.js'
import { deleteObject, headObject } from './s3-ops.js'

/** How the destination object was checked: its ETag matched the one computed from the bytes sent, or only its size. */
export type VerifiedBy = 'etag' | 'size'

/**
 * HEADs the finished destination object and compares its size and, when it could be predicted,
 * its ETag (radosgw's CompleteMultipartUpload returns an empty ETag, so HEAD is the only source).
 * A mismatch deletes the object, so a corrupt copy never stays visible, and throws.
 */
export async function verifyDest(
  ctx: CopyContext,
  expectedEtag: string | undefined,
): Promise<{ etag: string; verifiedBy: VerifiedBy }> {
  const { client, bucket, key } = ctx.dest
  const head = await runStep(ctx, onDest(ctx, 'HeadObject'), () =>
    headObject(client, bucket, key, ctx.signal),
  )
  const etag = normalizeEtag(head.etag) ?? ''
  const problems: string[] = []
  if (head.size !== ctx.plan.size) problems.push(`size ${head.size}, expected ${ctx.plan.size}`)
  if (expectedEtag !== undefined && etag !== expectedEtag) {
    problems.push(`ETag ${etag}, expected ${expectedEtag}`)
  }
  if (problems.length > 0) {
    await deleteObject(client, bucket, key, AbortSignal.timeout(30_000)).catch(() => {})
    throw new VerificationFailedError(
      `s3://${bucket}/${key} did not match what was sent (${problems.join('; ')}); it was deleted`,
      { side: 'dest' },
    )
  }
  return { etag, verifiedBy: expectedEtag === undefined ? 'size' : 'etag' }
}
