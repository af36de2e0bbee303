import { describe, expect, it } from 'vitest'
import { CodedError, withCode } from './index.js'

class ExampleError extends CodedError<'ERR_EXAMPLE' | 'ERR_OTHER'> {
  constructor(message: string, cause?: unknown) {
    super('ERR_EXAMPLE', message, cause)
  }
}
class OtherError extends ExampleError {
  override readonly code = 'ERR_OTHER' as const
}

describe('CodedError', () => {
  it('names the concrete class and keeps the code and cause', () => {
    const cause = new Error('root')
    const err = new OtherError('it failed', cause)
    expect(err).toBeInstanceOf(ExampleError)
    expect(err).toBeInstanceOf(Error)
    expect([err.name, err.code, err.message, err.cause]).toEqual([
      'OtherError',
      'ERR_OTHER',
      'it failed',
      cause,
    ])
  })

  it('has no cause property when none is given', () => {
    expect('cause' in new ExampleError('x')).toBe(false)
  })
})

describe('withCode', () => {
  class BaseError extends CodedError<'ERR_BASE' | 'ERR_NARROW'> {
    readonly detail: string | undefined
    constructor(message: string, options: { detail?: string; cause?: unknown } = {}) {
      super('ERR_BASE', message, options.cause)
      this.detail = options.detail
    }
  }
  class NarrowError extends withCode(BaseError, 'ERR_NARROW') {}

  it("keeps the base's constructor and fields, with its own code and name", () => {
    const err = new NarrowError('narrow', { detail: 'd' })
    expect(err).toBeInstanceOf(BaseError)
    expect([err.name, err.code, err.message, err.detail]).toEqual([
      'NarrowError',
      'ERR_NARROW',
      'narrow',
      'd',
    ])
  })
})
