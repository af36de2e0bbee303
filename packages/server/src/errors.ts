/**
 * The one error hierarchy of the egress service. Every failure a route can produce is an
 * AppError with a stable `code` and an HTTP `statusCode`; the app's error handler maps it to a
 * response once (see `http/error-handler.ts`). Anything else becomes a generic 500 and is logged
 * with its cause.
 */
export type AppErrorCode =
  | 'ERR_INTERNAL'
  | 'ERR_BAD_REQUEST'
  | 'ERR_MALFORMED_AUTHORIZATION'
  | 'ERR_UNAUTHENTICATED'
  | 'ERR_INVALID_TOKEN'
  | 'ERR_FORBIDDEN'
  | 'ERR_NOT_FOUND'
  | 'ERR_METHOD_NOT_ALLOWED'
  | 'ERR_RANGE_NOT_SATISFIABLE'
  | 'ERR_EULA_NOT_ACCEPTED'
  | 'ERR_EDL_REJECTED'
  | 'ERR_LOGIN_FAILED'
  | 'ERR_INVALID_APP_NAME'
  | 'ERR_UPSTREAM_FAILED'
  | 'ERR_UPSTREAM_TIMEOUT'
  | 'ERR_UPSTREAM_THROTTLED'
  | 'ERR_RATE_LIMITED'
  | 'ERR_STS_ACCESS_DENIED'
  | 'ERR_POLICY_TOO_LARGE'
  | 'ERR_CONFIG'

/** A piece of an HTML error page: plain text (escaped when rendered) or a link. */
export type PageText = string | { readonly href: string; readonly text: string }

/**
 * TEA's `error.html` for this error. `audience: 'browser'` shows it only to callers whose
 * User-Agent starts with "Mozilla" (TEA `check_for_browser`); `'everyone'` always (the `/login`
 * callback pages).
 */
export interface ErrorPage {
  readonly title: string
  readonly content: readonly PageText[]
  readonly audience: 'browser' | 'everyone'
}

export interface AppErrorOptions {
  readonly cause?: unknown
  /** HTML page to render instead of JSON (see {@link ErrorPage}). */
  readonly page?: ErrorPage
  /**
   * A TEA-compatible JSON body that replaces the standard `{statusCode, code, error, message}`
   * for non-browser callers (EULA and EDL errors, malformed Authorization).
   */
  readonly body?: Readonly<Record<string, unknown>>
}

export class AppError extends Error {
  readonly code: AppErrorCode = 'ERR_INTERNAL'
  readonly statusCode: number = 500
  readonly headers: Readonly<Record<string, string>> = {}
  readonly page: ErrorPage | undefined
  readonly body: Readonly<Record<string, unknown>> | undefined

  constructor(message?: string, options?: AppErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.name = new.target.name
    this.page = options?.page
    this.body = options?.body
  }
}

/** A subclass of AppError with its code and HTTP status; one line per plain error below. */
function withStatus(code: AppErrorCode, statusCode: number) {
  return class extends AppError {
    override readonly code: AppErrorCode = code
    override readonly statusCode: number = statusCode
  }
}

export class BadRequestError extends withStatus('ERR_BAD_REQUEST', 400) {}

/** `Authorization` with fewer than two parts: TEA answers 400 with its own JSON or HTML. */
export class MalformedAuthorizationError extends withStatus('ERR_MALFORMED_AUTHORIZATION', 400) {
  constructor() {
    const text = 'Malformed Authorization header'
    super(text, {
      body: { status_code: 400, error_description: text },
      page: { title: 'Bad Request', content: [text], audience: 'browser' },
    })
  }
}

export class UnauthenticatedError extends withStatus('ERR_UNAUTHENTICATED', 401) {}

/**
 * A bearer token that is not a valid, unexpired EDL token (RFC 6750 §3.1 `invalid_token`).
 * The message is the same for every reason so callers learn nothing about our checks.
 */
export class InvalidTokenError extends withStatus('ERR_INVALID_TOKEN', 401) {
  override readonly headers: Readonly<Record<string, string>> = {
    'www-authenticate':
      'Bearer error="invalid_token", error_description="The access token is invalid or expired"',
  }

  constructor(options?: { cause?: unknown }) {
    super('The access token is invalid or expired', options)
  }
}

export class ForbiddenError extends withStatus('ERR_FORBIDDEN', 403) {}

export class NotFoundError extends withStatus('ERR_NOT_FOUND', 404) {}

export class MethodNotAllowedError extends withStatus('ERR_METHOD_NOT_ALLOWED', 405) {
  override readonly headers: Readonly<Record<string, string>>

