import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import type { BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TEST_CLIENT_ID, CURL, basic, startStack } from './fixtures/login-harness.js'
import type { Stack } from './fixtures/login-harness.js'

/**
 * A real browser (Debian's headless chromium, driven by playwright-core) logs in: the welcome
 * page, EDL's login form on the emulator, back to the service with the session cookie.
 */

const ARTIFACTS = new URL('../artifacts/', import.meta.url)
let stack: Stack
let browser: BrowserContext
let profileDir: string

beforeAll(async () => {
  stack = await startStack()
  profileDir = mkdtempSync(join(tmpdir(), 'tea-chromium-'))
  browser = await chromium.launchPersistentContext(profileDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
})

afterAll(async () => {
  await browser?.close()
  await stack?.close()
  if (profileDir) rmSync(profileDir, { recursive: true, force: true })
})

describe('browser login', () => {
  it('goes from / to the EDL login form and back, logged in', async () => {
    const page = await browser.newPage()
    await page.goto(`${stack.server.url}/`)
    expect(await page.title()).toBe('Egress | Welcome')
    await page.click('#logincontrols a')
    await page.waitForURL(`${stack.edl.url}/oauth/authorize?**`)
    await page.fill('#username', 'demo')
    await page.fill('#password', 'demo-pass')
    await Promise.all([page.waitForURL(`${stack.server.url}/`), page.click('input[name="commit"]')])

    expect(await page.textContent('#welcome')).toBe('Welcome URS user Demo User.')
    expect(await page.textContent('#logincontrols')).toBe('Log Out')

    // Chromium stores our Secure, HttpOnly cookie over http://127.0.0.1 (a secure context).
    // Cookies ignore ports, so the emulator's own session cookie is listed too: pick ours.
    const ours = async () =>
      (await browser.cookies(stack.server.url)).filter((c) => c.name === 'asf-urs')
    const cookies = await ours()
    expect(
      cookies.map((c) => ({
        name: c.name,
        httpOnly: c.httpOnly,
        secure: c.secure,
        sameSite: c.sameSite,
      })),
    ).toEqual([{ name: 'asf-urs', httpOnly: true, secure: true, sameSite: 'Lax' }])

    mkdirSync(ARTIFACTS, { recursive: true })
    const shot = new URL('browser-login.png', ARTIFACTS)
    await page.screenshot({ path: shot.pathname, fullPage: true })
    expect(statSync(shot).size).toBeGreaterThan(1000)

    // The cookie now opens the protected route; logging out removes it.
    const protectedPage = await page.goto(`${stack.server.url}/protected`)
    expect(protectedPage?.status()).toBe(200)
    expect(await protectedPage?.json()).toEqual({ user: 'demo', groups: ['science_team'] })
    await page.goto(`${stack.server.url}/logout`)
    expect(await page.textContent('#contentstring')).toBe('You are logged out.')
    expect(await ours()).toEqual([])
  })

  it('comes back to the page it started from (state), not to the welcome page', async () => {
    // Forget the emulator's login session too, so EDL shows its form again.
    await browser.clearCookies()
    const page = await browser.newPage()
    await page.goto(`${stack.server.url}/protected`)
    await page.waitForURL(`${stack.edl.url}/oauth/authorize?**`)
    expect(new URL(page.url()).searchParams.get('state')).toBe('/protected')
    expect(new URL(page.url()).searchParams.get('app_type')).toBeNull()
    await page.fill('#username', 'demo')
    await page.fill('#password', 'demo-pass')
    await Promise.all([
      page.waitForURL(`${stack.server.url}/protected`),
      page.click('input[name="commit"]'),
    ])
    expect(JSON.parse((await page.textContent('body')) ?? '')).toEqual({
      user: 'demo',
      groups: ['science_team'],
    })
  })

  it("refuses an attacker's /login link (login CSRF): a 400 page, no session, a link to log in again", async () => {
    // The attacker logs in with their own account and stops before /login.
    const authorize =
      `${stack.edl.url}/oauth/authorize?client_id=${TEST_CLIENT_ID}&response_type=code` +
      `&redirect_uri=${encodeURIComponent(`${stack.server.url}/login`)}&state=%2Fprotected`
    const atEdl = await fetch(authorize, {
      redirect: 'manual',
      headers: { authorization: basic('demo', 'demo-pass'), 'user-agent': CURL },
    })
    const attackersLink = atEdl.headers.get('location') ?? ''
    expect(attackersLink).toContain('/login?code=')

    await browser.clearCookies()
    const page = await browser.newPage()
    const violations: string[] = []
    page.on('console', (m) => {
      if (m.text().includes('Content Security Policy')) violations.push(m.text())
    })
    const res = await page.goto(attackersLink)
    expect(res?.status()).toBe(400)
    expect(await page.textContent('#contentstring')).toContain(
      'This login was not started in this browser',
    )
    expect(await page.getAttribute('#contentstring a', 'href')).toBe(
      `${stack.server.url}/protected`,
    )
    expect((await browser.cookies(stack.server.url)).map((c) => c.name)).not.toContain('asf-urs')
    // Our one inline stylesheet is allowed by the page's CSP; nothing was refused.
    expect(violations).toEqual([])
  })
})
