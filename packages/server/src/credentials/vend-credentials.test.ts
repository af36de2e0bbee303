import { describe, expect, it } from 'vitest'
import type { UserProfile } from '../auth/user-profile.js'
import { UpstreamThrottledError } from '../errors.js'
import { NoDataAccessError } from './credential-errors.js'
import type { AssumeRoleInput, RoleVendor, TemporaryCredentials } from './role-vendor.js'
import { createVendCredentials } from './vend-credentials.js'
import type { PolicyForGroups, VendCredentialsOptions } from './vend-credentials.js'
import { sessionPolicy } from './policy-for-groups.js'

const ROLE = 'arn:aws:iam::123456789012:role/download-in-region'
const T0 = Date.parse('2024-05-01T12:00:00Z')

const user = (groups: UserProfile['groups'] = [], userId = 'jdoe'): UserProfile => ({
  userId,
  firstName: 'J',
  lastName: 'Doe',
  email: 'j@example.com',
  groups,
  accessToken: 'token',
})

/** A policy per group set, so tests see exactly which groups reached `policyFor`. */
const policyFor: PolicyForGroups = (groups) =>
  sessionPolicy(JSON.stringify({ Version: '2012-10-17', groups: [...groups].sort() }))

interface Deferred {
  resolve(): void
  reject(e: unknown): void
}

/** A fake vendor recording inputs; `hold` keeps calls pending until released. */
function fakeVendor(opts: { hold?: boolean; expiresInS?: number; now?: () => number } = {}) {
  const calls: AssumeRoleInput[] = []
  const pending: Deferred[] = []
  const vendor: RoleVendor = {
    assumeRole(input) {
      calls.push(input)
      const creds: TemporaryCredentials = {
        accessKeyId: `AKIA${calls.length}`,
        secretAccessKey: 'secret',
        sessionToken: 'token',
        expiration: new Date((opts.now ?? (() => T0))() + (opts.expiresInS ?? 3600) * 1000),
        assumedRoleArn: `arn:aws:sts::123456789012:assumed-role/download-in-region/${input.sessionName}`,
      }
      if (!opts.hold) return Promise.resolve(creds)
      return new Promise((resolve, reject) =>
        pending.push({ resolve: () => resolve(creds), reject }),
      )
    },
  }
  return { vendor, calls, pending }
}

function vend(roles: RoleVendor, extra: Partial<VendCredentialsOptions> = {}) {
  return createVendCredentials({
    roles,
    roleArn: ROLE,
    clientId: 'CLIENT',
    policyFor,
    now: () => T0,
    ...extra,
  })
}

