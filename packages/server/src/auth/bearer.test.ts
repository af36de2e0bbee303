import { describe, expect, it } from 'vitest'
import { EulaNotAcceptedError, InvalidTokenError } from '../errors.js'
import { createBearerAuthenticator } from './bearer.js'
import type { EdlClient, EdlUser } from './edl-client.js'
import type { EdlTokenVerifier } from './edl-token-verifier.js'
import { JANE, janeProfile } from '../testing/index.js'

const NOW = 1_700_000_000_000
const edlUser: EdlUser = JANE

function setup(expiresAt = NOW / 1000 + 3600) {
  let now = NOW
  const calls: { userId: string; token: string }[] = []
  const failures: Error[] = []
  const verifier: EdlTokenVerifier = {
    verify: async (token) => {
      if (token.startsWith('bad')) throw new InvalidTokenError()
      return { uid: 'jdoe', expiresAt }
    },
  }
  const edl: EdlClient = {
    exchangeCode: () => Promise.reject(new Error('unused')),
    getAppToken: () => Promise.reject(new Error('unused')),
    getProfile: async (input) => {
      calls.push(input)
      const failure = failures.shift()
      if (failure) throw failure
      return edlUser
    },
  }
  const bearer = createBearerAuthenticator({ verifier, edl, now: () => now })
  return { bearer, calls, failures, advance: (ms: number) => (now += ms) }
}

describe('createBearerAuthenticator', () => {
  it("returns EDL's profile with the bearer token as the access token", async () => {
    const { bearer, calls } = setup()
    expect(await bearer.authenticate('tok-1', { 'x-request-id': 'r' })).toEqual(
      janeProfile('tok-1'),
    )
    expect(calls).toEqual([{ userId: 'jdoe', token: 'tok-1' }])
  })

  it('asks EDL once per token per 60 s', async () => {
    const { bearer, calls, advance } = setup()
    await bearer.authenticate('tok-1')
    await bearer.authenticate('tok-1')
    await bearer.authenticate('tok-2')
    expect(calls.map((c) => c.token)).toEqual(['tok-1', 'tok-2'])
    advance(59_999)
    await bearer.authenticate('tok-1')
    expect(calls).toHaveLength(2)
    advance(1)
    await bearer.authenticate('tok-1')
    expect(calls).toHaveLength(3)
  })

  it('never keeps a profile past the token expiry', async () => {
    const { bearer, calls, advance } = setup(NOW / 1000 + 10)
    await bearer.authenticate('tok-1')
    advance(10_000)
    await bearer.authenticate('tok-1')
    expect(calls).toHaveLength(2)
  })

  it('does not cache failures: a user who just accepted the EULA gets in at once', async () => {
    const { bearer, calls, failures } = setup()
    failures.push(
      new EulaNotAcceptedError('EULA Acceptance Failure', {
        resolution_url: 'https://edl/approve',
      }),
    )
    await expect(bearer.authenticate('tok-1')).rejects.toBeInstanceOf(EulaNotAcceptedError)
    expect((await bearer.authenticate('tok-1')).userId).toBe('jdoe')
    expect(calls).toHaveLength(2)
  })

  it('never calls EDL for a token that fails local verification', async () => {
    const { bearer, calls } = setup()
    await expect(bearer.authenticate('bad-token')).rejects.toBeInstanceOf(InvalidTokenError)
    expect(calls).toHaveLength(0)
  })
})
