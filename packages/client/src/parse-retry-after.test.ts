import { describe, expect, it } from 'vitest'
import { parseRetryAfter } from './parse-retry-after.js'

const NOW = Date.parse('2030-01-01T00:00:00Z')

describe('parseRetryAfter', () => {
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('3', undefined, NOW)).toBe(3000)
    expect(parseRetryAfter(' 0 ', undefined, NOW)).toBe(0)
  })
  it('reads an HTTP-date against the server Date, else the local clock', () => {
    const at = 'Tue, 01 Jan 2030 00:00:05 GMT'
    expect(parseRetryAfter(at, NOW - 60_000, NOW)).toBe(65_000)
    expect(parseRetryAfter(at, undefined, NOW)).toBe(5000)
    expect(parseRetryAfter('Mon, 31 Dec 2029 23:00:00 GMT', undefined, NOW)).toBe(0)
  })
  it('ignores absent or invalid values', () => {
    expect(parseRetryAfter(null, undefined, NOW)).toBeUndefined()
    expect(parseRetryAfter('soon', undefined, NOW)).toBeUndefined()
    expect(parseRetryAfter('-1', undefined, NOW)).toBeUndefined()
  })
})
