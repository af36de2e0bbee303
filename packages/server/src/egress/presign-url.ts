import type { S3RequestPresigner } from '@aws-sdk/s3-request-presigner'
import type { AwsCredentialIdentity } from '@smithy/types'
import { lazy } from '../lazy.js'

/** What to presign: one object, for GET or HEAD. */
export interface PresignInput {
  readonly credentials: AwsCredentialIdentity
  /** The bucket's region (the signing scope and, on AWS, the host). */
  readonly region: string
  readonly bucket: string
  readonly key: string
  readonly method: 'GET' | 'HEAD'
  readonly expiresInSeconds: number
  /**
   * Extra query parameters inside the signature, in TEA's order: `A-api-request-uuid` (when
   * given) and `A-userid`, so S3 access logs attribute the download.
   */
  readonly query: Readonly<Record<string, string>>
  /**
   * An S3-compatible endpoint (`AWS_ENDPOINT_URL_S3`): path-style URLs on it. Default: AWS's
   * virtual-hosted `{bucket}.s3.{region}.amazonaws.com` (`{bucket}.s3.amazonaws.com` in
   * us-east-1), as TEA builds them.
   */
  readonly endpoint?: string | undefined
  /** Default: now. */
  readonly signingDate?: Date
}

// S3's presigner (SigV4, UNSIGNED-PAYLOAD). The payload-hash header stays a header and unsigned,
// as boto and TEA sign: hoisting it into the query would change every signature and URL.
const KEEP_AS_UNSIGNED_HEADER = 'x-amz-content-sha256'

/**
 * Presigns a GET or HEAD of one object with `@aws-sdk/s3-request-presigner` and returns the
 * URL with TEA's parameter order (the `A-*` parameters, the `X-Amz-*` ones, the signature
 * last). Reproduces TEA's presign test vectors byte for byte (see the unit test).
 *
 * @example
 * await presignUrl({ credentials, region: 'us-west-2', bucket: 'b', key: 'a/b.nc', method: 'GET',
 *   expiresInSeconds: 3540, query: { 'A-userid': 'jdoe' } })
 */
export async function presignUrl(input: PresignInput): Promise<string> {
  const { protocol, hostname, port, path, origin } = target(input)
  const { HttpRequest, newPresigner } = await signer()
  const presigner = presignerFor(input.credentials, input.region, newPresigner)
  const request = new HttpRequest({
    protocol,
    hostname,
    ...(port === undefined ? {} : { port }),
    method: input.method,
    path,
    query: { ...input.query },
    headers: {},
  })
  const signed = await presigner.presign(request, {
    expiresIn: input.expiresInSeconds,
    ...(input.signingDate === undefined ? {} : { signingDate: input.signingDate }),
    unhoistableHeaders: new Set([KEEP_AS_UNSIGNED_HEADER]),
    unsignableHeaders: new Set([KEEP_AS_UNSIGNED_HEADER]),
  })
  return `${origin}${path}?${teaOrderedQuery(signed.query ?? {})}`
}

// Imported on the first download, not at start-up: the presigner brings most of the S3 client's
// code with it, which a cold start that only serves /s3credentials or /version need not compile.
const signer = lazy(async () => {
  const [{ S3RequestPresigner }, { Sha256Node }, { HttpRequest }] = await Promise.all([
    import('@aws-sdk/s3-request-presigner'),
    import('@smithy/core/checksum'),
    import('@smithy/core/protocols'),
  ])
  return {
    HttpRequest,
    newPresigner: (credentials: AwsCredentialIdentity, region: string) =>
      new S3RequestPresigner({ credentials, region, sha256: Sha256Node }),
  }
})

// One presigner per credentials object and region: SigV4's signing key (four HMACs) is cached
// inside it per day, so a new presigner per URL would derive it again every time. The signing
// credentials object lives for the 10 minutes it is cached, and the WeakMap lets it go after.
const presigners = new WeakMap<AwsCredentialIdentity, Map<string, S3RequestPresigner>>()

function presignerFor(
  credentials: AwsCredentialIdentity,
  region: string,
  newPresigner: (credentials: AwsCredentialIdentity, region: string) => S3RequestPresigner,
): S3RequestPresigner {
  let byRegion = presigners.get(credentials)
  if (byRegion === undefined) {
    byRegion = new Map()
    presigners.set(credentials, byRegion)
  }
  let presigner = byRegion.get(region)
  if (presigner === undefined) {
    presigner = newPresigner(credentials, region)
    byRegion.set(region, presigner)
  }
  return presigner
}

function target(input: PresignInput): {
  protocol: string
  hostname: string
  port: number | undefined
  path: string
  origin: string
} {
  const encodedKey = encodeKey(input.key)
  if (input.endpoint !== undefined) {
    const { protocol, hostname, port, base, origin } = parsedEndpoint(input.endpoint)
    return {
      protocol,
      hostname,
      port,
      path: `${base}/${encodeURIComponent(input.bucket)}/${encodedKey}`,
      origin,
    }
  }
  const hostname =
    input.region === 'us-east-1'
      ? `${input.bucket}.s3.amazonaws.com`
      : `${input.bucket}.s3.${input.region}.amazonaws.com`
  return {
    protocol: 'https:',
    hostname,
    port: undefined,
    path: `/${encodedKey}`,
    origin: `https://${hostname}`,
  }
}

interface ParsedEndpoint {
  readonly protocol: string
  readonly hostname: string
  readonly port: number | undefined
  /** The endpoint's path without trailing slashes. */
  readonly base: string
  readonly origin: string
}

// The endpoint is one configured value (AWS_ENDPOINT_URL_S3): parse it once, not per URL.
const endpoints = new Map<string, ParsedEndpoint>()

function parsedEndpoint(endpoint: string): ParsedEndpoint {
  let parsed = endpoints.get(endpoint)
  if (parsed === undefined) {
    const url = new URL(endpoint)
    parsed = {
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port === '' ? undefined : Number(url.port),
      base: url.pathname.replace(/\/+$/, ''),
      origin: url.origin,
    }
    endpoints.set(endpoint, parsed)
  }
  return parsed
}

/** RFC 3986 encoding of each key segment, `/` kept (TEA: `:`→`%3A`, space→`%20`). */
function encodeKey(key: string): string {
  return key.split('/').map(encodeQuery).join('/')
}

function teaOrderedQuery(query: Readonly<Record<string, string | string[] | null>>): string {
  const names = Object.keys(query)
    .filter((name) => name !== 'X-Amz-Signature')
    .sort()
  names.push('X-Amz-Signature')
  return names
    .map((name) => {
      const value = query[name]
      const text = Array.isArray(value) ? (value[0] ?? '') : (value ?? '')
      return `${encodeQuery(name)}=${encodeQuery(text)}`
    })
    .join('&')
}

// encodeURIComponent leaves these five unencoded; RFC 3986 (and SigV4) encode them.
const RFC3986_EXTRA = /[!'()*]/
const RFC3986_EXTRA_ALL = /[!'()*]/g

function encodeQuery(text: string): string {
  const encoded = encodeURIComponent(text)
  // Most values (the X-Amz-* ones, user ids) have none: skip the replace and its closure.
  if (!RFC3986_EXTRA.test(encoded)) return encoded
  return encoded.replace(RFC3986_EXTRA_ALL, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}