describe('createVendCredentials', () => {
  it('calls AssumeRole with TEA’s exact input and answers in TEA’s shape', async () => {
    const { vendor, calls } = fakeVendor()
    const groups = [
      { client_id: 'CLIENT', name: 'g2' },
      { client_id: 'OTHER', name: 'not-mine' },
      { client_id: 'CLIENT', name: 'g1' },
      { client_id: 'CLIENT', name: 'g1', tag: 'duplicate' },
    ]
    const out = await vend(vendor)(user(groups), 'my-app')
    expect(calls).toEqual([
      {
        roleArn: ROLE,
        sessionName: 'jdoe@my-app',
        externalId: 'jdoe',
        durationSeconds: 3600,
        policy: '{"Version":"2012-10-17","groups":["g1","g2"]}',
      },
    ])
    expect(out).toEqual({
      credentials: {
        accessKeyId: 'AKIA1',
        secretAccessKey: 'secret',
        sessionToken: 'token',
        expiration: '2024-05-01 13:00:00+00:00',
      },
      sessionName: 'jdoe@my-app',
      assumedRoleArn: 'arn:aws:sts::123456789012:assumed-role/download-in-region/jdoe@my-app',
      source: 'sts',
    })
    expect(Object.keys(out.credentials)).toEqual([
      'accessKeyId',
      'secretAccessKey',
      'sessionToken',
      'expiration',
    ])
  })

  it('passes a configured DurationSeconds', async () => {
    const { vendor, calls } = fakeVendor()
    await vend(vendor, { durationSeconds: 7200 })(user(), undefined)
    expect(calls[0]).toMatchObject({ durationSeconds: 7200, sessionName: 'jdoe@' })
  })

  it('rejects a bad durationSeconds when built (misuse)', () => {
    const { vendor } = fakeVendor()
    expect(() => vend(vendor, { durationSeconds: 899 })).toThrow(TypeError)
    expect(() => vend(vendor, { durationSeconds: 43_201 })).toThrow(TypeError)
    expect(() => vend(vendor, { durationSeconds: 1000.5 })).toThrow(TypeError)
  })

  it('answers TEA’s 403 when the groups reach no data, without calling STS', async () => {
    const { vendor, calls } = fakeVendor()
    const err = await vend(vendor, { policyFor: () => null })(user(), 'app').catch((e) => e)
    expect(err).toBeInstanceOf(NoDataAccessError)
    expect(err).toMatchObject({
      statusCode: 403,
      code: 'ERR_FORBIDDEN',
      message: 'You do not have permission to access any data.',
      page: {
        title: 'Could not access data',
        content: ['You do not have permission to access any data.'],
        audience: 'browser',
      },
    })
    expect(calls).toHaveLength(0)
  })

  it('rejects a bad app-name with 400 before building a policy or calling STS', async () => {
    const { vendor, calls } = fakeVendor()
    let policyCalls = 0
    const v = vend(vendor, {
      policyFor: (g) => {
        policyCalls++
        return policyFor(g)
      },
    })
    await expect(v(user(), 'bad name')).rejects.toMatchObject({
      statusCode: 400,
      code: 'ERR_INVALID_APP_NAME',
    })
    expect(calls).toHaveLength(0)
    expect(policyCalls).toBe(0)
  })

  it('builds the policy once per user object, but again after a failure and for a new object', async () => {
    const { vendor, calls } = fakeVendor()
    const seen: string[][] = []
    let fail = true
    const v = vend(vendor, {
      policyFor: (g) => {
        seen.push([...g])
        if (fail) throw new Error('policy too large')
        return policyFor(g)
      },
    })
    const alice = user([{ name: 'science', client_id: 'CLIENT' }], 'j doe')
    await expect(v(alice, 'a')).rejects.toThrow('policy too large')
    fail = false
    await v(alice, 'a')
    await v(alice, 'b')
    // Bad app-names are still refused first, for a remembered user too.
    await expect(v(alice, 'bad name')).rejects.toMatchObject({ code: 'ERR_INVALID_APP_NAME' })
    await v({ ...alice, groups: [] }, 'a')
    expect(seen).toEqual([['science'], ['science'], []])
    expect(calls.map((c) => [c.sessionName, c.externalId, c.policy])).toEqual([
      ['j=20doe@a', 'j=20doe', policyFor(['science'])?.json],
      ['j=20doe@b', 'j=20doe', policyFor(['science'])?.json],
      ['j=20doe@a', 'j=20doe', policyFor([])?.json],
    ])
  })

  describe('single-flight', () => {
    it.each([10, 1000])('%i concurrent identical requests make one STS call', async (n) => {
      const { vendor, calls, pending } = fakeVendor({ hold: true })
      const v = vend(vendor)
      const all = Promise.all(Array.from({ length: n }, () => v(user(), 'app')))
      await Promise.resolve()
      expect(calls).toHaveLength(1)
      pending[0]?.resolve()
      const results = await all
      expect(calls).toHaveLength(1)
      expect(new Set(results.map((r) => r.credentials.accessKeyId))).toEqual(new Set(['AKIA1']))
      expect(results.filter((r) => r.source === 'sts')).toHaveLength(1)
      expect(results.filter((r) => r.source === 'shared')).toHaveLength(n - 1)
    })

    it('does not share across app-names, users or policies', async () => {
      const { vendor, calls, pending } = fakeVendor({ hold: true })
      const v = vend(vendor)
      const all = Promise.all([
        v(user(), 'a'),
        v(user(), 'b'),
        v(user([], 'other'), 'a'),
        v(user([{ client_id: 'CLIENT', name: 'g' }]), 'a'),
        v(user(), 'a'),
      ])
      await Promise.resolve()
      expect(calls.map((c) => [c.sessionName, c.policy])).toEqual([
        ['jdoe@a', '{"Version":"2012-10-17","groups":[]}'],
        ['jdoe@b', '{"Version":"2012-10-17","groups":[]}'],
        ['other@a', '{"Version":"2012-10-17","groups":[]}'],
        ['jdoe@a', '{"Version":"2012-10-17","groups":["g"]}'],
      ])
      for (const p of pending) p.resolve()
      const out = await all
      expect(out.map((o) => o.source)).toEqual(['sts', 'sts', 'sts', 'sts', 'shared'])
    })

    it('shares a failure with everyone waiting, then forgets it', async () => {
      const { vendor, calls, pending } = fakeVendor({ hold: true })
      const v = vend(vendor)
      const first = Promise.allSettled([v(user(), 'app'), v(user(), 'app'), v(user(), 'app')])
      await Promise.resolve()
      const throttled = new UpstreamThrottledError(
        'STS is throttling AssumeRole; retry after 2 s',
        2,
      )
      pending[0]?.reject(throttled)
      const settled = await first
      expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected', 'rejected'])
      expect(settled.map((s) => (s.status === 'rejected' ? s.reason : null))).toEqual([
        throttled,
        throttled,
        throttled,
      ])
      const again = v(user(), 'app')
      await Promise.resolve()
      expect(calls).toHaveLength(2)
      pending[1]?.resolve()
      await expect(again).resolves.toMatchObject({ source: 'sts' })
    })

    it('shares a result for 5 s after it settled, then calls STS again (reuse off)', async () => {
      let now = T0
      const { vendor, calls } = fakeVendor({ now: () => now })
      const v = vend(vendor, { now: () => now })
      await v(user(), 'app')
      now = T0 + 4999
      await expect(v(user(), 'app')).resolves.toMatchObject({ source: 'shared' })
      expect(calls).toHaveLength(1)
      now = T0 + 5000
      await expect(v(user(), 'app')).resolves.toMatchObject({ source: 'sts' })
      expect(calls).toHaveLength(2)
    })

    it('with shareSettledMs 0, shares only while in flight', async () => {
      const { vendor, calls } = fakeVendor()
      const v = vend(vendor, { shareSettledMs: 0 })
      await v(user(), 'app')
      await v(user(), 'app')
      expect(calls).toHaveLength(2)
    })
  })

  describe('reuse cache', () => {
    it('serves fresh credentials while more than 50 minutes are left, then calls STS', async () => {
      let now = T0
      const { vendor, calls } = fakeVendor({ now: () => now })
      const v = vend(vendor, { reuse: {}, now: () => now })
      const first = await v(user(), 'app')
      now = T0 + 9 * 60_000 + 59_999 // 50 min 0.001 s left
      const second = await v(user(), 'app')
      expect(second).toEqual({ ...first, source: 'reused' })
      expect(calls).toHaveLength(1)
      now = T0 + 10 * 60_000 // exactly 50 min left: no longer served
      const third = await v(user(), 'app')
      expect(third.source).toBe('sts')
      expect(third.credentials.accessKeyId).toBe('AKIA2')
      expect(calls).toHaveLength(2)
    })

    it('keys by user, session name and policy', async () => {
      const { vendor, calls } = fakeVendor()
      const v = vend(vendor, { reuse: { minRemainingSeconds: 60 }, shareSettledMs: 0 })
      await v(user(), 'a')
      await v(user(), 'b')
      await v(user([], 'other'), 'a')
      await v(user([{ client_id: 'CLIENT', name: 'g' }]), 'a')
      await v(user(), 'a')
      expect(calls).toHaveLength(4)
    })

    it('does not store credentials that are already too short-lived', async () => {
      const { vendor, calls } = fakeVendor({ expiresInS: 1200 })
      const v = vend(vendor, { reuse: {}, shareSettledMs: 0 })
      await v(user(), 'app')
      await v(user(), 'app')
      expect(calls).toHaveLength(2)
    })

    it('evicts the least recently used entry beyond maxEntries', async () => {
      const { vendor, calls } = fakeVendor()
      const v = vend(vendor, { reuse: { maxEntries: 1 }, shareSettledMs: 0 })
      await v(user(), 'a')
      await v(user(), 'b')
      await v(user(), 'a')
      expect(calls).toHaveLength(3)
    })

    it('rejects settings under which nothing could ever be served', () => {
      const { vendor } = fakeVendor()
      expect(() => vend(vendor, { reuse: { minRemainingSeconds: 3600 } })).toThrow(TypeError)
      expect(() => vend(vendor, { reuse: { maxEntries: 0 } })).toThrow(TypeError)
    })
  })
})
