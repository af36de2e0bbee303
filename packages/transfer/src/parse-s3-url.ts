/** An `s3://bucket/key` reference; `key` is '' for a bare bucket. */
export interface S3Url {
  readonly bucket: string
  readonly key: string
  /** The key ends in '/' or is empty: it names a prefix, not one object. */
  readonly isPrefix: boolean
}

// S3 bucket naming rules (3-63 chars of [a-z0-9.-], starting and ending alphanumeric), relaxed
// to allow upper case and underscores that S3-compatible stores accept.
const BUCKET = /^[A-Za-z0-9][A-Za-z0-9._-]{1,61}[A-Za-z0-9]$/

/**
 * Parses `s3://bucket/key`, `s3://bucket/prefix/` or `s3://bucket`.
 *
 * @throws TypeError with a message fit for a user when `text` is not such a URL.
 * @example
 * ```ts
 * parseS3Url('s3://my-bucket/a/b.h5') // { bucket: 'my-bucket', key: 'a/b.h5', isPrefix: false }
 * ```
 */
export function parseS3Url(text: string): S3Url {
  const m = /^s3:\/\/([^/]*)(?:\/(.*))?$/s.exec(text)
  if (!m) throw new TypeError(`${JSON.stringify(text)} is not an S3 URL (s3://bucket/key)`)
  const bucket = m[1] ?? ''
  if (!BUCKET.test(bucket)) {
    throw new TypeError(`${JSON.stringify(text)} does not name a valid bucket`)
  }
  const key = m[2] ?? ''
  return { bucket, key, isPrefix: key === '' || key.endsWith('/') }
}
