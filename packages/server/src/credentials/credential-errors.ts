import { AppError, BadRequestError, ForbiddenError } from '../errors.js'
import type { AppErrorCode } from '../errors.js'

/** The `app-name` header cannot be part of an STS role session name; no STS call was made. */
export class InvalidAppNameError extends BadRequestError {
  override readonly code: AppErrorCode = 'ERR_INVALID_APP_NAME'
}

/**
 * STS refused to let the service assume the download role (access denied, unknown role, or the
 * service's own credentials rejected). An operator must fix the deployment; the STS text is only
 * in the log, through `cause`.
 */
export class StsAccessDeniedError extends AppError {
  override readonly code: AppErrorCode = 'ERR_STS_ACCESS_DENIED'
  override readonly statusCode: number = 502
}

const NO_DATA = 'You do not have permission to access any data.'

/**
 * The user's EDL groups for this app reach no bucket in the map: TEA's 403 and text. Browsers
 * get TEA's error page (title "Could not access data"); other callers the JSON error body.
 */
export class NoDataAccessError extends ForbiddenError {
  constructor() {
    super(NO_DATA, {
      page: { title: 'Could not access data', content: [NO_DATA], audience: 'browser' },
    })
  }
}
