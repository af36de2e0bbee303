import { describe, expect, it } from 'vitest'
import { EdlRejectedError, InvalidTokenError, MalformedAuthorizationError } from '../errors.js'
import { createAuthenticator } from './authenticator.js'
import type { AuthRequest } from './authenticator.js'
import type { Session, SessionCodec } from './session.js'
import type { UserProfile } from './user-profile.js'

const cookieUser: UserProfile = {
  userId: 'cookie-user',
  firstName: '',
  lastName: '',
  email: '',
  groups: [],
  accessToken: 'a',
}
const bearerUser: UserProfile = { ...cookieUser, userId: 'bearer-user', accessToken: 'tok' }

function setup(revoked: string[] = [], goodToken = 'good', answerNow = false) {
  const bearerCalls: string[] = []
  const verifyCalls: string[] = []
  const clock = { ms: 150_000 }
  const codec: SessionCodec = {
    mint: () => Promise.reject(new Error('unused')),
    verify: async (token): Promise<Session | null> => {
      verifyCalls.push(token)
      return token === goodToken && clock.ms < 200_000
        ? { user: cookieUser, issuedAt: 100, expiresAt: 200 }
        : null
    },
  }
  const auth = createAuthenticator({
    codec,
    cookieName: 'asf-urs',
    now: () => clock.ms,
    blacklist: {
      isRevoked: async (user) => revoked.includes(user),
      ...(answerNow ? { isRevokedNow: (user: string) => revoked.includes(user) } : {}),
    },
    bearer: {
      authenticate: async (token) => {
        bearerCalls.push(token)
        if (token === 'invalid') throw new InvalidTokenError()
        if (token === 'edl-401') throw new EdlRejectedError(401, { error: 'invalid_token' })
        return bearerUser
      },
    },
  })
  return { auth, bearerCalls, verifyCalls, clock, revoked }
}
const req = (over: Partial<AuthRequest>): AuthRequest => ({
  cookieHeader: undefined,
  authorization: undefined,
  userAgent: 'curl/8',
  aux: {},
  ...over,
})

