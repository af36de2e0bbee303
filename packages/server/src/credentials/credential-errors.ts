import { AppError, BadRequest, Forbidden } from '../errors.js'
import type { AppErrorCode } from '../errors.js'

/** The `app-name` header cannot be part of an STS role session name; no STS call was made. */
export class InvalidAppName extends BadRequest {
  override readonly code: AppErrorCode = 'ERR_INVALID_APP_NAME'
}

/**
 * STS refused to let the service assume the download role (access denied, unknown role, or the
 * service's own credentials rejected). An operator must fix the deployment; the STS text is only
 * in the log, through `cause`.
 */
export class StsAccessDenied extends AppError {
  override readonly code: AppErrorCode = 'ERR_STS_ACCESS_DENIED'
  override readonly statusCode: number = 502
}

/** STS rejected the session policy as too large once packed (`PackedPolicyTooLarge`). */
export class StsPolicyTooLarge extends AppError {
  override readonly code: AppErrorCode = 'ERR_POLICY_TOO_LARGE'
  override readonly statusCode: number = 500
}

/**
 * The user's EDL groups for this app reach no bucket in the map (TEA's 403, with TEA's text).
 * `title` is the heading TEA's HTML error page uses, for routes that render HTML to browsers.
 */
export class NoDataAccess extends Forbidden {
  readonly title = 'Could not access data'

  constructor(options?: { cause?: unknown }) {
    super('You do not have permission to access any data.', options)
  }
}
