import { errorCodeOf, httpStatusOf } from './classify-error.js'
import {
  AccessDeniedError,
  SourceChangedError,
  SourceNotFoundError,
  TransferError,
} from './errors.js'
import type { TransferSide } from './errors.js'

export interface FailedStep {
  readonly side: TransferSide
  /** `GetObject`, `UploadPart`, ... */
  readonly operation: string
  readonly bucket: string
  readonly key: string
  readonly partNumber?: number
}

/** What went wrong, in words safe to show: S3 code and status, or the error's own message. */
export function describeCause(err: unknown): string {
  const status = httpStatusOf(err)
  const code = errorCodeOf(err)
  if (status !== undefined) return `${code ?? 'error'} (HTTP ${status})`
  if (err instanceof Error) {
    return code !== undefined && !err.message.includes(code)
      ? `${err.message} (${code})`
      : err.message
  }
  return String(err)
}

/**
 * Wraps the final error of an S3 step in the matching {@link TransferError}, keeping it as
 * `cause`: 412 → SourceChanged, 404 on the source → SourceNotFound, 403 → AccessDenied,
 * anything else → TransferError. TransferErrors pass through unchanged.
 */
export function toTransferError(err: unknown, step: FailedStep): TransferError {
  if (err instanceof TransferError) return err
  const where = `s3://${step.bucket}/${step.key}`
  const part = step.partNumber === undefined ? '' : ` (part ${step.partNumber})`
  const status = httpStatusOf(err)
  const options = { cause: err, side: step.side }
  if (status === 412 && step.side === 'source') {
    return new SourceChangedError(
      `${where} changed while it was being copied (its ETag no longer matches); the copy was abandoned`,
      options,
    )
  }
  if (status === 404 && step.side === 'source' && step.operation === 'HeadObject') {
    return new SourceNotFoundError(`${where} does not exist`, options)
  }
  if (status === 403) {
    return new AccessDeniedError(
      `${step.operation} on ${where}${part} was denied with the ${step.side === 'source' ? 'source' : 'destination'} credentials: ${describeCause(err)}`,
      options,
    )
  }
  return new TransferError(
    `${step.operation} on ${where}${part} failed: ${describeCause(err)}`,
    options,
  )
}
