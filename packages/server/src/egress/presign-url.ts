import type { AwsCredentialIdentity } from '@smithy/types'
import { urlSigner } from './url-signer.js'

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

// S3 presigns with an unsigned payload: SigV4 takes the payload hash from this header. It stays a
// header and unsigned, as boto and TEA sign: hoisting it into the query would change every
// signature and URL.
const PAYLOAD_HASH_HEADER = 'x-amz-content-sha256'
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD'
const KEEP_AS_UNSIGNED_HEADER: ReadonlySet<string> = new Set([PAYLOAD_HASH_HEADER])

/**
 * Presigns a GET or HEAD of one object with the AWS SDK's SigV4 signer (`@smithy/signature-v4`,
 * the signer inside `@aws-sdk/s3-request-presigner`, called directly) and returns the URL with
 * TEA's parameter order (the `A-*` parameters, the `X-Amz-*` ones, the signature last).
 * Reproduces TEA's presign test vectors byte for byte, and the presigner's URLs (see the unit
 * tests).
 *
 * @example
 * await presignUrl({ credentials, region: 'us-west-2', bucket: 'b', key: 'a/b.nc', method: 'GET',
 *   expiresInSeconds: 3540, query: { 'A-userid': 'jdoe' } })
 */
export async function presignUrl(input: PresignInput): Promise<string> {
  const { protocol, hostname, port, path, origin } = target(input)
  const signer = await urlSigner(input.credentials, encodeQuery)
  // What S3RequestPresigner.presign adds before it calls the same signer: the host header (with
  // the port when there is one) and the unsigned-payload marker. The S3 client and its
  // middleware stack have no part in a presign of a URL we build ourselves.
  const signed = await signer.sigv4.presign(
    {
      protocol,
      hostname,
      ...(port === undefined ? {} : { port }),
      method: input.method,
      path,
      query: { ...input.query },
      headers: {
        host: port === undefined ? hostname : `${hostname}:${port}`,
        [PAYLOAD_HASH_HEADER]: UNSIGNED_PAYLOAD,
      },
    },
    {
      expiresIn: input.expiresInSeconds,
      signingRegion: input.region,
      ...(input.signingDate === undefined ? {} : { signingDate: input.signingDate }),
      unhoistableHeaders: KEEP_AS_UNSIGNED_HEADER as Set<string>,
      unsignableHeaders: KEEP_AS_UNSIGNED_HEADER as Set<string>,
    },
  )
  return `${origin}${path}?${teaOrderedQuery(signed.query ?? {}, signer.encodedSessionToken)}`
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

const SIGNATURE = 'X-Amz-Signature'
const SESSION_TOKEN = 'X-Amz-Security-Token'

function teaOrderedQuery(
  query: Readonly<Record<string, string | string[] | null>>,
  /** The session token, already encoded: the longest value, the same in every URL. */
  encodedSessionToken: string | undefined,
): string {
  let text = ''
  for (const name of Object.keys(query).sort()) {
    if (name === SIGNATURE) continue
    if (name === SESSION_TOKEN && encodedSessionToken !== undefined) {
      text += `${SESSION_TOKEN}=${encodedSessionToken}&`
      continue
    }
    text += `${encodeQuery(name)}=${encodeQuery(firstValue(query[name]))}&`
  }
  return `${text}${SIGNATURE}=${encodeQuery(firstValue(query[SIGNATURE]))}`
}

function firstValue(value: string | string[] | null | undefined): string {
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '')
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
