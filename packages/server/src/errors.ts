/**
 * The one error hierarchy of the egress service. Every failure a route can produce is an
 * AppError with a stable `code` and an HTTP `statusCode`; the app's error handler maps it to a
 * response once. Anything else becomes a generic 500 and is logged with its cause.
 */
export type AppErrorCode =
  | 'ERR_INTERNAL'
  | 'ERR_BAD_REQUEST'
  | 'ERR_UNAUTHENTICATED'
  | 'ERR_FORBIDDEN'
  | 'ERR_NOT_FOUND'
  | 'ERR_EULA_NOT_ACCEPTED'
  | 'ERR_INVALID_APP_NAME'
  | 'ERR_UPSTREAM_FAILED'
  | 'ERR_UPSTREAM_TIMEOUT'
  | 'ERR_UPSTREAM_THROTTLED'
  | 'ERR_STS_ACCESS_DENIED'
  | 'ERR_POLICY_TOO_LARGE'
  | 'ERR_CONFIG'

export class AppError extends Error {
  readonly code: AppErrorCode = 'ERR_INTERNAL'
  readonly statusCode: number = 500
  readonly headers: Readonly<Record<string, string>> = {}

  constructor(message?: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
  }
}

export class BadRequest extends AppError {
  override readonly code: AppErrorCode = 'ERR_BAD_REQUEST'
  override readonly statusCode: number = 400
}

export class Unauthenticated extends AppError {
  override readonly code: AppErrorCode = 'ERR_UNAUTHENTICATED'
  override readonly statusCode: number = 401
}

export class Forbidden extends AppError {
  override readonly code: AppErrorCode = 'ERR_FORBIDDEN'
  override readonly statusCode: number = 403
}

export class NotFound extends AppError {
  override readonly code: AppErrorCode = 'ERR_NOT_FOUND'
  override readonly statusCode: number = 404
}

/** An upstream (EDL, STS, S3, Secrets Manager) failed; details go to the log via `cause`. */
export class UpstreamFailed extends AppError {
  override readonly code: AppErrorCode = 'ERR_UPSTREAM_FAILED'
  override readonly statusCode: number = 502
}

export class UpstreamTimeout extends AppError {
  override readonly code: AppErrorCode = 'ERR_UPSTREAM_TIMEOUT'
  override readonly statusCode: number = 504
}

/** The upstream asked us to slow down; the client should retry after `retryAfterSeconds`. */
export class UpstreamThrottled extends AppError {
  override readonly code: AppErrorCode = 'ERR_UPSTREAM_THROTTLED'
  override readonly statusCode: number = 503
  override readonly headers: Readonly<Record<string, string>>

  constructor(message: string, retryAfterSeconds: number, options?: { cause?: unknown }) {
    super(message, options)
    this.headers = { 'retry-after': String(retryAfterSeconds) }
  }
}

/** Configuration is missing or invalid; names the variable. Thrown at start-up only. */
export class ConfigError extends AppError {
  override readonly code: AppErrorCode = 'ERR_CONFIG'
}
