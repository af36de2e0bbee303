import { S3CredentialsResponseError } from './errors.js'
import { parseExpiration } from './parse-expiration.js'

/** Credentials as parsed from one `/s3credentials` response, with a local-clock expiry. */
export interface S3Credentials {
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly sessionToken: string
  /** Expiry in epoch ms on the *local* clock (corrected for the server's clock). */
  readonly expiresAt: number
  /** Lifetime the server granted (`expiration` − server time), in ms. */
  readonly ttlMs: number
}

export interface ParseS3CredentialsContext {
  /** Local clock (epoch ms) when the response arrived. */
  readonly receivedAt: number
  /** The response's `Date` header in epoch ms, when present and valid. */
  readonly serverDate: number | undefined
}

/** STS sessions last at most 12 hours; anything longer means a broken clock or server. */
export const MAX_TTL_MS = 12 * 3_600_000 + 5 * 60_000

const FIELDS = ['accessKeyId', 'secretAccessKey', 'sessionToken', 'expiration'] as const

function invalid(reason: string): never {
  throw new S3CredentialsResponseError(
    `The credentials endpoint answered 200 but the body is not S3 credentials: ${reason}. ` +
      'Expected JSON {accessKeyId, secretAccessKey, sessionToken, expiration}.',
  )
}

/**
 * Narrows an untrusted `/s3credentials` body. The four fields must be non-empty strings (extra
 * fields are ignored so a server may add some). The expiry is moved onto the local clock:
 * `ttl = expiration − Date header` (or − `receivedAt` without one) and `expiresAt = receivedAt +
 * ttl`, so a client whose clock is off by minutes still refreshes on time. Error messages name
 * fields, never their values.
 *
 * @throws S3CredentialsResponseError (`ERR_INVALID_RESPONSE`)
 */
export function parseS3Credentials(body: unknown, ctx: ParseS3CredentialsContext): S3Credentials {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) invalid('not an object')
  const record = body as Record<string, unknown>
  for (const field of FIELDS) {
    const value = record[field]
    if (typeof value !== 'string') invalid(`"${field}" is missing or not a string`)
    if (value.length === 0) invalid(`"${field}" is empty`)
  }
  const { accessKeyId, secretAccessKey, sessionToken, expiration } = record as Record<
    (typeof FIELDS)[number],
    string
  >
  const expiresAtServer = parseExpiration(expiration)
  if (expiresAtServer === undefined) invalid('"expiration" is not a timestamp with a time zone')
  const ttlMs = expiresAtServer - (ctx.serverDate ?? ctx.receivedAt)
  if (ttlMs <= 0) invalid('"expiration" is not after the response\'s Date')
  if (ttlMs > MAX_TTL_MS) invalid('"expiration" is more than 12 hours after the response\'s Date')
  return { accessKeyId, secretAccessKey, sessionToken, expiresAt: ctx.receivedAt + ttlMs, ttlMs }
}
