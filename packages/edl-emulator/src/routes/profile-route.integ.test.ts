import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningEdlEmulator } from '../start-edl-emulator.js'
import type { FakeClock } from '../testing/emulator-harness.js'
import { APP_AUTH, basic, startTestEmulator } from '../testing/emulator-harness.js'

let edl: RunningEdlEmulator
let clock: FakeClock
beforeAll(async () => {
  ;({ edl, clock } = await startTestEmulator())
})
afterAll(() => edl.close())

const profile = (uid: string, authorization?: string, clientId: string | null = 'tea-local') =>
  fetch(`${edl.url}/api/users/${uid}${clientId === null ? '' : `?client_id=${clientId}`}`, {
    headers: authorization === undefined ? {} : { authorization },
  })

async function appToken(): Promise<string> {
  const res = await fetch(`${edl.url}/oauth/token`, {
    method: 'POST',
    headers: { authorization: APP_AUTH },
    body: new URLSearchParams({ grant_type: 'client_credentials' }),
  })
  return ((await res.json()) as { access_token: string }).access_token
}

const DEMO_PROFILE = {
  uid: 'demo',
  first_name: 'Demo',
  last_name: 'User',
  email_address: 'demo@example.com',
  country: 'United States',
  organization: '',
  user_type: 'Application',
  registered_date: '01 Jan 2020 00:00:00PM',
  user_groups: [
    {
      group_id: 'tea-local_science_team',
      name: 'science_team',
      tag: null,
      shared_user_group: false,
      created_by: 'TEA local',
      app_uid: 'TEA local',
      client_id: 'tea-local',
    },
    {
      group_id: 'G1',
      name: 'elsewhere',
      tag: 'x',
      shared_user_group: false,
      created_by: 'other-app',
      app_uid: 'other-app',
      client_id: 'other-app',
    },
  ],
}

describe('GET /api/users/<uid>', () => {
  it("returns the profile with all the user's groups for the user's own token", async () => {
    const res = await profile('demo', `Bearer ${await edl.issueUserToken('demo')}`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual(DEMO_PROFILE)
  })

  it('lets an app token read any user', async () => {
    const token = await appToken()
    const res = await profile('demo', `Bearer ${token}`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual(DEMO_PROFILE)
    const missing = await profile('ghost', `Bearer ${token}`)
    expect(missing.status).toBe(404)
    expect(await missing.json()).toEqual({
      error: 'not_found',
      error_description: 'User not found',
    })
  })

  it("refuses a user token reading someone else's profile", async () => {
    const res = await profile('noeula', `Bearer ${await edl.issueUserToken('demo')}`)
    expect(res.status).toBe(403)
    expect(await res.json()).toEqual({
      error: 'invalid_token',
      error_description: 'The token does not grant access to this user',
    })
  })

  it('answers 403 EULA Acceptance Failure with a resolution_url, until the user approves', async () => {
    const token = await edl.issueUserToken('noeula')
    const res = await profile('noeula', `Bearer ${token}`)
    expect(res.status).toBe(403)
    expect(await res.json()).toEqual({
      error: 'invalid_token',
      error_description: 'EULA Acceptance Failure',
      status_code: 403,
      resolution_url: `${edl.url}/approve_app?client_id=tea-local`,
    })
    expect((await profile('noeula', `Bearer ${token}`, 'other-app')).status).toBe(200)

    const page = await fetch(`${edl.url}/approve_app?client_id=tea-local`)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<input type="hidden" name="client_id" value="tea-local">')
    const approve = (password: string) =>
      fetch(`${edl.url}/approve_app`, {
        method: 'POST',
        body: new URLSearchParams({ client_id: 'tea-local', username: 'noeula', password }),
      })
    expect((await approve('wrong')).status).toBe(401)
    expect((await profile('noeula', `Bearer ${token}`)).status).toBe(403)
    expect((await approve('noeula-pass')).status).toBe(200)
    expect((await profile('noeula', `Bearer ${token}`)).status).toBe(200)
  })

  it("checks the EULA of the token's client_id when the query has none", async () => {
    const withClient = await edl.issueUserToken('nobody', { clientId: 'other-app' })
    expect((await profile('nobody', `Bearer ${withClient}`, null)).status).toBe(403)
    const withoutClient = await edl.issueUserToken('nobody')
    expect((await profile('nobody', `Bearer ${withoutClient}`, null)).status).toBe(200)
  })

  it('answers an unknown client_id on /approve_app with a 400 page', async () => {
    const res = await fetch(`${edl.url}/approve_app?client_id=%3Cx%3E`)
    expect(res.status).toBe(400)
    expect(await res.text()).not.toContain('<x>')
  })

  it.each([
    ['no Authorization', undefined, 'Missing or malformed Bearer token'],
    ['Basic credentials', basic('demo', 'demo-pass'), 'Missing or malformed Bearer token'],
    ['an empty Bearer', 'Bearer ', 'Missing or malformed Bearer token'],
    ['a non-JWT token', 'Bearer abc', 'The token is either malformed or does not exist'],
    [
      'a forged JWT',
      'Bearer eyJhbGciOiJub25lIn0.eyJ1aWQiOiJkZW1vIn0.',
      'The token is either malformed or does not exist',
    ],
  ])('answers 401 invalid_token for %s', async (_name, authorization, description) => {
    const res = await profile('demo', authorization)
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/)
    expect(await res.json()).toEqual({ error: 'invalid_token', error_description: description })
  })

  it('answers 401 for an expired token', async () => {
    const expired = await edl.issueUserToken('demo', { expiresInSeconds: -1 })
    const res = await profile('demo', `Bearer ${expired}`)
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual({
      error: 'invalid_token',
      error_description: 'The token has expired',
    })
  })

  it('answers 401 once a valid token reaches its exp', async () => {
    const token = await edl.issueUserToken('demo', { expiresInSeconds: 30 })
    clock.advance(29)
    expect((await profile('demo', `Bearer ${token}`)).status).toBe(200)
    clock.advance(1)
    expect((await profile('demo', `Bearer ${token}`)).status).toBe(401)
  })

  it('answers 401 for a token issued by another emulator instance', async () => {
    const { edl: other } = await startTestEmulator()
    try {
      const foreign = await other.issueUserToken('demo')
      const res = await profile('demo', `Bearer ${foreign}`)
      expect(res.status).toBe(401)
      expect(((await res.json()) as { error_description: string }).error_description).toBe(
        'The token is either malformed or does not exist',
      )
    } finally {
      await other.close()
    }
  })
})

describe('issueUserToken', () => {
  it('refuses an unknown uid', async () => {
    await expect(edl.issueUserToken('ghost')).rejects.toThrow(new TypeError('unknown uid "ghost"'))
  })
})
