import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningEdlEmulator } from '../start-edl-emulator.js'
import { basic, startTestEmulator } from '../testing/emulator-harness.js'

const REDIRECT = 'http://127.0.0.1:1/login'
const CHALLENGE = 'Basic realm="Please enter your Earthdata Login credentials"'

let edl: RunningEdlEmulator
beforeAll(async () => {
  ;({ edl } = await startTestEmulator())
})
afterAll(() => edl.close())

function authorizeUrl(extra: Record<string, string> = {}, base?: Record<string, string>): URL {
  const url = new URL('/oauth/authorize', edl.url)
  const params = base ?? { client_id: 'tea-local', redirect_uri: REDIRECT, response_type: 'code' }
  url.search = new URLSearchParams({ ...params, ...extra }).toString()
  return url
}

const get = (url: URL, headers: Record<string, string> = {}) =>
  fetch(url, { redirect: 'manual', headers })
const post = (url: URL | string, form: Record<string, string>, headers = {}) =>
  fetch(url, { method: 'POST', redirect: 'manual', headers, body: new URLSearchParams(form) })
const location = (res: Response): URL => new URL(res.headers.get('location') ?? 'missing:')

describe('GET /oauth/authorize', () => {
  it('shows the login form with the OAuth query carried in hidden fields', async () => {
    const res = await get(authorizeUrl({ state: '/s3credentials' }))
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(res.headers.get('cache-control')).toBe('no-store')
    const html = await res.text()
    expect(html).toContain('<form id="login" method="post" action="/oauth/authorize">')
    expect(html).toContain('<input type="hidden" name="client_id" value="tea-local">')
    expect(html).toContain(`<input type="hidden" name="redirect_uri" value="${REDIRECT}">`)
    expect(html).toContain('<input type="hidden" name="state" value="/s3credentials">')
    expect(html).toContain('<input id="password" name="password" type="password"')
    expect(html).toContain('<strong>TEA local</strong>')
    expect(html).not.toContain('id="error"')
  })

  it('escapes query values in the page (no XSS through state)', async () => {
    const res = await get(authorizeUrl({ state: '"><script>alert(1)</script>' }))
    const html = await res.text()
    expect(html).not.toContain('<script>')
    expect(html).toContain('value="&#34;&#62;&#60;script&#62;alert(1)&#60;/script&#62;"')
  })

  it('answers app_type=401 without credentials with a Basic challenge', async () => {
    const res = await get(authorizeUrl({ app_type: '401' }))
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBe(CHALLENGE)
    expect(await res.text()).toBe('HTTP Basic: Access denied.\n')
  })

  it('answers app_type=401 with wrong or malformed credentials with the challenge', async () => {
    for (const authorization of [basic('demo', 'wrong'), 'Basic %%%', 'Bearer abc', 'Digest x']) {
      const res = await get(authorizeUrl({ app_type: '401' }), { authorization })
      expect(res.status, authorization).toBe(401)
      expect(res.headers.get('www-authenticate')).toBe(CHALLENGE)
    }
  })

  it('redirects with a code and the state verbatim for valid Basic credentials', async () => {
    const state = '/path with spaces?x=1&y=%2F é'
    const res = await get(authorizeUrl({ state, app_type: '401' }), {
      authorization: basic('demo', 'demo-pass'),
    })
    expect(res.status).toBe(302)
    const target = location(res)
    expect(target.origin + target.pathname).toBe(REDIRECT)
    expect(target.searchParams.get('code')).toMatch(/^[A-Za-z0-9_-]{32}$/)
    expect(target.searchParams.get('state')).toBe(state)
    expect([...target.searchParams.keys()]).toEqual(['code', 'state'])
  })

  it('keeps the query already in redirect_uri and omits state when none was given', async () => {
    const res = await get(authorizeUrl({ redirect_uri: `${REDIRECT}?keep=1` }), {
      authorization: basic('demo', 'demo-pass'),
    })
    const target = location(res)
    expect([...target.searchParams.keys()]).toEqual(['keep', 'code'])
    expect(target.searchParams.get('keep')).toBe('1')
  })

  it('redirects with error=access_denied and the state when the EULA is not accepted', async () => {
    for (const [uid, password] of [
      ['noeula', 'noeula-pass'],
      ['nobody', 'nobody-pass'],
    ] as const) {
      const res = await get(authorizeUrl({ state: 'abc' }), {
        authorization: basic(uid, password),
      })
      expect(res.status).toBe(302)
      expect(location(res).href).toBe(`${REDIRECT}?error=access_denied&state=abc`)
    }
  })

  it('lets noeula log in to an app whose EULA it accepted', async () => {
    const res = await get(authorizeUrl({ client_id: 'other-app' }), {
      authorization: basic('noeula', 'noeula-pass'),
    })
    expect(res.status).toBe(302)
    expect(location(res).searchParams.has('code')).toBe(true)
  })

  it.each([
    [{ client_id: 'nope' }, 'Invalid client_id: no such application'],
    [
      { redirect_uri: 'javascript:alert(1)' },
      'The redirect_uri is not registered for this application',
    ],
    [{ redirect_uri: '/relative' }, 'The redirect_uri is not registered for this application'],
    [{ client_id: 'strict-app' }, 'The redirect_uri is not registered for this application'],
    [{ response_type: 'token' }, 'Unsupported response_type: only &#34;code&#34; is supported'],
  ])('shows a 400 error page and never redirects for %j', async (extra, message) => {
    const res = await get(authorizeUrl(extra), { authorization: basic('demo', 'demo-pass') })
    expect(res.status).toBe(400)
    expect(res.headers.get('location')).toBeNull()
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(await res.text()).toContain(`<p id="message">${message}</p>`)
  })

  it.each([
    ['client_id', 'Missing required parameter: client_id'],
    ['redirect_uri', 'Missing required parameter: redirect_uri'],
    ['response_type', 'Unsupported response_type: only &#34;code&#34; is supported'],
  ])('shows a 400 error page when %s is missing', async (missing, message) => {
    const params: Record<string, string> = {
      client_id: 'tea-local',
      redirect_uri: REDIRECT,
      response_type: 'code',
    }
    delete params[missing]
    const res = await get(authorizeUrl({}, params))
    expect(res.status).toBe(400)
    expect(await res.text()).toContain(`<p id="message">${message}</p>`)
  })

  it('accepts a registered redirect_uri of a strict app', async () => {
    const res = await get(
      authorizeUrl({ client_id: 'strict-app', redirect_uri: 'http://127.0.0.1:9/callback' }),
      { authorization: basic('demo', 'demo-pass') },
    )
    expect(res.status).toBe(302)
    expect(location(res).origin).toBe('http://127.0.0.1:9')
  })
})

