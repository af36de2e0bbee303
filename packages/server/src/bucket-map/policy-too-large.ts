import { AppError } from '../errors.js'
import type { AppErrorCode } from '../errors.js'

/**
 * A user's session policy is over AWS's size limit even after lossless shrinking, so no
 * credentials can be vended without widening access. An operator must change the bucket map;
 * the message says by how much. Code `ERR_POLICY_TOO_LARGE`, status 500.
 */
export class PolicyTooLargeError extends AppError {
  override readonly code: AppErrorCode = 'ERR_POLICY_TOO_LARGE'
  override readonly statusCode: number = 500
}
