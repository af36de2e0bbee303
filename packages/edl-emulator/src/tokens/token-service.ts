import type { JwtSigner, TokenClaims } from './jwt-signer.js'

/** Where a token came from; only `user-api` tokens count towards the per-user cap. */
export type TokenSource = 'oauth' | 'user-api' | 'minted' | 'app'

/** A token the emulator issued, tracked so it can be listed and revoked. */
export interface IssuedToken {
  readonly jti: string
  readonly token: string
  readonly type: 'User' | 'App'
  /** The user (User tokens) or undefined (App tokens). */
  readonly uid: string | undefined
  readonly clientId: string | undefined
  /** `exp` claim, epoch seconds. */
  readonly exp: number
  readonly source: TokenSource
}

export type TokenCheck =
  | { readonly ok: true; readonly token: IssuedToken }
  | { readonly ok: false; readonly reason: 'malformed' | 'expired' | 'revoked' }

export interface TokenService {
  issueAccessToken(uid: string, clientId: string): Promise<IssuedToken>
  issueAppToken(clientId: string): Promise<IssuedToken>
  /** A User token outside the cap, possibly already expired (`expiresInSeconds` ≤ 0). */
  mintUserToken(uid: string, expiresInSeconds: number, clientId?: string): Promise<IssuedToken>
  /** A user-API token, or undefined when the user already holds `maxUserTokens` valid ones. */
  createUserToken(uid: string): Promise<IssuedToken | undefined>
  findOrCreateUserToken(uid: string): Promise<IssuedToken>
  /** The user's valid user-API tokens, latest expiry first. */
  listUserTokens(uid: string): IssuedToken[]
  /** Revokes one of `uid`'s tokens; false when `token` is not a live token of that user. */
  revoke(uid: string, token: string): boolean
  issueRefreshToken(uid: string, clientId: string): string
  redeemRefreshToken(refreshToken: string, clientId: string): { uid: string } | undefined
  check(token: string): Promise<TokenCheck>
}

export interface TokenServiceOptions {
  readonly signer: JwtSigner
  readonly now: () => number
  readonly randomId: () => string
  /** Lifetime of OAuth and app access tokens. Default: 3600 (1 hour). */
  readonly accessTokenTtlSeconds?: number
  /** Lifetime of user-API tokens. Default: 5_184_000 (60 days, EDL's documented value). */
  readonly userTokenTtlSeconds?: number
  /** Valid user-API tokens per user. Default: 2 (EDL's documented cap). */
  readonly maxUserTokens?: number
}

// EDL user tokens carry these claims (seen in TEA's test fixtures).
const USER_CLAIMS = { identity_provider: 'edl_ops', acr: 'edl', assurance_level: 3 }

/**
 * Issues, tracks, checks and revokes the emulator's tokens. Every token carries a `jti`
 * (EDL's do not), so two tokens minted in the same second stay distinct and revocable.
 *
 * @example
 * const tokens = createTokenService({ signer, now: Date.now, randomId: () => randomUUID() })
 */
export function createTokenService(options: TokenServiceOptions): TokenService {
  const { signer, now, randomId } = options
  const accessTtl = options.accessTokenTtlSeconds ?? 3600
  const userTtl = options.userTokenTtlSeconds ?? 60 * 86_400
  const maxUserTokens = options.maxUserTokens ?? 2
  const byJti = new Map<string, IssuedToken>()
  const byToken = new Map<string, IssuedToken>()
  const revoked = new Set<string>()
  const refreshTokens = new Map<string, { uid: string; clientId: string }>()
  const nowSeconds = (): number => Math.floor(now() / 1000)
  const live = (t: IssuedToken): boolean => t.exp > nowSeconds() && !revoked.has(t.jti)

  const sign = async (
    fields: Omit<IssuedToken, 'jti' | 'token'>,
    extra: TokenClaims,
  ): Promise<IssuedToken> => {
    const jti = randomId()
    const claims: Record<string, string | number> = { type: fields.type }
    if (fields.uid !== undefined) claims.uid = fields.uid
    if (fields.clientId !== undefined) claims.client_id = fields.clientId
    const token = await signer.sign({ ...claims, ...extra, jti }, fields.exp)
    return { ...fields, jti, token }
  }
  const remember = (issued: IssuedToken): IssuedToken => {
    if (byJti.size >= 10_000) sweep()
    byJti.set(issued.jti, issued)
    byToken.set(issued.token, issued)
    return issued
  }
  const sweep = (): void => {
    for (const t of byJti.values()) {
      if (t.exp <= nowSeconds()) {
        byJti.delete(t.jti)
        byToken.delete(t.token)
        revoked.delete(t.jti)
      }
    }
  }
  const userToken = (uid: string, ttl: number, source: TokenSource, clientId?: string) =>
    sign({ type: 'User', uid, clientId, exp: nowSeconds() + ttl, source }, USER_CLAIMS)
  const listUserTokens = (uid: string): IssuedToken[] =>
    [...byJti.values()]
      .filter((t) => t.uid === uid && t.source === 'user-api' && live(t))
      .sort((a, b) => b.exp - a.exp)
  const createUserToken = async (uid: string): Promise<IssuedToken | undefined> => {
    const issued = await userToken(uid, userTtl, 'user-api')
    // Checked after signing, with no await in between, so concurrent creates cannot exceed the cap.
    return listUserTokens(uid).length >= maxUserTokens ? undefined : remember(issued)
  }

  return {
    issueAccessToken: async (uid, clientId) =>
      remember(await userToken(uid, accessTtl, 'oauth', clientId)),
    issueAppToken: async (clientId) =>
      remember(
        await sign(
          { type: 'App', uid: undefined, clientId, exp: nowSeconds() + accessTtl, source: 'app' },
          {},
        ),
      ),
    mintUserToken: async (uid, expiresInSeconds, clientId) =>
      remember(await userToken(uid, expiresInSeconds, 'minted', clientId)),
    createUserToken,
    findOrCreateUserToken: async (uid) => {
      const existing = listUserTokens(uid)[0]
      if (existing !== undefined) return existing
      // A concurrent create may have filled the cap meanwhile; then one of its tokens exists.
      const created = (await createUserToken(uid)) ?? listUserTokens(uid)[0]
      if (created === undefined) throw new Error('no user token could be created')
      return created
    },
    listUserTokens,
    revoke: (uid, token) => {
      const issued = byToken.get(token)
      if (issued === undefined || issued.uid !== uid || !live(issued)) return false
      revoked.add(issued.jti)
      return true
    },
    issueRefreshToken: (uid, clientId) => {
      const refreshToken = randomId()
      refreshTokens.set(refreshToken, { uid, clientId })
      return refreshToken
    },
    redeemRefreshToken: (refreshToken, clientId) => {
      const grant = refreshTokens.get(refreshToken)
      return grant !== undefined && grant.clientId === clientId ? { uid: grant.uid } : undefined
    },
    check: async (token) => {
      const verified = await signer.verify(token)
      if (!verified.ok) return verified
      const jti = verified.claims.jti
      const issued = typeof jti === 'string' ? byJti.get(jti) : undefined
      if (issued === undefined || issued.token !== token) return { ok: false, reason: 'malformed' }
      if (revoked.has(issued.jti)) return { ok: false, reason: 'revoked' }
      return { ok: true, token: issued }
    },
  }
}
