import type { CopyContext } from './copy-context.js'
import { onDest, runStep } from './copy-context.js'
import { VerificationFailedError } from './errors.js'
import { normalizeEtag } from './etags.js'
import { deleteObject, headObject } from './s3-ops.js'

/**
 * How the destination object was checked: its composite CRC32 matched the part CRC32s it
 * verified (`checksum`), its ETag matched the one computed from the part MD5s (`etag`), or only
 * its size could be checked (SSE-KMS without checksums).
 */
export type VerifiedBy = 'checksum' | 'etag' | 'size'

/** What the finished object must show, as far as it can be predicted. */
export interface ExpectedObject {
  readonly etag: string | undefined
  /** Composite CRC32, `base64-N`. */
  readonly crc32?: string | undefined
}

/**
 * HEADs the finished destination object and compares its size and, when they could be
 * predicted, its composite CRC32 (a store that keeps no checksums returns none: then the ETag
 * decides) and its ETag (radosgw's CompleteMultipartUpload returns an empty ETag, so HEAD is the
 * only source). A mismatch deletes the object, so a corrupt copy never stays visible, and throws.
 */
export async function verifyDest(
  ctx: CopyContext,
  expected: ExpectedObject,
): Promise<{ etag: string; verifiedBy: VerifiedBy }> {
  const { client, bucket, key } = ctx.dest
  const head = await runStep(ctx, onDest(ctx, 'HeadObject'), () =>
    headObject(client, bucket, key, ctx.signal, expected.crc32 !== undefined),
  )
  const etag = normalizeEtag(head.etag) ?? ''
  const problems: string[] = []
  if (head.size !== ctx.plan.size) problems.push(`size ${head.size}, expected ${ctx.plan.size}`)
  // S3 shows a composite checksum as `base64-N`; some stores leave out the part count.
  const crc32 = head.crc32 === undefined ? undefined : head.crc32.split('-')[0]
  const checkCrc = expected.crc32 !== undefined && crc32 !== undefined
  if (checkCrc && crc32 !== expected.crc32?.split('-')[0]) {
    problems.push(`CRC32 ${head.crc32}, expected ${expected.crc32}`)
  }
  if (expected.etag !== undefined && etag !== expected.etag) {
    problems.push(`ETag ${etag}, expected ${expected.etag}`)
  }
  if (problems.length > 0) {
    await deleteObject(client, bucket, key, AbortSignal.timeout(30_000)).catch(() => {})
    throw new VerificationFailedError(
      `s3://${bucket}/${key} did not match what was sent (${problems.join('; ')}); it was deleted`,
      { side: 'dest' },
    )
  }
  const verifiedBy = checkCrc ? 'checksum' : expected.etag === undefined ? 'size' : 'etag'
  return { etag, verifiedBy }
}
