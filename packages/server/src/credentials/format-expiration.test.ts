import { describe, expect, it } from 'vitest'
import { formatExpiration } from './format-expiration.js'

describe('formatExpiration', () => {
  it.each([
    ['TEA docs example', '2021-01-27T00:50:09Z', '2021-01-27 00:50:09+00:00'],
    ['Cumulus docs example', '2019-02-27T23:26:56Z', '2019-02-27 23:26:56+00:00'],
    ['drops milliseconds (floors)', '2024-12-31T23:59:59.999Z', '2024-12-31 23:59:59+00:00'],
    ['converts an offset to UTC', '2024-06-01T02:00:00+02:00', '2024-06-01 00:00:00+00:00'],
    ['epoch', '1970-01-01T00:00:00Z', '1970-01-01 00:00:00+00:00'],
  ])('%s', (_case, input, expected) => {
    expect(formatExpiration(new Date(input))).toBe(expected)
  })

  it('throws TypeError on an invalid date', () => {
    expect(() => formatExpiration(new Date('nope'))).toThrow(TypeError)
  })

  it('formats each instant by its own second when called in turn (the one-second memo)', () => {
    const texts = [
      '2024-06-01T00:00:00.100Z',
      '2024-06-01T00:00:00.900Z',
      '2024-06-01T00:00:01.000Z',
      '2024-06-01T00:00:00.500Z',
    ].map((iso) => formatExpiration(new Date(iso)))
    expect(texts).toEqual([
      '2024-06-01 00:00:00+00:00',
      '2024-06-01 00:00:00+00:00',
      '2024-06-01 00:00:01+00:00',
      '2024-06-01 00:00:00+00:00',
    ])
  })
})
