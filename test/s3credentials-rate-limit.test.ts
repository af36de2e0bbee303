import { afterEach, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import type { RoleVendor } from '@tea-ts/server'
import {
  countingVendor,
  sessionCookie,
  testApp,
  s3CredentialsConfig,
  user,
} from '@tea-ts/server/testing'

/** The per-user limit on /s3credentials (S3_CREDENTIALS_RATE_LIMIT), through inject(). */

const fixed: RoleVendor = {
  assumeRole: async () => ({
    accessKeyId: 'ASIAFAKE',
    secretAccessKey: 'fake-secret',
    sessionToken: 'fake-token',
    expiration: new Date('2031-01-27T00:50:09Z'),
  }),
}

let app: FastifyInstance | undefined
afterEach(async () => {
  await app?.close()
  app = undefined
})

async function limitedApp(env: Record<string, string>) {
  const config = await s3CredentialsConfig(env)
  const roles = countingVendor(fixed)
  app = await testApp({ config, roles })
  const cookieOf = (id: string) => sessionCookie(config, user(id, ['science']))
  // Every request comes from the same address: the limit must still tell users apart.
  const get = async (cookie?: string, headers: Record<string, string> = {}) =>
    (app as FastifyInstance).inject({
      method: 'GET',
      url: '/s3credentials',
      remoteAddress: '192.0.2.7',
      headers: { 'user-agent': 'curl/8.5.0', ...(cookie ? { cookie } : {}), ...headers },
    })
  return { roles, cookieOf, get }
}

describe('/s3credentials per-user rate limit', () => {
  it('answers 429 with Retry-After after the limit, per user id and not per address, before STS', async () => {
    const { roles, cookieOf, get } = await limitedApp({ S3_CREDENTIALS_RATE_LIMIT: '3' })
    const alice = await cookieOf('alice')
    const bob = await cookieOf('bob')
    // Distinct app-names: different session names, so single-flight does not merge the calls.
    for (const n of [1, 2, 3]) {
      const res = await get(alice, { 'app-name': `run${n}` })
      expect(res.statusCode).toBe(200)
      expect(res.headers['x-ratelimit-remaining']).toBe(String(3 - n))
    }
    const over = await get(alice, { 'app-name': 'run4' })
    expect(over.statusCode).toBe(429)
    const retryAfter = Number(over.headers['retry-after'])
    expect(retryAfter).toBeGreaterThanOrEqual(1)
    expect(retryAfter).toBeLessThanOrEqual(60)
    expect(over.json()).toEqual({
      statusCode: 429,
      code: 'ERR_RATE_LIMITED',
      error: 'Too Many Requests',
      message: expect.stringMatching(
        /^Too many requests for this user: at most 3 per minute; retry after /,
      ) as unknown,
    })
    expect(roles.calls).toHaveLength(3)
    // Bob, same address, is not held back by Alice's script.
    expect((await get(bob)).statusCode).toBe(200)
    expect(roles.calls).toHaveLength(4)
  })

  it('does not count requests without a user (they go to EDL)', async () => {
    const { cookieOf, get } = await limitedApp({ S3_CREDENTIALS_RATE_LIMIT: '1' })
    for (let i = 0; i < 3; i++) expect((await get()).statusCode).toBe(302)
    expect((await get(await cookieOf('carol'))).statusCode).toBe(200)
  })

  it('lets the user in again once the window has passed', async () => {
    const { cookieOf, get } = await limitedApp({
      S3_CREDENTIALS_RATE_LIMIT: '1',
      S3_CREDENTIALS_RATE_LIMIT_WINDOW_SECONDS: '1',
    })
    const dave = await cookieOf('dave')
    expect((await get(dave)).statusCode).toBe(200)
    const over = await get(dave)
    expect(over.statusCode).toBe(429)
    expect(over.headers['retry-after']).toBe('1')
    await new Promise((resolve) => setTimeout(resolve, 1100))
    expect((await get(dave)).statusCode).toBe(200)
  })

  it('is off with S3_CREDENTIALS_RATE_LIMIT=0', async () => {
    const { roles, cookieOf, get } = await limitedApp({ S3_CREDENTIALS_RATE_LIMIT: '0' })
    const erin = await cookieOf('erin')
    for (let i = 0; i < 5; i++) {
      const res = await get(erin, { 'app-name': `r${i}` })
      expect(res.statusCode).toBe(200)
      expect(res.headers['x-ratelimit-limit']).toBeUndefined()
    }
    expect(roles.calls).toHaveLength(5)
  })

  it('defaults to 60 a minute', async () => {
    const { cookieOf, get } = await limitedApp({})
    const res = await get(await cookieOf('frank'))
    expect(res.headers['x-ratelimit-limit']).toBe('60')
  })
})
