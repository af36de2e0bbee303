import { describe, expect, it } from 'vitest'
import { compositeCrc32, etagMd5, md5, multipartEtag, normalizeEtag } from './etags.js'

describe('etags', () => {
  it('normalizes quotes, weak prefixes and case', () => {
    expect(normalizeEtag('"AB12"')).toBe('ab12')
    expect(normalizeEtag('W/"ab12-3"')).toBe('ab12-3')
    expect(normalizeEtag(undefined)).toBeUndefined()
  })

  it('reads an MD5 only from a plain 32-hex ETag', () => {
    expect(etagMd5('"d41d8cd98f00b204e9800998ecf8427e"')).toEqual(md5(Buffer.alloc(0)))
    expect(etagMd5('"d41d8cd98f00b204e9800998ecf8427e-2"')).toBeUndefined()
    expect(etagMd5('"xyz"')).toBeUndefined()
  })

  it('computes the S3 multipart ETag (md5 of part md5s, dash, count)', () => {
    // Reference value from Python's hashlib: md5(md5(b'a').digest() + md5(b'b').digest()).
    const parts = [md5(Buffer.from('a')), md5(Buffer.from('b'))]
    expect(multipartEtag(parts)).toBe('96e024ba2074fe77e8e965ba43a704be-2')
    expect(multipartEtag([])).toBe('d41d8cd98f00b204e9800998ecf8427e-0')
  })
})

describe('compositeCrc32', () => {
  it('is the CRC32 of the big-endian part CRC32s, base64, with the part count', () => {
    // CRC-32 of eight zero bytes is 0x6522df69.
    expect(compositeCrc32(['AAAAAA==', 'AAAAAA=='])).toBe(
      `${Buffer.from('6522df69', 'hex').toString('base64')}-2`,
    )
    expect(compositeCrc32([])).toBe('AAAAAA==-0')
  })
})
