import { InvalidToken, MalformedAuthorization } from '../errors.js'
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
   * TEA's decision tree (§3): cookie, then `Authorization: Bearer`, else login. Rejects with
   * MalformedAuthorization (fewer than two parts), InvalidToken (non-browsers only; browsers
   * are sent to login as TEA does), or the bearer flow's EDL errors.
   */
  authenticate(request: AuthRequest): Promise<AuthOutcome>
}

export interface AuthenticatorOptions {
  readonly codec: SessionCodec
  readonly blacklist: Blacklist
  readonly bearer: BearerAuthenticator
  /** JWT_COOKIENAME */
  readonly cookieName: string
}

/**
 * Framework-free authentication: the Fastify preHandler only translates its outcome to HTTP.
 *
 * @example
 * const auth = createAuthenticator({ codec, blacklist, bearer, cookieName: 'asf-urs' })
 * const outcome = await auth.authenticate({ cookieHeader, authorization, userAgent, aux: {} })
 */
export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const readSession = async (cookieHeader: string | undefined): Promise<Session | null> => {
    const token = readCookie(cookieHeader, options.cookieName)
    if (token === undefined || token === '') return null
    const session = await options.codec.verify(token)
    if (session === null) return null
    return (await options.blacklist.isRevoked(session.user.userId, session.issuedAt))
      ? null
      : session
  }
  return {
    readSession,
    async authenticate(request) {
      const session = await readSession(request.cookieHeader)
      if (session !== null) return { kind: 'user', user: session.user, via: 'cookie' }
      if (request.authorization === undefined || request.authorization === '')
        return { kind: 'login' }
      const [scheme, token] = request.authorization.trim().split(/\s+/)
      if (scheme === undefined || token === undefined) throw new MalformedAuthorization()
      // TEA leaves other schemes (Basic) to EDL: scripts get app_type=401 and log in there.
      if (scheme.toLowerCase() !== 'bearer') return { kind: 'login' }
      try {
        return {
          kind: 'user',
          user: await options.bearer.authenticate(token, request.aux),
          via: 'bearer',
        }
      } catch (err) {
        if (err instanceof InvalidToken && isBrowser(request.userAgent)) return { kind: 'login' }
        throw err
      }
    },
  }
}
