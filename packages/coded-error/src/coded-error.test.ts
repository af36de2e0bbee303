import { describe, expect, it } from 'vitest'
import { CodedError } from './index.js'

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
