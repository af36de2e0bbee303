import { S3CredentialsOptionError } from '@tea-ts/client'
import { TransferOptionError } from '@tea-ts/transfer'
import { describe, expect, it } from 'vitest'
import { UsageError, usageErrorFrom } from './cli-errors.js'

const FLAGS = { endpoint: '--endpoint', partSize: '--part-size' }

describe('usageErrorFrom', () => {
  it.each([
    [new S3CredentialsOptionError('endpoint', 'is required'), '--endpoint is required'],
    [new TransferOptionError('partSize', 'must be ≥ 5 MiB'), '--part-size must be ≥ 5 MiB'],
    // An option no flag sets keeps its own name.
    [new TransferOptionError('retry.maxAttempts', 'must be ≥ 1'), 'retry.maxAttempts must be ≥ 1'],
  ])('turns ERR_INVALID_OPTION %# into a UsageError naming the flag', (err, message) => {
    const usage = usageErrorFrom(err, FLAGS)
    expect(usage).toBeInstanceOf(UsageError)
    expect((usage as UsageError).message).toBe(message)
  })

  it('returns any other error unchanged, even a TypeError that mentions an option', () => {
    const other = new TypeError('endpoint is required')
    expect(usageErrorFrom(other, FLAGS)).toBe(other)
  })
})