describe('createAuthenticator (as TEA RequestAuthorizer)', () => {
  it('takes a valid cookie first, without looking at Authorization', async () => {
    const { auth, bearerCalls } = setup()
    expect(
      await auth.authenticate(req({ cookieHeader: 'asf-urs=good', authorization: 'Bearer x' })),
    ).toEqual({ kind: 'user', user: cookieUser, via: 'cookie' })
    expect(bearerCalls).toEqual([])
  })

  it('ignores an invalid or blacklisted cookie and falls through', async () => {
    expect(await setup().auth.authenticate(req({ cookieHeader: 'asf-urs=forged' }))).toEqual({
      kind: 'login',
    })
    expect(
      await setup(['cookie-user']).auth.authenticate(req({ cookieHeader: 'asf-urs=good' })),
    ).toEqual({ kind: 'login' })
    expect(await setup(['cookie-user']).auth.readSession('asf-urs=good')).toBeNull()
  })

  it.each([false, true])(
    'verifies a repeated cookie once, but re-checks expiry and the blacklist every time (blacklist at hand: %s)',
    async (answerNow) => {
      const { auth, verifyCalls, clock, revoked } = setup([], 'good', answerNow)
      const outcome = () => auth.authenticate(req({ cookieHeader: 'asf-urs=good' }))
      expect(await outcome()).toEqual({ kind: 'user', user: cookieUser, via: 'cookie' })
      expect(await outcome()).toEqual({ kind: 'user', user: cookieUser, via: 'cookie' })
      expect(verifyCalls).toEqual(['good'])
      revoked.push('cookie-user')
      expect(await outcome()).toEqual({ kind: 'login' })
      revoked.pop()
      expect(await outcome()).toEqual({ kind: 'user', user: cookieUser, via: 'cookie' })
      clock.ms = 200_000
      expect(await outcome()).toEqual({ kind: 'login' })
      expect(await outcome()).toEqual({ kind: 'login' })
      expect(verifyCalls).toEqual(['good', 'good'])
    },
  )

  it('readSession: verifies a repeated cookie once, but re-checks expiry and the blacklist every time', async () => {
    const { auth, verifyCalls, clock, revoked } = setup()
    expect(await auth.readSession('asf-urs=good')).not.toBeNull()
    expect(await auth.readSession('asf-urs=good')).not.toBeNull()
    expect(verifyCalls).toEqual(['good'])
    revoked.push('cookie-user')
    expect(await auth.readSession('asf-urs=good')).toBeNull()
    revoked.pop()
    clock.ms = 200_000
    expect(await auth.readSession('asf-urs=good')).toBeNull()
    expect(await auth.readSession('asf-urs=good')).toBeNull()
    expect(verifyCalls).toEqual(['good', 'good'])
  })

  it('takes a cached session only for the exact token, not one that ends the same', async () => {
    const tail = 'x'.repeat(64)
    const { auth, verifyCalls } = setup([], `good.${tail}`)
    expect(await auth.readSession(`asf-urs=good.${tail}`)).not.toBeNull()
    expect(await auth.readSession(`asf-urs=forged.${tail}`)).toBeNull()
    expect(await auth.readSession(`asf-urs=good.${tail}`)).not.toBeNull()
    expect(verifyCalls).toEqual([`good.${tail}`, `forged.${tail}`])
  })

  it('rememberedUser: only a cookie already verified, unexpired and known not revoked', async () => {
    const { auth, clock, revoked } = setup([], 'good', true)
    expect(auth.rememberedUser('asf-urs=good')).toBeUndefined() // not verified yet
    await auth.readSession('asf-urs=good')
    expect(auth.rememberedUser('asf-urs=good')).toBe(cookieUser)
    expect(auth.rememberedUser('asf-urs=forged')).toBeUndefined()
    expect(auth.rememberedUser(undefined)).toBeUndefined()
    revoked.push('cookie-user')
    expect(auth.rememberedUser('asf-urs=good')).toBeUndefined()
    revoked.pop()
    clock.ms = 200_000
    expect(auth.rememberedUser('asf-urs=good')).toBeUndefined()
    // Without the blacklist at hand nothing can be said at once.
    const slow = setup([], 'good', false)
    await slow.auth.readSession('asf-urs=good')
    expect(slow.auth.rememberedUser('asf-urs=good')).toBeUndefined()
  })

  it('does not remember cookies that failed verification', async () => {
    const { auth, verifyCalls } = setup()
    expect(await auth.readSession('asf-urs=forged')).toBeNull()
    expect(await auth.readSession('asf-urs=forged')).toBeNull()
    expect(verifyCalls).toEqual(['forged', 'forged'])
  })

  it.each([
    ['Bearer tok', { kind: 'user', user: bearerUser, via: 'bearer' }],
    ['bearer tok', { kind: 'user', user: bearerUser, via: 'bearer' }],
    ['  BEARER   tok  ', { kind: 'user', user: bearerUser, via: 'bearer' }],
    ['Basic dXNlcjpwYXNz extra', { kind: 'login' }],
    ['Basic dXNlcjpwYXNz', { kind: 'login' }],
    [undefined, { kind: 'login' }],
    ['', { kind: 'login' }],
  ])('Authorization %j → %j', async (authorization, outcome) => {
    expect(await setup().auth.authenticate(req({ authorization }))).toEqual(outcome)
  })

  it.each(['Bearer', 'tok', '   x', 'Bearer tok junk', '  BEARER   tok  extra'])(
    'refuses a one-part Authorization, or a Bearer one with more parts: %j',
    async (authorization) => {
      await expect(setup().auth.authenticate(req({ authorization }))).rejects.toBeInstanceOf(
        MalformedAuthorizationError,
      )
    },
  )

  it('answers an invalid token with InvalidToken for scripts and with login for browsers', async () => {
    await expect(
      setup().auth.authenticate(req({ authorization: 'Bearer invalid' })),
    ).rejects.toBeInstanceOf(InvalidTokenError)
    expect(
      await setup().auth.authenticate(
        req({ authorization: 'Bearer invalid', userAgent: 'Mozilla/5.0' }),
      ),
    ).toEqual({ kind: 'login' })
  })

  it("passes EDL's refusals through to everyone", async () => {
    await expect(
      setup().auth.authenticate(req({ authorization: 'Bearer edl-401', userAgent: 'Mozilla/5.0' })),
    ).rejects.toBeInstanceOf(EdlRejectedError)
  })
})
