import { AppError } from '../errors.js'
import type { AppErrorCode } from '../errors.js'
import { STATUS_CODES } from '../http/status-codes.js'

const CODES: Readonly<Record<number, AppErrorCode>> = {
  400: 'ERR_BAD_REQUEST',
  403: 'ERR_FORBIDDEN',
  404: 'ERR_NOT_FOUND',
  416: 'ERR_RANGE_NOT_SATISFIABLE',
}

/**
 * A download-path failure as TEA reports it: `error.html` with TEA's title and text for
 * browsers, and for scripts the standard JSON error plus TEA's `title` and the request id.
 *
 * @example throw new DataPathError(404, 'File not found', 'File not found', request.id)
 */
export class DataPathError extends AppError {
  override readonly code: AppErrorCode
  override readonly statusCode: number
  /** TEA's page title, also the Cumulus `reason` for most failures. */
  readonly title: string

  constructor(
    statusCode: number,
    title: string,
    text: string,
    requestId: string,
    options?: { cause?: unknown },
  ) {
    const code = CODES[statusCode] ?? 'ERR_UPSTREAM_FAILED'
    super(text, {
      cause: options?.cause,
      page: { title, content: [text], audience: 'browser' },
      body: {
        statusCode,
        code,
        error: STATUS_CODES[statusCode] ?? 'Error',
        message: text,
        title,
        requestId,
      },
    })
    this.code = code
    this.statusCode = statusCode
    this.title = title
  }
}
