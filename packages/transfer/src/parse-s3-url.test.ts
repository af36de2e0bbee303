import { describe, expect, it } from 'vitest'
import { parseS3Url } from './parse-s3-url.js'

describe('parseS3Url', () => {
  it.each([
    ['s3://bucket/key', { bucket: 'bucket', key: 'key', isPrefix: false }],
    ['s3://my.bucket-1/a/b/c.h5', { bucket: 'my.bucket-1', key: 'a/b/c.h5', isPrefix: false }],
    ['s3://bucket/dir/', { bucket: 'bucket', key: 'dir/', isPrefix: true }],
    ['s3://bucket/', { bucket: 'bucket', key: '', isPrefix: true }],
    ['s3://bucket', { bucket: 'bucket', key: '', isPrefix: true }],
    ['s3://bucket/with space/ü.nc', { bucket: 'bucket', key: 'with space/ü.nc', isPrefix: false }],
  ])('%s', (text, expected) => {
    expect(parseS3Url(text)).toEqual(expected)
  })

  it.each([
    ['bucket/key', '"bucket/key" is not an S3 URL (s3://bucket/key)'],
    ['https://bucket/key', '"https://bucket/key" is not an S3 URL (s3://bucket/key)'],
    ['s3:///key', '"s3:///key" does not name a valid bucket'],
    ['s3://b/key', '"s3://b/key" does not name a valid bucket'],
    ['s3://-bad-/key', '"s3://-bad-/key" does not name a valid bucket'],
  ])('refuses %s', (text, message) => {
    expect(() => parseS3Url(text)).toThrow(new TypeError(message))
  })
})
