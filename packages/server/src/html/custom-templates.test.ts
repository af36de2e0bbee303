import { readFileSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { templatePages } from './custom-templates.js'
import { directoryTemplateSource } from './load-templates.js'

// A Jinja template set written the way DAACs write theirs for TEA (extends, blocks, `or`,
// subscripts, `if` on variables TEA may leave out).
const DIR = fileURLToPath(new URL('../../../../test/fixtures/jinja-templates/', import.meta.url))
const all = new Map(readdirSync(DIR).map((name) => [name, readFileSync(`${DIR}${name}`, 'utf8')]))

describe('templatePages (HTML_TEMPLATE_DIR)', () => {
  const pages = templatePages({ templates: all, stage: 'DEV', showProfile: true })

  it("renders error.html with TEA's variables, escaped", () => {
    const page = pages.error({
      statusCode: 404,
      title: 'File not found',
      content: ['No <such> file'],
      requestId: 'req-1',
    })
    expect(page).toContain('<title>DAAC Egress | 404 File not found</title>')
    expect(page).toContain('Example DAAC (DEV)')
    expect(page).toContain('<div id="contentstring">No &lt;such&gt; file</div>')
    expect(page).toContain('<span id="requestid">req-1</span>')
  })

  it('renders root.html for anonymous and logged-in users', () => {
    const anonymous = pages.root({
      title: 'Welcome',
      loginUrl: 'https://edl.example/oauth/authorize?client_id=a&x=1',
      logoutUrl: '/logout',
      requestId: 'r',
    })
    expect(anonymous).toContain(
      'href="https://edl.example/oauth/authorize?client_id=a&amp;x=1">Log in with Earthdata Login',
    )
    const user = {
      userId: 'jdoe',
      firstName: 'Jane',
      lastName: 'Doe',
      email: 'j@example.com',
      groups: [],
      accessToken: 'secret-token',
    }
    const loggedIn = pages.root({ title: 'Welcome', logoutUrl: '/logout', user, requestId: 'r' })
    expect(loggedIn).toContain('href="/DEV/logout"')
    expect(loggedIn).toContain('Welcome Jane Doe')
    expect(loggedIn).not.toContain('secret-token')
  })

  it('keeps the built-in page for a template the set lacks', () => {
    const partial = templatePages({
      templates: new Map([['root.html', 'custom root']]),
      stage: undefined,
      showProfile: false,
    })
    const page = partial.error({ statusCode: 403, title: 'T', content: ['x'], requestId: 'r' })
    expect(page).toContain('<title>Egress | 403 T</title>')
    expect(partial.root({ title: 'W', logoutUrl: '/l', requestId: 'r' })).toBe('custom root')
  })

  it('loads a local directory', async () => {
    expect([...(await directoryTemplateSource(DIR).list()).keys()].sort()).toEqual([
      'base.html',
      'error.html',
      'root.html',
    ])
  })
})
