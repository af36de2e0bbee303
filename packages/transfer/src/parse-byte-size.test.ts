import { describe, expect, it } from 'vitest'
import { formatBytes, parseByteSize } from './parse-byte-size.js'

describe('parseByteSize', () => {
  it.each([
    ['134217728', 134217728],
    ['128MiB', 128 * 1024 ** 2],
    ['128mib', 128 * 1024 ** 2],
    ['64MB', 64 * 1024 ** 2],
    ['5M', 5 * 1024 ** 2],
    ['1GiB', 1024 ** 3],
    ['1.5GiB', 1.5 * 1024 ** 3],
    ['5 GiB', 5 * 1024 ** 3],
    ['10KiB', 10240],
    ['7b', 7],
    ['1TiB', 1024 ** 4],
  ])('%s is %d bytes', (text, bytes) => {
    expect(parseByteSize(text)).toBe(bytes)
  })

  it.each(['', 'MiB', '-5MiB', '12 parsecs', '1e9', '0x10', '1.5', '0.1KiB'])(
    'refuses %j',
    (text) => {
      expect(() => parseByteSize(text)).toThrow(TypeError)
    },
  )

  it('says what a size looks like', () => {
    expect(() => parseByteSize('big')).toThrow('"big" is not a size (e.g. 134217728, 128MiB, 1GiB)')
    expect(() => parseByteSize('1.5')).toThrow('"1.5" is not a whole number of bytes')
  })
})

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1536, '1.50 KiB'],
    [128 * 1024 ** 2, '128 MiB'],
    [1024 ** 3, '1.00 GiB'],
    [15.5 * 1024 ** 3, '15.5 GiB'],
  ])('%d is %s', (n, text) => {
    expect(formatBytes(n)).toBe(text)
  })
})
