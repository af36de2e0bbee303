import { createHash } from 'node:crypto'
import { LRUCache } from 'lru-cache'
import type { AuxHeaders, EdlClient } from './edl-client.js'
import type { EdlTokenVerifier } from './edl-token-verifier.js'
import type { UserProfile } from './user-profile.js'

export interface BearerAuthenticator {
  /**
   * The user behind an EDL bearer token: verified locally, then the profile from EDL (cached).
   * Rejects with InvalidToken, EulaNotAccepted, EdlRejected or an Upstream* error.
   */
  authenticate(token: string, aux?: AuxHeaders): Promise<UserProfile>
}

export interface BearerAuthenticatorOptions {
  readonly verifier: EdlTokenVerifier
  readonly edl: EdlClient
  /** Clock in epoch milliseconds. */
  readonly now: () => number
  /** How long a fetched profile is reused for the same token. Default: 60_000 (TEA's 60 s). */
  readonly cacheTtlMs?: number
  /** Most tokens remembered at once. Default: 1_000. */
  readonly maxEntries?: number
}

/**
 * TEA's bearer flow (get_profile_with_jwt_bearer) with local verification first. Only successes are cached, keyed by
 * a SHA-256 of the token (the token itself is never kept as a key), and never beyond the
 * token's own `exp`; EULA refusals and errors are not cached, so a user who just accepted the
 * EULA is not held back, and no cached redirect can carry another request's `state`.
 *
 * @example
 * const bearer = createBearerAuthenticator({ verifier, edl, now: Date.now })
 * const user = await bearer.authenticate(token, { 'x-request-id': request.id })
 */
export function createBearerAuthenticator(
  options: BearerAuthenticatorOptions,
): BearerAuthenticator {
  const ttlMs = options.cacheTtlMs ?? 60_000
  const cache = new LRUCache<string, { user: UserProfile; until: number }>({
    max: options.maxEntries ?? 1_000,
  })
  return {
    async authenticate(token, aux) {
      const { uid, expiresAt } = await options.verifier.verify(token)
      const key = createHash('sha256').update(token).digest('base64url')
      const now = options.now()
      const hit = cache.get(key)
      if (hit !== undefined && now < hit.until) return hit.user
      const edlUser = await options.edl.getProfile({ userId: uid, token }, aux)
      const user: UserProfile = {
        userId: uid,
        firstName: edlUser.firstName,
        lastName: edlUser.lastName,
        email: edlUser.email,
        groups: edlUser.groups,
        accessToken: token,
      }
      cache.set(key, { user, until: Math.min(now + ttlMs, expiresAt * 1000) })
      return user
    },
  }
}
