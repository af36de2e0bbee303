import {
  SignJWT,
  errors,
  exportJWK,
  generateKeyPair,
  importJWK,
  importPKCS8,
  jwtVerify,
} from 'jose'
import type { JSONWebKeySet, JWK, JWTPayload } from 'jose'
import { createPublicKey } from 'node:crypto'

/** Claims of an EDL token, in the order EDL writes them (`exp`, `iat`, `iss` are added). */
export type TokenClaims = Readonly<Record<string, string | number>>

export type VerifyResult =
  | { readonly ok: true; readonly claims: JWTPayload }
  | { readonly ok: false; readonly reason: 'malformed' | 'expired' }

/** Signs and verifies EDL-style RS256 JWTs with one key pair. */
export interface JwtSigner {
  /** Signs `claims` with `iat` = now and `exp` = `expiresAt` (epoch seconds, may be past). */
  sign(claims: TokenClaims, expiresAt: number): Promise<string>
  /** Checks signature, algorithm, issuer and expiry against the injected clock. */
  verify(token: string): Promise<VerifyResult>
  /** The public key set published at `/.well-known/edl_ops_jwks.json`. */
  readonly jwks: JSONWebKeySet
}

export interface JwtSignerOptions {
  readonly issuer: string
  readonly keyId: string
  /** Clock in epoch milliseconds. */
  readonly now: () => number
  /**
   * A PKCS#8 PEM RSA private key. Default: a 2048-bit key pair generated once per process and
   * shared by every signer without its own key (RSA generation costs ~0.3–1 s per instance).
   */
  readonly privateKeyPem?: string
}

/**
 * Creates the signer. EDL puts its key id in the non-standard `sig` header and no `kid`, so
 * verifiers have to pick the key by `sig` (or know it); the JWKS still carries `kid`.
 *
 * @example
 * const signer = await createJwtSigner({ issuer: 'https://urs.earthdata.nasa.gov', keyId: 'edljwtpubkey_ops', now: Date.now })
 */
export async function createJwtSigner(options: JwtSignerOptions): Promise<JwtSigner> {
  const { issuer, keyId, now } = options
  const { privateKey, publicJwk } = await loadKeys(options.privateKeyPem)
  const publicKey = await importPublic(publicJwk)
  const jwks: JSONWebKeySet = {
    keys: [{ ...publicJwk, kid: keyId, alg: 'RS256', use: 'sig' }],
  }
  return {
    jwks,
    sign: (claims, expiresAt) =>
      new SignJWT({ ...claims, exp: expiresAt, iat: Math.floor(now() / 1000), iss: issuer })
        .setProtectedHeader({ typ: 'JWT', origin: 'Earthdata Login', sig: keyId, alg: 'RS256' })
        .sign(privateKey),
    verify: async (token) => {
      try {
        const { payload } = await jwtVerify(token, publicKey, {
          algorithms: ['RS256'],
          issuer,
          currentDate: new Date(now()),
        })
        return { ok: true, claims: payload }
      } catch (err) {
        return { ok: false, reason: err instanceof errors.JWTExpired ? 'expired' : 'malformed' }
      }
    },
  }
}

type Key = Awaited<ReturnType<typeof importPKCS8>>
type KeyMaterial = { privateKey: Key; publicJwk: JWK }

let processKeys: Promise<KeyMaterial> | undefined

async function generateKeys(): Promise<KeyMaterial> {
  const pair = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true })
  return { privateKey: pair.privateKey, publicJwk: await exportJWK(pair.publicKey) }
}

async function loadKeys(pem: string | undefined): Promise<KeyMaterial> {
  if (pem === undefined) {
    processKeys ??= generateKeys().catch((err: unknown) => {
      processKeys = undefined
      throw err
    })
    return processKeys
  }
  const privateKey = await importPKCS8(pem, 'RS256')
  const publicJwk = createPublicKey(pem).export({ format: 'jwk' })
  return { privateKey, publicJwk: { kty: publicJwk.kty ?? 'RSA', n: publicJwk.n, e: publicJwk.e } }
}

async function importPublic(jwk: JWK): Promise<Key> {
  const key = await importJWK({ ...jwk, alg: 'RS256' }, 'RS256')
  if (key instanceof Uint8Array) throw new TypeError('expected an RSA public key')
  return key
}
