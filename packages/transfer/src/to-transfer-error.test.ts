import { describe, expect, it } from 'vitest'
import { TransferError } from './errors.js'
import { toTransferError } from './to-transfer-error.js'

const s3Error = (name: string, status: number) =>
  Object.assign(new Error('UnknownError'), { name, $metadata: { httpStatusCode: status } })
const step = {
  side: 'source',
  operation: 'GetObject',
  bucket: 'b',
  key: 'k/x',
  partNumber: 3,
} as const

describe('toTransferError', () => {
  it('maps 412 on the source to ERR_SOURCE_CHANGED', () => {
    const cause = s3Error('PreconditionFailed', 412)
    const err = toTransferError(cause, step)
    expect(err).toMatchObject({
      name: 'SourceChangedError',
      code: 'ERR_SOURCE_CHANGED',
      side: 'source',
      message:
        's3://b/k/x changed while it was being copied (its ETag no longer matches); the copy was abandoned',
    })
    expect(err.cause).toBe(cause)
  })

  it('maps 404 on HeadObject of the source to ERR_SOURCE_NOT_FOUND', () => {
    expect(
      toTransferError(s3Error('NotFound', 404), { ...step, operation: 'HeadObject' }),
    ).toMatchObject({ code: 'ERR_SOURCE_NOT_FOUND', message: 's3://b/k/x does not exist' })
  })

  it('maps 403 to ERR_ACCESS_DENIED naming the side', () => {
    expect(
      toTransferError(s3Error('AccessDenied', 403), {
        side: 'dest',
        operation: 'UploadPart',
        bucket: 'd',
        key: 'k',
        partNumber: 2,
      }),
    ).toMatchObject({
      code: 'ERR_ACCESS_DENIED',
      side: 'dest',
      message:
        'UploadPart on s3://d/k (part 2) was denied with the destination credentials: AccessDenied (HTTP 403)',
    })
  })

  it('describes network errors by message and code', () => {
    const cause = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })
    expect(toTransferError(cause, step)).toMatchObject({
      code: 'ERR_TRANSFER',
      message: 'GetObject on s3://b/k/x (part 3) failed: socket hang up (ECONNRESET)',
    })
  })

  it('passes TransferErrors through', () => {
    const e = new TransferError('x')
    expect(toTransferError(e, step)).toBe(e)
  })
})
