import { LRUCache } from 'lru-cache'
import { InvalidTokenError, MalformedAuthorizationError } from '../errors.js'
import { isBrowser } from './authorize-url.js'
import type { BearerAuthenticator } from './bearer.js'
import type { Blacklist } from './blacklist.js'
import { readCookie } from './cookies.js'
import type { AuxHeaders } from './edl-client.js'
import type { Session, SessionCodec } from './session.js'
import type { UserProfile } from './user-profile.js'

/** The parts of a request authentication looks at. */
export interface AuthRequest {
  readonly cookieHeader: string | undefined
  readonly authorization: string | undefined
  readonly userAgent: string | undefined
  readonly aux: AuxHeaders
}

export type AuthOutcome =
  | { readonly kind: 'user'; readonly user: UserProfile; readonly via: 'cookie' | 'bearer' }
  /** Not authenticated: send the caller to EDL's authorize page. */
  | { readonly kind: 'login' }

export interface Authenticator {
  /** The session in the cookie, or null if absent, invalid, expired or blacklisted. */
  readSession(cookieHeader: string | undefined): Promise<Session | null>
  /**
   * TEA's decision tree (RequestAuthorizer in its app.py): cookie, then `Authorization: Bearer`, else login. Rejects with
   * MalformedAuthorization (fewer than two parts, or more for Bearer), InvalidToken (non-browsers only; browsers
   * are sent to login as TEA does), or the bearer flow's EDL errors.
   */
  authenticate(request: AuthRequest): Promise<AuthOutcome>
  /**
   * The user of a cookie already verified, unexpired and known not to be revoked, answered
   * without waiting; undefined when that cannot be said at once (call `authenticate`).
   */
  rememberedUser(cookieHeader: string | undefined): UserProfile | undefined
}

export interface AuthenticatorOptions {
  readonly codec: SessionCodec
  readonly blacklist: Blacklist
  readonly bearer: BearerAuthenticator
  /** JWT_COOKIENAME */
  readonly cookieName: string
  /** Clock in epoch milliseconds. */
  readonly now: () => number
  /** How many verified cookies to remember. Default: 5000. */
  readonly verifiedCacheSize?: number
}

/** A cookie that verified, by the exact token text. */
interface VerifiedToken {
  readonly token: string
  readonly session: Session
}

/** How much of a token's end keys the verified cache (an RS256 signature is 342 characters). */
const CACHE_KEY_CHARS = 32

/**
 * Framework-free authentication: the Fastify preHandler only translates its outcome to HTTP.
 *
 * @example
 * const auth = createAuthenticator({ codec, blacklist, bearer, cookieName: 'asf-urs' })
 * const outcome = await auth.authenticate({ cookieHeader, authorization, userAgent, aux: {} })
 */
export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  // An RS256 verify is most of a cookie-authenticated request's CPU (jose: ~110 us), and a
  // client repeats the same cookie on every call. Only tokens that verified are remembered;
  // `exp` and the blacklist are still checked on every request.
  const verified = new LRUCache<string, VerifiedToken>({ max: options.verifiedCacheSize ?? 5000 })
  /** A remembered, unexpired session for `token`; null when it expired; undefined: not known. */
  const remembered = (token: string): Session | null | undefined => {
    // Looked up by the token's last characters (its signature's), then compared in full:
    // hashing the whole ~1 kB token as a map key cost ~1 us per request. A tail shared by two
    // tokens only costs a verify; a hit needs the exact text.
    const key = token.slice(-CACHE_KEY_CHARS)
    const entry = verified.get(key)
    if (entry === undefined || entry.token !== token) return undefined
    if (entry.session.expiresAt * 1000 <= options.now()) {
      verified.delete(key)
      return null
    }
    return entry.session
  }
  const readSession = async (cookieHeader: string | undefined): Promise<Session | null> => {
    const token = readCookie(cookieHeader, options.cookieName)
    if (token === undefined || token === '') return null
    let session = remembered(token)
    if (session === null) return null
    if (session === undefined) {
      const fresh = await options.codec.verify(token)
      if (fresh === null) return null
      verified.set(token.slice(-CACHE_KEY_CHARS), { token, session: fresh })
      session = fresh
    }
    return (await options.blacklist.isRevoked(session.user.userId, session.issuedAt))
      ? null
      : session
  }
  /**
   * `readSession` without waiting, when it can be answered so (a remembered cookie and a
   * blacklist already at hand): the session, or null. Undefined: call `readSession`.
   */
  const readSessionNow = (cookieHeader: string | undefined): Session | null | undefined => {
    const token = readCookie(cookieHeader, options.cookieName)
    if (token === undefined || token === '') return null
    const session = remembered(token)
    if (session === null || session === undefined) return session
    const revoked = options.blacklist.isRevokedNow?.(session.user.userId, session.issuedAt)
    return revoked === undefined ? undefined : revoked ? null : session
  }
  /** The cookie (unless already known not to hold a session), then the bearer token. */
  const authenticateAsync = async (
    request: AuthRequest,
    checkCookie: boolean,
  ): Promise<AuthOutcome> => {
    const session = checkCookie ? await readSession(request.cookieHeader) : null
    if (session !== null) return { kind: 'user', user: session.user, via: 'cookie' }
    if (request.authorization === undefined || request.authorization === '')
      return { kind: 'login' }
    const [scheme, token, ...rest] = request.authorization.trim().split(/\s+/)
    if (scheme === undefined || token === undefined) throw new MalformedAuthorizationError()
    // TEA leaves other schemes (Basic) to EDL: scripts get app_type=401 and log in there.
    if (scheme.toLowerCase() !== 'bearer') return { kind: 'login' }
    // `Bearer <token> junk`: not a token (RFC 6750 b64token has no spaces), so say so.
    if (rest.length > 0) throw new MalformedAuthorizationError()
    try {
      return {
        kind: 'user',
        user: await options.bearer.authenticate(token, request.aux),
        via: 'bearer',
      }
    } catch (err) {
      if (err instanceof InvalidTokenError && isBrowser(request.userAgent)) return { kind: 'login' }
      throw err
    }
  }
  return {
    readSession,
    rememberedUser(cookieHeader) {
      const session = readSessionNow(cookieHeader)
      return session ? session.user : undefined
    },
    authenticate(request) {
      // A repeat caller's cookie is answered without async steps (one promise, not four).
      const session = readSessionNow(request.cookieHeader)
      if (session) return Promise.resolve({ kind: 'user', user: session.user, via: 'cookie' })
      return authenticateAsync(request, session === undefined)
    },
  }
}
