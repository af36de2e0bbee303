import {
  createRemoteJWKSet,
  customFetch,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  jwtVerify,
} from 'jose'
import type { JWSHeaderParameters } from 'jose'
import {
  AppError,
  InvalidTokenError,
  UpstreamFailedError,
  UpstreamTimeoutError,
} from '../errors.js'

/** What a verified EDL user token tells us before we ask EDL for the profile. */
export interface VerifiedEdlToken {
  readonly uid: string
  /** `exp`, epoch seconds. */
  readonly expiresAt: number
}

export interface EdlTokenVerifier {
  /**
   * Verifies an EDL user token locally: RS256 signature against EDL's JWKS, `exp`, a `uid`.
   * Rejects with InvalidToken, or UpstreamFailed/UpstreamTimeout when the JWKS cannot be had.
   */
  verify(token: string): Promise<VerifiedEdlToken>
}

export interface EdlTokenVerifierOptions {
  /** EDL_JWKS_URL. */
  readonly jwksUrl: string
  readonly fetch: typeof globalThis.fetch
  /** Clock in epoch milliseconds. */
  readonly now: () => number
  /** Least time between two JWKS fetches caused by an unknown key id. Default: 30_000. */
  readonly cooldownMs?: number
  /** How long fetched keys are trusted before a refetch. Default: 600_000. */
  readonly cacheMaxAgeMs?: number
  /** JWKS request timeout. Default: 5_000. */
  readonly timeoutMs?: number
}

/**
 * Local verification of EDL bearer tokens, so forged, expired and malformed tokens are refused
 * without calling EDL. Cheap checks (shape, `alg`, `uid`, `exp`) run before any key lookup;
 * the JWKS is cached and refetched on an unknown key id at most once per cooldown. EDL names the
 * key in the non-standard header `sig` instead of `kid`; both are honoured.
 *
 * @example
 * const verifier = createEdlTokenVerifier({ jwksUrl: config.edlJwksUrl, fetch, now: Date.now })
 * const { uid } = await verifier.verify(token)
 */
export function createEdlTokenVerifier(options: EdlTokenVerifierOptions): EdlTokenVerifier {
  const jwksUrl = new URL(options.jwksUrl)
  // Made on first use: jose creates a Headers object here, and the first one loads Node's fetch
  // (undici), which a Lambda cold start that sees no bearer token need not pay for.
  let jwksSet: ReturnType<typeof createRemoteJWKSet> | undefined
  const jwks = (header: JWSHeaderParameters) =>
    (jwksSet ??= createRemoteJWKSet(jwksUrl, {
      cooldownDuration: options.cooldownMs ?? 30_000,
      cacheMaxAge: options.cacheMaxAgeMs ?? 600_000,
      timeoutDuration: options.timeoutMs ?? 5_000,
      [customFetch]: (url, init) => options.fetch(url, init),
    }))(header)
  const getKey = async (header: JWSHeaderParameters): Promise<Awaited<ReturnType<typeof jwks>>> => {
    const keyId =
      typeof header.kid === 'string'
        ? header.kid
        : typeof header.sig === 'string'
          ? header.sig
          : undefined
    try {
      return await jwks(keyId === undefined ? header : { ...header, kid: keyId })
    } catch (err) {
      throw jwksError(err)
    }
  }
  return {
    async verify(token) {
      const claims = precheck(token, options.now())
      try {
        await jwtVerify(token, getKey, {
          algorithms: ['RS256'],
          currentDate: new Date(options.now()),
          requiredClaims: ['exp'],
        })
      } catch (err) {
        if (err instanceof AppError) throw err
        throw new InvalidTokenError({ cause: err })
      }
      return claims
    },
  }
}

/** Shape, algorithm, `uid` and `exp`, from the unverified token: no network needed to refuse. */
function precheck(token: string, nowMs: number): VerifiedEdlToken {
  let alg: unknown
  let claims: Record<string, unknown>
  try {
    alg = decodeProtectedHeader(token).alg
    claims = decodeJwt(token)
  } catch (err) {
    throw new InvalidTokenError({ cause: err })
  }
  const { uid, exp } = claims
  if (
    alg !== 'RS256' ||
    typeof uid !== 'string' ||
    uid === '' ||
    typeof exp !== 'number' ||
    exp * 1000 <= nowMs
  ) {
    throw new InvalidTokenError()
  }
  return { uid, expiresAt: exp }
}

function jwksError(err: unknown): AppError {
  if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) {
    return new InvalidTokenError({ cause: err })
  }
  if (err instanceof errors.JWKSTimeout)
    return new UpstreamTimeoutError('EDL key set did not arrive in time', { cause: err })
  return new UpstreamFailedError('EDL key set could not be fetched', { cause: err })
}
