import { SignJWT, jwtVerify } from 'jose'
import {
  assertRsaKeyPair,
  looksLikeAsymmetricKey,
  parsePrivateKey,
  parsePublicKey,
} from './key-text.js'
import { toGroups } from './user-profile.js'
import type { UserProfile } from './user-profile.js'
import type { KeyObject } from 'node:crypto'

/** The JWT algorithms TEA's CloudFormation allows for the session cookie. */
export type JwtAlgorithm = 'RS256' | 'HS256'

export interface SessionCodecOptions {
  readonly algorithm: JwtAlgorithm
  /** Decoded `rsa_pub_key`: PEM (SPKI or PKCS#1) or OpenSSH `ssh-rsa`; the HMAC secret for HS256. */
  readonly publicKey: string
  /** Decoded `rsa_priv_key`: PEM PKCS#1 or PKCS#8; the HMAC secret for HS256. */
  readonly privateKey: string
  /** Session lifetime in whole seconds, TEA's `int(SESSION_TTL_HRS * 3600)`. */
  readonly ttlSeconds: number
  /** Clock in epoch milliseconds. Default: `Date.now`. */
  readonly now?: () => number
}

/** A verified session cookie. */
export interface Session {
  readonly user: UserProfile
  /** `iat`, epoch seconds. */
  readonly issuedAt: number
  /** `exp`, epoch seconds. */
  readonly expiresAt: number
}

export interface MintedSession {
  readonly token: string
  readonly expiresAt: number
}

export interface SessionCodec {
  /** Signs TEA's cookie claims for `user`, valid from now for the configured TTL. */
  mint(user: UserProfile): Promise<MintedSession>
  /**
   * Verifies signature (algorithm pinned), `exp` and the claim shapes. Anything wrong (malformed,
   * `alg: none`, another algorithm, wrong key, expired) gives `null`, never an exception.
   */
  verify(token: string): Promise<Session | null>
}

/**
 * Mints and verifies TEA's `asf-urs` JWT, interoperable with TEA (PyJWT): header
 * `{alg, typ: "JWT"}` and TEA's exact claims. Keys are parsed here, once; bad keys are a
 * TypeError (config validation turns it into a ConfigError).
 *
 * @example
 * const codec = createSessionCodec({ algorithm: 'RS256', publicKey, privateKey, ttlSeconds: 86_400 })
 * const { token } = await codec.mint(user)
 * const session = await codec.verify(token) // Session | null
 */
export function createSessionCodec(options: SessionCodecOptions): SessionCodec {
  const { algorithm, ttlSeconds } = options
  const now = options.now ?? Date.now
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0)
    throw new TypeError('ttlSeconds must be a positive integer')
  const keys = prepareKeys(options)
  return {
    async mint(user) {
      const iat = Math.floor(now() / 1000)
      const exp = iat + ttlSeconds
      const token = await new SignJWT({ ...sessionClaims(user), iat, exp })
        .setProtectedHeader({ alg: algorithm, typ: 'JWT' })
        .sign(keys.sign)
      return { token, expiresAt: exp }
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, keys.verify, {
          algorithms: [algorithm],
          currentDate: new Date(now()),
          requiredClaims: ['exp', 'iat'],
        })
        return fromClaims(payload)
      } catch {
        return null
      }
    },
  }
}

function prepareKeys(options: SessionCodecOptions): {
  sign: KeyObject | Uint8Array
  verify: KeyObject | Uint8Array
} {
  if (options.algorithm === 'RS256') {
    const pair = {
      sign: parsePrivateKey(options.privateKey),
      verify: parsePublicKey(options.publicKey),
    }
    assertRsaKeyPair(pair.sign, pair.verify)
    return pair
  }
  // PyJWT refuses asymmetric keys as HMAC secrets; so do we (the key-confusion attack).
  if (looksLikeAsymmetricKey(options.privateKey) || looksLikeAsymmetricKey(options.publicKey)) {
    throw new TypeError('HS256 needs a shared secret, not an RSA or SSH key')
  }
  if (options.privateKey !== options.publicKey) {
    throw new TypeError(
      'HS256 signs and verifies with one secret: rsa_priv_key and rsa_pub_key must be equal',
    )
  }
  const secret = new TextEncoder().encode(options.privateKey)
  if (secret.length < 32) throw new TypeError('the HS256 secret must be at least 32 bytes')
  return { sign: secret, verify: secret }
}

/** The cookie's claims (TEA's names) for a user, without `iat` and `exp`. */
export function sessionClaims(user: UserProfile): Record<string, unknown> {
  return {
    'urs-user-id': user.userId,
    first_name: user.firstName,
    last_name: user.lastName,
    email: user.email,
    'urs-access-token': user.accessToken,
    'urs-groups': user.groups,
  }
}

function fromClaims(claims: Record<string, unknown>): Session | null {
  const userId = claims['urs-user-id']
  const token = claims['urs-access-token']
  const { iat, exp } = claims
  if (typeof userId !== 'string' || userId === '' || typeof token !== 'string') return null
  if (typeof iat !== 'number' || typeof exp !== 'number') return null
  return {
    user: {
      userId,
      firstName: optionalText(claims.first_name),
      lastName: optionalText(claims.last_name),
      email: optionalText(claims.email),
      groups: toGroups(claims['urs-groups']),
      accessToken: token,
    },
    issuedAt: iat,
    expiresAt: exp,
  }
}

function optionalText(value: unknown): string {
  return typeof value === 'string' ? value : ''
}
