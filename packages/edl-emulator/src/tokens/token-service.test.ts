import { describe, expect, it } from 'vitest'
import { createJwtSigner } from './jwt-signer.js'
import { createTokenService } from './token-service.js'

async function setup() {
  let t = Date.UTC(2030, 0, 1)
  let n = 0
  const now = () => t
  const signer = await createJwtSigner({ issuer: 'iss', keyId: 'kid', now })
  const tokens = createTokenService({ signer, now, randomId: () => `id-${++n}`, maxUserTokens: 2 })
  return { tokens, signer, advance: (s: number) => (t += s * 1000) }
}

describe('createTokenService', () => {
  it('reports expired, revoked and unknown tokens distinctly', async () => {
    const { tokens, signer } = await setup()
    const expired = await tokens.mintUserToken('u', 0)
    expect(await tokens.check(expired.token)).toEqual({ ok: false, reason: 'expired' })
    const live = await tokens.issueAccessToken('u', 'app')
    expect(await tokens.check(live.token)).toEqual({ ok: true, token: live })
    expect(tokens.revoke('u', live.token)).toBe(true)
    expect(await tokens.check(live.token)).toEqual({ ok: false, reason: 'revoked' })
    // Correctly signed but never issued (no jti, or an unknown one): does not exist.
    const stray = await signer.sign({ type: 'User', uid: 'u' }, 2_000_000_000)
    expect(await tokens.check(stray)).toEqual({ ok: false, reason: 'malformed' })
  })

  it('counts only user-API tokens towards the cap', async () => {
    const { tokens } = await setup()
    await tokens.issueAccessToken('u', 'app')
    await tokens.mintUserToken('u', 3600)
    expect(await tokens.createUserToken('u')).toBeDefined()
    expect(await tokens.createUserToken('u')).toBeDefined()
    expect(await tokens.createUserToken('u')).toBeUndefined()
    expect(tokens.listUserTokens('u')).toHaveLength(2)
  })

  it('does not let one user revoke another user’s token', async () => {
    const { tokens } = await setup()
    const issued = await tokens.issueAccessToken('u', 'app')
    expect(tokens.revoke('v', issued.token)).toBe(false)
    expect(tokens.revoke('u', 'not-a-token')).toBe(false)
  })

  it('ties refresh tokens to their app', async () => {
    const { tokens } = await setup()
    const refresh = tokens.issueRefreshToken('u', 'app')
    expect(tokens.redeemRefreshToken(refresh, 'app')).toEqual({ uid: 'u' })
    expect(tokens.redeemRefreshToken(refresh, 'app')).toEqual({ uid: 'u' })
    expect(tokens.redeemRefreshToken(refresh, 'other')).toBeUndefined()
  })
})
