import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningEdlEmulator } from '../start-edl-emulator.js'
import { APP_AUTH, basic, startTestEmulator } from '../testing/emulator-harness.js'

let edl: RunningEdlEmulator
let appToken: string
beforeAll(async () => {
  ;({ edl } = await startTestEmulator())
  const res = await fetch(`${edl.url}/oauth/token`, {
    method: 'POST',
    headers: { authorization: APP_AUTH },
    body: new URLSearchParams({ grant_type: 'client_credentials' }),
  })
  appToken = ((await res.json()) as { access_token: string }).access_token
})
afterAll(() => edl.close())

/** Cumulus style: Basic app credentials, form client_id/token/on_behalf_of. */
const cumulus = (form: Record<string, string>, authorization = APP_AUTH) =>
  fetch(`${edl.url}/oauth/tokens/user`, {
    method: 'POST',
    headers: { authorization, 'x-request-id': 'req-123' },
    body: new URLSearchParams(form),
  })

/** Harmony style: Bearer app token, query client_id/token. */
const harmony = (query: Record<string, string>, authorization = `Bearer ${appToken}`) =>
  fetch(`${edl.url}/oauth/tokens/user?${new URLSearchParams(query).toString()}`, {
    method: 'POST',
    headers: { authorization },
  })

describe('POST /oauth/tokens/user', () => {
  it('returns the uid with Basic app credentials and form fields (Cumulus)', async () => {
    const token = await edl.issueUserToken('demo')
    const res = await cumulus({ client_id: 'tea-local', token, on_behalf_of: 'OAuth-Client-Id' })
    expect(res.status).toBe(200)
    expect(res.headers.get('x-request-id')).toBe('req-123')
    expect(await res.json()).toEqual({ uid: 'demo' })
  })

  it('returns the uid with a Bearer app token and query parameters (Harmony)', async () => {
    const token = await edl.issueUserToken('noeula')
    const res = await harmony({ client_id: 'tea-local', token })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ uid: 'noeula' })
  })

  it('answers 403 token_expired for an expired token', async () => {
    const token = await edl.issueUserToken('demo', { expiresInSeconds: 0 })
    const res = await cumulus({ client_id: 'tea-local', token })
    expect(res.status).toBe(403)
    expect(await res.json()).toEqual({
      error: 'token_expired',
      error_description: 'The token has expired',
    })
  })

  it.each([['garbage'], ['a.b.c']])('answers 403 invalid_token for %s', async (token) => {
    const res = await harmony({ client_id: 'tea-local', token })
    expect(res.status).toBe(403)
    expect(await res.json()).toEqual({
      error: 'invalid_token',
      error_description: 'The token is either malformed or does not exist',
    })
  })

  it('answers 403 invalid_token for an app token given as the user token', async () => {
    const res = await cumulus({ client_id: 'tea-local', token: appToken })
    expect(res.status).toBe(403)
    expect(((await res.json()) as { error: string }).error).toBe('invalid_token')
  })

  it('answers 400 invalid_request without a token', async () => {
    const res = await cumulus({ client_id: 'tea-local' })
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({
      error: 'invalid_request',
      error_description: 'Missing required parameter: token',
    })
  })

  it('answers 401 invalid_client for bad client authentication', async () => {
    const token = await edl.issueUserToken('demo')
    const userBearer = `Bearer ${await edl.issueUserToken('demo')}`
    const attempts = [
      cumulus({ token }, basic('tea-local', 'wrong')),
      cumulus({ client_id: 'other-app', token }),
      harmony({ token }, userBearer),
      harmony({ token }, 'Bearer nope'),
      harmony({ client_id: 'other-app', token }),
      fetch(`${edl.url}/oauth/tokens/user`, {
        method: 'POST',
        body: new URLSearchParams({ token }),
      }),
    ]
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(401)
      expect(await res.json()).toEqual({
        error: 'invalid_client',
        error_description: 'Invalid client credentials',
      })
    }
  })
})