describe('POST /oauth/authorize', () => {
  const fields = { client_id: 'tea-local', redirect_uri: REDIRECT, response_type: 'code' }

  it('logs in with the form fields and redirects with code and state', async () => {
    const res = await post(`${edl.url}/oauth/authorize`, {
      ...fields,
      state: 'st',
      username: 'demo',
      password: 'demo-pass',
    })
    expect(res.status).toBe(302)
    const target = location(res)
    expect(target.searchParams.get('state')).toBe('st')
    expect(target.searchParams.has('code')).toBe(true)
  })

  it('shows the form again with an error (401) for wrong credentials', async () => {
    const res = await post(`${edl.url}/oauth/authorize`, {
      ...fields,
      state: '<b>',
      username: 'demo',
      password: 'nope',
    })
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBeNull()
    const html = await res.text()
    expect(html).toContain('<p id="error" role="alert">Invalid username or password.</p>')
    expect(html).toContain('<input type="hidden" name="state" value="&#60;b&#62;">')
  })

  it('treats a form with only a username as wrong credentials', async () => {
    const res = await post(`${edl.url}/oauth/authorize`, { ...fields, username: 'demo' })
    expect(res.status).toBe(401)
    expect(await res.text()).toContain('Invalid username or password.')
  })

  it('accepts Cumulus-style credentials=base64(user:pass) posted to the authorize URL', async () => {
    const url = authorizeUrl({ state: '/s3credentials' })
    const credentials = Buffer.from('demo:demo-pass').toString('base64')
    const res = await post(url, { credentials }, { origin: 'http://127.0.0.1:1' })
    expect(res.status).toBe(302)
    expect(location(res).searchParams.get('state')).toBe('/s3credentials')
  })

  it('rejects malformed or wrong Cumulus-style credentials without a 5xx', async () => {
    for (const credentials of ['!!!notbase64', Buffer.from('nocolon').toString('base64'), '']) {
      const res = await post(authorizeUrl({ app_type: '401' }), { credentials })
      expect(res.status, credentials).toBe(401)
    }
  })

  it('redirects with access_denied for a user without the EULA', async () => {
    const res = await post(`${edl.url}/oauth/authorize`, {
      ...fields,
      username: 'noeula',
      password: 'noeula-pass',
    })
    expect(location(res).href).toBe(`${REDIRECT}?error=access_denied`)
  })
})

describe('browser session', () => {
  const fields = { client_id: 'tea-local', redirect_uri: REDIRECT, response_type: 'code' }

  it('starts after a form login, skips the form until logout', async () => {
    const login = await post(`${edl.url}/oauth/authorize`, {
      ...fields,
      username: 'demo',
      password: 'demo-pass',
    })
    const setCookie = login.headers.get('set-cookie') ?? ''
    expect(setCookie).toMatch(
      /^_urs-gui_session=[A-Za-z0-9_-]{32}; Path=\/; HttpOnly; SameSite=Lax$/,
    )
    const cookie = setCookie.split(';')[0] ?? ''

    const extras: Array<Record<string, string>> = [{ state: 'again' }, { app_type: '401' }]
    for (const extra of extras) {
      const again = await get(authorizeUrl(extra), { cookie: `other=1; ${cookie}` })
      expect(again.status).toBe(302)
      expect(location(again).searchParams.has('code')).toBe(true)
      expect(again.headers.get('set-cookie')).toBeNull()
    }

    const logout = await get(new URL('/logout', edl.url), { cookie })
    expect(logout.status).toBe(200)
    expect(logout.headers.get('set-cookie')).toBe(
      '_urs-gui_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0',
    )
    expect((await get(authorizeUrl(), { cookie })).status).toBe(200)
  })

  it('is not started by Basic or Cumulus-style logins, and ignores unknown cookies', async () => {
    const basicLogin = await get(authorizeUrl(), { authorization: basic('demo', 'demo-pass') })
    expect(basicLogin.headers.get('set-cookie')).toBeNull()
    const credentials = Buffer.from('demo:demo-pass').toString('base64')
    expect((await post(authorizeUrl(), { credentials })).headers.get('set-cookie')).toBeNull()
    const bogus = await get(authorizeUrl(), { cookie: '_urs-gui_session=forged' })
    expect(bogus.status).toBe(200)
  })
})
