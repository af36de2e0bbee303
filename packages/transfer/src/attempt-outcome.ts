import { isRetryable } from './classify-error.js'
import type { TransferSide } from './errors.js'
import { BodyLengthError } from './read-body-into.js'

/**
 * Why one attempt at a step failed: which end of the copy failed (a streamed part spans both),
 * the operation on that end, whether another attempt may succeed, and the error behind it.
 * Steps return it rather than throw it, so the retry decision is made where the failure is
 * understood, and `runAttempts` needs no unwrapping.
 */
export interface AttemptFailure {
  readonly ok: false
  readonly side: TransferSide
  /** `GetObject`, `UploadPart`, ... */
  readonly operation: string
  readonly retryable: boolean
  readonly cause: unknown
}

export interface AttemptSuccess<T> {
  readonly ok: true
  readonly value: T
}

/** How one attempt at a step ended. */
export type AttemptOutcome<T> = AttemptSuccess<T> | AttemptFailure

export const succeeded = <T>(value: T): AttemptSuccess<T> => ({ ok: true, value })

/**
 * A failed attempt. Unless told, `retryable` follows the S3/network classification, and a body
 * cut short or running long (another attempt may well get the whole body) is retryable.
 */
export function failed(
  side: TransferSide,
  operation: string,
  cause: unknown,
  retryable: boolean = cause instanceof BodyLengthError || isRetryable(cause),
): AttemptFailure {
  return { ok: false, side, operation, retryable, cause }
}
