/** What an authorization code stands for. */
export interface CodeGrant {
  readonly uid: string
  readonly clientId: string
  readonly redirectUri: string
}

export interface AuthorizationCodes {
  issue(grant: CodeGrant): string
  /**
   * Redeems a code once: the grant if it exists, has not expired and was issued to
   * `clientId` for `redirectUri`, else undefined. Any attempt consumes the code.
   */
  redeem(code: string, clientId: string, redirectUri: string | undefined): CodeGrant | undefined
}

export interface AuthorizationCodesOptions {
  readonly now: () => number
  readonly randomId: () => string
  /** Default: 60_000 (60 s). */
  readonly ttlMs?: number
}

/**
 * Single-use, short-lived OAuth authorization codes.
 *
 * @example
 * const codes = createAuthorizationCodes({ now: Date.now, randomId: () => randomUUID() })
 */
export function createAuthorizationCodes(options: AuthorizationCodesOptions): AuthorizationCodes {
  const { now, randomId } = options
  const ttlMs = options.ttlMs ?? 60_000
  const codes = new Map<string, CodeGrant & { expiresAt: number }>()
  const sweep = (): void => {
    const t = now()
    for (const [code, grant] of codes) if (grant.expiresAt <= t) codes.delete(code)
  }
  return {
    issue: (grant) => {
      if (codes.size >= 1000) sweep()
      const code = randomId()
      codes.set(code, { ...grant, expiresAt: now() + ttlMs })
      return code
    },
    redeem: (code, clientId, redirectUri) => {
      const grant = codes.get(code)
      codes.delete(code)
      if (grant === undefined || grant.expiresAt <= now()) return undefined
      if (grant.clientId !== clientId || grant.redirectUri !== redirectUri) return undefined
      return { uid: grant.uid, clientId: grant.clientId, redirectUri: grant.redirectUri }
    },
  }
}
