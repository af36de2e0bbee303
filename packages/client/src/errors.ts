import { CodedError, withCode } from '@tea-ts/coded-error'

/**
 * The client's one error hierarchy (jose style): every failure to obtain credentials is an
 * `S3CredentialsError` with a stable `code`. Messages say what to do next and never contain an
 * EDL token, password, secret key or session token.
 */
export type S3CredentialsErrorCode =
  | 'ERR_S3_CREDENTIALS'
  | 'ERR_UNAUTHENTICATED'
  | 'ERR_NO_TOKEN'
  | 'ERR_EDL_TOKEN'
  | 'ERR_EULA_NOT_ACCEPTED'
  | 'ERR_FORBIDDEN'
  | 'ERR_CONFIG'
  | 'ERR_UNAVAILABLE'
  | 'ERR_TIMEOUT'
  | 'ERR_INVALID_RESPONSE'
  | 'ERR_INVALID_OPTION'

export interface S3CredentialsErrorOptions {
  readonly cause?: unknown
  /** HTTP status of the response that caused the error, when there was one. */
  readonly status?: number
}

/**
 * Base class. Switch on `code` rather than on the class when handling errors.
 *
 * @example
 * ```ts
 * try { await provider() } catch (err) {
 *   if (err instanceof S3CredentialsError && err.code === 'ERR_EULA_NOT_ACCEPTED') console.error(err.message)
 * }
 * ```
 */
export class S3CredentialsError extends CodedError<S3CredentialsErrorCode> {
  readonly status: number | undefined

  constructor(message: string, options: S3CredentialsErrorOptions = {}) {
    super('ERR_S3_CREDENTIALS', message, options.cause)
    this.status = options.status
  }
}

/** The endpoint did not accept the EDL token: a redirect to EDL, a 401, or an HTML login page. */
export class S3CredentialsAuthError extends withCode(S3CredentialsError, 'ERR_UNAUTHENTICATED') {}

/** No EDL token source is configured (no option, environment variable or .netrc entry). */
export class NoEdlTokenError extends withCode(S3CredentialsError, 'ERR_NO_TOKEN') {}

/** Earthdata Login refused or failed to issue a user token for a username and password. */
export class EdlTokenError extends withCode(S3CredentialsError, 'ERR_EDL_TOKEN') {}

/** The user must accept an application's EULA first; `resolutionUrl` is where to do it. */
export class EulaNotAcceptedError extends withCode(S3CredentialsError, 'ERR_EULA_NOT_ACCEPTED') {
  readonly resolutionUrl: string

  constructor(message: string, resolutionUrl: string, options: S3CredentialsErrorOptions = {}) {
    super(message, options)
    this.resolutionUrl = resolutionUrl
  }
}

/** The user is known but may not have credentials (a 403 without a EULA link). */
export class S3CredentialsForbiddenError extends withCode(S3CredentialsError, 'ERR_FORBIDDEN') {}

/** The request itself is wrong (400, e.g. a bad `app-name`) or the endpoint does not exist. */
export class S3CredentialsConfigError extends withCode(S3CredentialsError, 'ERR_CONFIG') {}

/** 429, 5xx or a network failure that outlasted the retries. */
export class S3CredentialsUnavailableError extends withCode(S3CredentialsError, 'ERR_UNAVAILABLE') {
  /** The server's `Retry-After`, in milliseconds, when it sent one. */
  readonly retryAfterMs: number | undefined

  constructor(
    message: string,
    options: S3CredentialsErrorOptions & { readonly retryAfterMs?: number } = {},
  ) {
    super(message, options)
    this.retryAfterMs = options.retryAfterMs
  }
}

/** No answer within `timeoutMs`, on every attempt. */
export class S3CredentialsTimeoutError extends withCode(S3CredentialsError, 'ERR_TIMEOUT') {}

/** A 2xx whose body is not the four-field credentials document, or whose expiry is nonsense. */
export class S3CredentialsResponseError extends withCode(
  S3CredentialsError,
  'ERR_INVALID_RESPONSE',
) {}

/**
 * The caller passed a bad option (a missing endpoint, an http URL to a remote host, a negative
 * duration): a mistake to fix in the calling code or its configuration, thrown at once by
 * `fromS3Credentials`, never after a request. `option` names the option, and the message starts
 * with that name.
 */
export class S3CredentialsOptionError extends withCode(S3CredentialsError, 'ERR_INVALID_OPTION') {
  readonly option: string

  constructor(option: string, problem: string) {
    super(`${option} ${problem}`)
    this.option = option
  }
}

/** Failures worth another attempt: throttling, 5xx, network errors and timeouts. */
export function isRetryable(err: unknown): boolean {
  return err instanceof S3CredentialsUnavailableError || err instanceof S3CredentialsTimeoutError
}
