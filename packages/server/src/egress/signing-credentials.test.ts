import { describe, expect, it } from 'vitest'
import type { AssumeRoleInput, RoleVendor } from '../credentials/role-vendor.js'
import { createSigningCredentials } from './signing-credentials.js'

function fakeVendor(): RoleVendor & { calls: AssumeRoleInput[]; release(): void } {
  const calls: AssumeRoleInput[] = []
  let release = (): void => undefined
  return {
    calls,
    release: () => release(),
    assumeRole(input) {
      calls.push(input)
      return new Promise((resolve) => {
        release = () =>
          resolve({
            accessKeyId: `AK${calls.length}`,
            secretAccessKey: 's',
            sessionToken: 't',
            expiration: new Date(0),
          })
        release()
      })
    },
  }
}

describe('createSigningCredentials', () => {
  it("assumes the role with TEA's session name and caches per (role, user) for 10 minutes", async () => {
    let now = 1_700_000_000_000
    const roles = fakeVendor()
    const signing = createSigningCredentials({ roles, now: () => now })
    const first = await signing('arn:aws:iam::1:role/out', 'jdoe')
    expect(roles.calls).toEqual([
      { roleArn: 'arn:aws:iam::1:role/out', sessionName: 'jdoe@1700000000', durationSeconds: 3600 },
    ])
    expect(first.ageSeconds).toBe(0)
    now += 599_000
    const cached = await signing('arn:aws:iam::1:role/out', 'jdoe')
    expect(cached.credentials).toBe(first.credentials)
    expect(cached.ageSeconds).toBe(599)
    await signing('arn:aws:iam::1:role/in', 'jdoe')
    await signing('arn:aws:iam::1:role/out', undefined)
    expect(roles.calls.map((c) => c.sessionName)).toEqual([
      'jdoe@1700000000',
      'jdoe@1700000599',
      'unauthenticated@1700000599',
    ])
    now += 1000
    const renewed = await signing('arn:aws:iam::1:role/out', 'jdoe')
    expect(renewed.ageSeconds).toBe(0)
    expect(renewed.credentials).not.toBe(first.credentials)
  })

  it("maps unusual user ids into STS's session-name alphabet (space, /, non-ASCII, one character)", async () => {
    const roles = fakeVendor()
    const signing = createSigningCredentials({ roles, now: () => 1_700_000_000_000 })
    await signing('arn:aws:iam::1:role/out', 'j doe/é')
    await signing('arn:aws:iam::1:role/out', 'u')
    const names = roles.calls.map((c) => c.sessionName)
    expect(names).toEqual(['j=20doe=2F=C3=A9@1700000000', 'u=@1700000000'])
    for (const name of names) expect(name).toMatch(/^[\w+=,.@-]{2,64}$/)
  })

  it('shares one STS call among concurrent misses', async () => {
    const roles = fakeVendor()
    const signing = createSigningCredentials({ roles, now: () => 0 })
    const all = await Promise.all([1, 2, 3].map(() => signing('arn:aws:iam::1:role/out', 'a')))
    expect(roles.calls).toHaveLength(1)
    expect(new Set(all.map((s) => s.credentials)).size).toBe(1)
  })
})
