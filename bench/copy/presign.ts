import { createHash, createHmac } from 'node:crypto'

/** Static credentials; `sessionToken` for STS (temporary) ones. */
export interface StaticCredentials {
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly sessionToken?: string
}

export interface PresignOptions {
  readonly method: 'GET' | 'PUT' | 'HEAD' | 'DELETE'
  /** Path-style object URL, e.g. `http://127.0.0.1:7480/bucket/key`. */
  readonly url: string
  readonly credentials: StaticCredentials
  /** Default: us-east-1. */
  readonly region?: string
  /** Default: 3600. */
  readonly expiresInSeconds?: number
  /** Default: now. */
  readonly date?: Date
}

// RFC 3986 unreserved characters stay; everything else is %XX (SigV4's canonical encoding).
const encode = (value: string): string =>
  encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  )

const hmac = (key: Buffer | string, data: string): Buffer =>
  createHmac('sha256', key).update(data).digest()

/**
 * A SigV4 query-string-signed URL that signs only `host`, so curl can send any other header
 * (Content-Length for a piped PUT) without breaking the signature. curl's own `--aws-sigv4`
 * signs headers it then drops (an emptied `Transfer-Encoding:`), which radosgw rejects.
 */
export function presignUrl(options: PresignOptions): string {
  const { credentials } = options
  const region = options.region ?? 'us-east-1'
  const url = new URL(options.url)
  const amzDate = (options.date ?? new Date()).toISOString().replace(/[-:]|\.\d{3}/g, '')
  const day = amzDate.slice(0, 8)
  const scope = `${day}/${region}/s3/aws4_request`
  const query: [string, string][] = [
    ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
    ['X-Amz-Credential', `${credentials.accessKeyId}/${scope}`],
    ['X-Amz-Date', amzDate],
    ['X-Amz-Expires', String(options.expiresInSeconds ?? 3600)],
    ['X-Amz-SignedHeaders', 'host'],
  ]
  if (credentials.sessionToken) query.push(['X-Amz-Security-Token', credentials.sessionToken])
  const canonicalQuery = query
    .map(([k, v]) => `${encode(k)}=${encode(v)}`)
    .sort()
    .join('&')
  // S3 encodes each path segment once (no double encoding, unlike other services).
  const path = decodeURIComponent(url.pathname).split('/').map(encode).join('/')
  const canonicalRequest = [
    options.method,
    path,
    canonicalQuery,
    `host:${url.host}\n`,
    'host',
    'UNSIGNED-PAYLOAD',
  ].join('\n')
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    amzDate,
    scope,
    createHash('sha256').update(canonicalRequest).digest('hex'),
  ].join('\n')
  const key = hmac(
    hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, day), region), 's3'),
    'aws4_request',
  )
  const signature = createHmac('sha256', key).update(stringToSign).digest('hex')
  return `${url.origin}${path}?${canonicalQuery}&X-Amz-Signature=${signature}`
}
