/** The claims the client uses from an EDL user token. */
export interface JwtClaims {
  /** Expiry in epoch ms (from the `exp` claim, in seconds). */
  readonly expiresAt: number | undefined
  /** The EDL user id (`uid` claim). */
  readonly uid: string | undefined
}

/**
 * Reads `exp` and `uid` from a JWT's payload **without verifying it**. The client only uses
 * them to decide when to renew its own token and to name the user in cache keys; the server
 * verifies the token. Returns `undefined` for anything that is not a JWT (EDL also issues
 * opaque `EDL-…` tokens).
 *
 * @example
 * ```ts
 * readJwtClaims(token)?.expiresAt // 1767225600000
 * ```
 */
export function readJwtClaims(token: string): JwtClaims | undefined {
  const parts = token.split('.')
  if (parts.length !== 3 || parts[1] === undefined || !/^[\w-]+$/.test(parts[1])) return undefined
  let payload: unknown
  try {
    payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'))
  } catch {
    return undefined
  }
  if (typeof payload !== 'object' || payload === null) return undefined
  const { exp, uid } = payload as Record<string, unknown>
  return {
    expiresAt: typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined,
    uid: typeof uid === 'string' && uid.length > 0 ? uid : undefined,
  }
}