  constructor(method: string, path: string, allowed: readonly string[]) {
    super(`Method ${method} is not allowed for ${path}`)
    this.headers = { allow: allowed.join(', ') }
  }
}

/**
 * EDL refused because the user has not accepted the app's EULA (401/403 whose
 * `error_description` mentions "eula"). TEA answers 403 with EDL's body plus `status_code`
 * (scripts) or an HTML page linking to `resolution_url` (browsers).
 */
export class EulaNotAcceptedError extends withStatus('ERR_EULA_NOT_ACCEPTED', 403) {
  readonly resolutionUrl: string | undefined

  constructor(description: string, edlBody: Readonly<Record<string, unknown>>) {
    const url = typeof edlBody.resolution_url === 'string' ? edlBody.resolution_url : undefined
    const content: PageText[] = [`Could not fetch data because "${description}".`]
    if (url !== undefined)
      content.push(' Please accept EULA here: ', { href: url, text: url }, ' and try again.')
    super(description, {
      body: { ...edlBody, status_code: 403 },
      page: { title: description, content, audience: 'browser' },
    })
    this.resolutionUrl = url
  }
}

/**
 * EDL answered an HTTP error (other than a EULA refusal). TEA passes EDL's status and body
 * through to scripts and renders `error.html` for browsers.
 */
export class EdlRejectedError extends AppError {
  override readonly code: AppErrorCode = 'ERR_EDL_REJECTED'
  override readonly statusCode: number
  /** EDL's HTTP status. */
  readonly edlStatus: number

  constructor(edlStatus: number, edlBody: Readonly<Record<string, unknown>>) {
    const raw = edlBody.error_description
    const description = typeof raw === 'string' && raw !== '' ? raw : 'Unknown Error'
    super(`Earthdata Login answered ${edlStatus}: ${description}`, {
      body: edlBody,
      page: {
        title: description,
        content: [
          `Could not fetch data because "${description}". Full error: ${JSON.stringify(edlBody)}`,
        ],
        audience: 'browser',
      },
    })
    this.edlStatus = edlStatus
    this.statusCode = edlStatus >= 400 && edlStatus <= 599 ? edlStatus : 502
  }
}

/** A `/login` callback failure: always TEA's `error.html` with its status and text (TEA's do_login). */
export class LoginFailedError extends AppError {
  override readonly code: AppErrorCode = 'ERR_LOGIN_FAILED'
  override readonly statusCode: number

  constructor(
    statusCode: 400 | 401 | 500,
    text: string,
    options?: { cause?: unknown; title?: string; link?: { href: string; text: string } },
  ) {
    const content: PageText[] = options?.link === undefined ? [text] : [text, options.link]
    super(text.trim(), {
      cause: options?.cause,
      page: { title: options?.title ?? 'Could Not Login', content, audience: 'everyone' },
    })
    this.statusCode = statusCode
  }
}

/** An upstream (EDL, STS, S3, Secrets Manager) failed; details go to the log via `cause`. */
export class UpstreamFailedError extends withStatus('ERR_UPSTREAM_FAILED', 502) {}

export class UpstreamTimeoutError extends withStatus('ERR_UPSTREAM_TIMEOUT', 504) {}

/** The upstream asked us to slow down; the client should retry after `retryAfterSeconds`. */
export class UpstreamThrottledError extends withStatus('ERR_UPSTREAM_THROTTLED', 503) {
  override readonly headers: Readonly<Record<string, string>>

  constructor(message: string, retryAfterSeconds: number, options?: { cause?: unknown }) {
    super(message, options)
    this.headers = { 'retry-after': String(retryAfterSeconds) }
  }
}

/** One user sent more requests than S3_CREDENTIALS_RATE_LIMIT allows; retry after the header's seconds. */
export class RateLimitedError extends AppError {
  override readonly code: AppErrorCode = 'ERR_RATE_LIMITED'
  override readonly statusCode: number = 429
  override readonly headers: Readonly<Record<string, string>>

  constructor(message: string, retryAfterSeconds: number) {
    super(message)
    this.headers = { 'retry-after': String(retryAfterSeconds) }
  }
}

/**
 * Configuration is missing or invalid. Thrown at start-up only; `problems` lists every bad
 * variable as `NAME: what was wrong`, and the message joins them.
 */
export class ConfigError extends AppError {
  override readonly code: AppErrorCode = 'ERR_CONFIG'
  readonly problems: readonly string[]

  constructor(problems: string | readonly string[]) {
    const list = typeof problems === 'string' ? [problems] : problems
    super(`Invalid configuration: ${list.join('; ')}`)
    this.problems = list
  }
}
