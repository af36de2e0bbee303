import { VerificationFailedError } from './errors.js'
import { normalizeEtag } from './etags.js'
import type { WriteResult } from './s3-ops.js'

/**
 * S3's contract for uploads without SSE-KMS/SSE-C: a part's (or a single PUT's) ETag is the MD5
 * of the bytes received. A different MD5-shaped ETag means the destination stored something else.
 * ETags that are not MD5s (KMS, some S3-compatible stores) are left to Content-MD5, which the
 * server already checked.
 *
 * @returns whether the ETag proved the content (false: it could not be checked).
 */
export function checkWriteEtag(result: WriteResult, sent: Buffer, where: string): boolean {
  const etag = normalizeEtag(result.etag)
  if (result.opaqueEtag || etag === undefined || !/^[0-9a-f]{32}$/.test(etag)) return false
  if (etag !== sent.toString('hex')) {
    throw new VerificationFailedError(
      `${where}: the destination reports MD5 ${etag} but ${sent.toString('hex')} was sent`,
      { side: 'dest' },
    )
  }
  return true
}
