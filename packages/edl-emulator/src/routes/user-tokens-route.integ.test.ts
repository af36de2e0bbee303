import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import type { RunningEdlEmulator } from '../start-edl-emulator.js'
import type { FakeClock } from '../testing/emulator-harness.js'
import { basic, decodeJwtPart, startTestEmulator } from '../testing/emulator-harness.js'

const DEMO = basic('demo', 'demo-pass')
const CHALLENGE = 'Basic realm="Please enter your Earthdata Login credentials"'

let edl: RunningEdlEmulator | undefined
let clock: FakeClock
let url: string
beforeEach(async () => {
  await edl?.close()
  const started = await startTestEmulator()
  ;({ clock } = started)
  edl = started.edl
  url = started.edl.url
})
afterAll(() => edl?.close())

const call = (method: string, path: string, authorization = DEMO) =>
  fetch(`${url}${path}`, { method, headers: { authorization } })
const create = (authorization = DEMO) => call('POST', '/api/users/token', authorization)
const list = async (): Promise<Array<{ access_token: string; expiration_date: string }>> =>
  (await call('GET', '/api/users/tokens')).json() as Promise<
    Array<{ access_token: string; expiration_date: string }>
  >

describe('user token API', () => {
  it('creates a 60-day User token dated MM/DD/YYYY', async () => {
    const res = await create()
    expect(res.status).toBe(200)
    const body = (await res.json()) as Record<string, string>
    // 2030-01-01 + 60 days = 2030-03-02
    expect(body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expiration_date: '03/02/2030',
    })
    const claims = decodeJwtPart(body.access_token ?? '', 1) as Record<string, unknown>
    expect(claims).toMatchObject({ type: 'User', uid: 'demo', exp: clock.ms / 1000 + 5_184_000 })
    expect(claims.client_id).toBeUndefined()
    const profile = await fetch(`${url}/api/users/demo?client_id=tea-local`, {
      headers: { authorization: `Bearer ${body.access_token}` },
    })
    expect(profile.status).toBe(200)
  })

  it('caps valid tokens at 2 per user', async () => {
    expect((await create()).status).toBe(200)
    clock.advance(1)
    expect((await create()).status).toBe(200)
    const third = await create()
    expect(third.status).toBe(403)
    expect(await third.json()).toEqual({
      error: 'max_token_limit',
      error_description:
        'You already have the maximum number of valid tokens (2); revoke one to create another',
    })
    expect((await create(basic('noeula', 'noeula-pass'))).status).toBe(200)
  })

  it('holds the cap under concurrent creates', async () => {
    const statuses = (await Promise.all([create(), create(), create(), create()])).map(
      (r) => r.status,
    )
    expect(statuses.sort()).toEqual([200, 200, 403, 403])
  })

  it('lists valid tokens, latest expiry first, and drops them after 60 days', async () => {
    const first = ((await (await create()).json()) as { access_token: string }).access_token
    clock.advance(86_400)
    const second = ((await (await create()).json()) as { access_token: string }).access_token
    expect(await list()).toEqual([
      { access_token: second, expiration_date: '03/03/2030' },
      { access_token: first, expiration_date: '03/02/2030' },
    ])
    clock.advance(59 * 86_400)
    expect(await list()).toEqual([{ access_token: second, expiration_date: '03/03/2030' }])
    expect((await create()).status).toBe(200)
  })

  it('revokes a token: it stops working and frees a slot', async () => {
    const token = ((await (await create()).json()) as { access_token: string }).access_token
    await create()
    const revoke = await call('POST', `/api/users/revoke_token?token=${encodeURIComponent(token)}`)
    expect(revoke.status).toBe(200)
    expect(await revoke.json()).toEqual({ message: 'Token successfully revoked' })
    expect((await list()).map((t) => t.access_token)).not.toContain(token)
    const profile = await fetch(`${url}/api/users/demo`, {
      headers: { authorization: `Bearer ${token}` },
    })
    expect(profile.status).toBe(401)
    expect(await profile.json()).toEqual({
      error: 'invalid_token',
      error_description: 'The token has been revoked',
    })
    expect((await create()).status).toBe(200)
  })

  it('refuses to revoke unknown, already revoked or other users’ tokens', async () => {
    const token = ((await (await create()).json()) as { access_token: string }).access_token
    const other = basic('noeula', 'noeula-pass')
    const path = `/api/users/revoke_token?token=${encodeURIComponent(token)}`
    for (const res of [
      await call('POST', '/api/users/revoke_token?token=nope'),
      await call('POST', path, other),
    ]) {
      expect(res.status).toBe(400)
      expect(await res.json()).toEqual({
        error: 'invalid_token',
        error_description: 'The token is either malformed or does not exist',
      })
    }
    expect((await call('POST', path)).status).toBe(200)
    expect((await call('POST', path)).status).toBe(400)
    const missing = await call('POST', '/api/users/revoke_token')
    expect(missing.status).toBe(400)
    expect(await missing.json()).toEqual({
      error: 'invalid_request',
      error_description: 'Missing required parameter: token',
    })
  })

  it('find_or_create_token creates once, then returns the same token', async () => {
    const first = await call('POST', '/api/users/find_or_create_token')
    expect(first.status).toBe(200)
    const body = (await first.json()) as Record<string, string>
    expect(body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expiration_date: '03/02/2030',
    })
    const again = await call('POST', '/api/users/find_or_create_token')
    expect(await again.json()).toEqual(body)
    expect(await list()).toHaveLength(1)
  })

  it.each([
    ['wrong password', basic('demo', 'nope')],
    ['unknown user', basic('ghost', 'x')],
    ['app credentials', basic('tea-local', 'tea-secret')],
    ['malformed Basic', 'Basic ****'],
    ['no credentials', ''],
  ])('answers 401 invalid_credentials with a Basic challenge for %s', async (_n, auth) => {
    for (const [method, path] of [
      ['POST', '/api/users/token'],
      ['GET', '/api/users/tokens'],
      ['POST', '/api/users/revoke_token?token=x'],
      ['POST', '/api/users/find_or_create_token'],
    ] as const) {
      const res = await call(method, path, auth)
      expect(res.status, path).toBe(401)
      expect(res.headers.get('www-authenticate')).toBe(CHALLENGE)
      expect(await res.json()).toEqual({
        error: 'invalid_credentials',
        error_description: 'Invalid user credentials',
      })
    }
  })
})
