import { describe, expect, it } from 'vitest'
import { createAuthorizationCodes } from './authorization-codes.js'

function setup() {
  let t = 1_000_000
  let n = 0
  const codes = createAuthorizationCodes({ now: () => t, randomId: () => `code-${++n}` })
  return { codes, advance: (ms: number) => (t += ms) }
}
const grant = { uid: 'demo', clientId: 'app', redirectUri: 'http://x/cb' }

describe('createAuthorizationCodes', () => {
  it('redeems a code once, for its client and redirect_uri', () => {
    const { codes } = setup()
    const code = codes.issue(grant)
    expect(codes.redeem(code, 'app', 'http://x/cb')).toEqual(grant)
    expect(codes.redeem(code, 'app', 'http://x/cb')).toBeUndefined()
  })

  it('burns a code on a mismatching attempt', () => {
    const { codes } = setup()
    const a = codes.issue(grant)
    const b = codes.issue(grant)
    expect(codes.redeem(a, 'other', 'http://x/cb')).toBeUndefined()
    expect(codes.redeem(a, 'app', 'http://x/cb')).toBeUndefined()
    expect(codes.redeem(b, 'app', undefined)).toBeUndefined()
  })

  it('expires codes after 60 s by default', () => {
    const { codes, advance } = setup()
    const a = codes.issue(grant)
    const b = codes.issue(grant)
    advance(59_999)
    expect(codes.redeem(a, 'app', 'http://x/cb')).toEqual(grant)
    advance(1)
    expect(codes.redeem(b, 'app', 'http://x/cb')).toBeUndefined()
  })

  it('honours a custom ttlMs', () => {
    let t = 0
    const codes = createAuthorizationCodes({ now: () => t, randomId: () => 'c', ttlMs: 10 })
    codes.issue(grant)
    t = 10
    expect(codes.redeem('c', 'app', 'http://x/cb')).toBeUndefined()
  })
})
