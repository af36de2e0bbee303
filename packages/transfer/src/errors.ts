import { CodedError, withCode } from '@tea-ts/coded-error'

/**
 * The transfer package's one error hierarchy (jose style): every failure of a copy is a
 * `TransferError` with a stable `code`; the S3 or network error behind it is in `cause`.
 * Messages name the bucket, key, S3 error code and HTTP status, never credentials.
 */
export type TransferErrorCode =
  | 'ERR_TRANSFER'
  | 'ERR_SOURCE_NOT_FOUND'
  | 'ERR_SOURCE_CHANGED'
  | 'ERR_ACCESS_DENIED'
  | 'ERR_ABORTED'
  | 'ERR_VERIFICATION_FAILED'
  | 'ERR_OBJECT_TOO_LARGE'
  | 'ERR_INVALID_EVENT'
  | 'ERR_INVALID_OPTION'

/** Which end of the copy failed. */
export type TransferSide = 'source' | 'dest'

export interface TransferErrorOptions {
  readonly cause?: unknown
  readonly side?: TransferSide
}

/**
 * Base class. Switch on `code` rather than on the class.
 *
 * @example
 * ```ts
 * try { await copyObject(options) } catch (err) {
 *   if (err instanceof TransferError && err.code === 'ERR_SOURCE_CHANGED') console.error(err.message)
 * }
 * ```
 */
export class TransferError extends CodedError<TransferErrorCode> {
  readonly side: TransferSide | undefined

  constructor(message: string, options: TransferErrorOptions = {}) {
    super('ERR_TRANSFER', message, options.cause)
    this.side = options.side
  }
}

/** The source object does not exist (HTTP 404 on HeadObject). */
export class SourceNotFoundError extends withCode(TransferError, 'ERR_SOURCE_NOT_FOUND') {}

/** The source object was replaced while it was being copied (ETag changed, HTTP 412). */
export class SourceChangedError extends withCode(TransferError, 'ERR_SOURCE_CHANGED') {}

/** S3 refused the credentials of one side (HTTP 403). */
export class AccessDeniedError extends withCode(TransferError, 'ERR_ACCESS_DENIED') {}

/** The caller's AbortSignal fired. */
export class TransferAbortedError extends withCode(TransferError, 'ERR_ABORTED') {}

/** What the destination holds differs from what was read (size or ETag). */
export class VerificationFailedError extends withCode(TransferError, 'ERR_VERIFICATION_FAILED') {}

/** The object needs more than 10,000 parts of the largest allowed part size (5 GiB). */
export class ObjectTooLargeError extends withCode(TransferError, 'ERR_OBJECT_TOO_LARGE') {}

/** A Lambda event that is not `{CredentialsEndpoint, BearerToken, Source, Dest}`. */
export class InvalidEventError extends withCode(TransferError, 'ERR_INVALID_EVENT') {}

/**
 * The caller passed a bad option (a part size outside S3's limits, concurrency 0, a location
 * without a bucket): a mistake in the calling code, thrown before anything is read or written.
 * `option` names it (`partSize`, `source.bucket`, `retry.maxAttempts`, ...) and the message
 * starts with that name.
 */
export class TransferOptionError extends withCode(TransferError, 'ERR_INVALID_OPTION') {
  readonly option: string

  constructor(option: string, problem: string) {
    super(`${option} ${problem}`)
    this.option = option
  }
}
