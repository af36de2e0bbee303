import { describe, expect, it } from 'vitest'
import { escapeHtml, html, link } from './html.js'
import { renderErrorPage, renderRootPage } from './pages.js'

describe('escapeHtml and html``', () => {
  it('escapes the five HTML specials', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    )
  })

  it('escapes interpolations, keeps nested html, joins arrays and drops empty values', () => {
    const inner = html`<b>${'<i>'}</b>`
    expect(
      html`<p>${'<script>'}${inner}${['<', html`<em>e</em>`]}${undefined}${null}${false}${0}</p>`
        .value,
    ).toBe('<p>&lt;script&gt;<b>&lt;i&gt;</b>&lt;<em>e</em>0</p>')
  })

  it('links only http(s) URLs', () => {
    expect(link('https://x.example/?a=1&b="2"', 'go').value).toBe(
      '<a href="https://x.example/?a=1&amp;b=&quot;2&quot;">go</a>',
    )
    expect(link('javascript:alert(1)', 'javascript:alert(1)').value).toBe('javascript:alert(1)')
  })
})

describe('pages', () => {
  it("renders TEA's error page with an escaped title and content, links as links", () => {
    const page = renderErrorPage({
      statusCode: 403,
      title: 'EULA <b>',
      content: [
        'Could not fetch data because "x".',
        ' Please accept EULA here: ',
        {
          href: 'https://edl.example/approve?a=1&b=2',
          text: 'https://edl.example/approve?a=1&b=2',
        },
      ],
      requestId: 'req-1',
    })
    expect(page).toContain('<title>Egress | 403 EULA &lt;b&gt;</title>')
    expect(page).toContain('<div id="status_code">403</div>')
    expect(page).toContain(
      '<div id="contentstring">Could not fetch data because &quot;x&quot;. Please accept EULA here: <a href="https://edl.example/approve?a=1&amp;b=2">https://edl.example/approve?a=1&amp;b=2</a></div>',
    )
    expect(page).toContain('<span id="requestid">req-1</span>')
  })

  it('renders the root page for anonymous and logged-in users', () => {
    const anonymous = renderRootPage({
      title: 'Welcome',
      loginUrl: 'https://edl/authorize?a=1&b=2',
      logoutUrl: '/logout',
      requestId: 'r',
    })
    expect(anonymous).toContain(
      '<div id="logincontrols"><a href="https://edl/authorize?a=1&amp;b=2">Log In</a></div>',
    )
    expect(anonymous).not.toContain('Welcome URS user')
    const user = {
      userId: 'u<1>',
      firstName: '<Jane>',
      lastName: 'Doe',
      email: 'e',
      groups: [{ client_id: 'c', name: 'g<' }],
      accessToken: 'SECRET',
    }
    const dev = renderRootPage({
      title: 'Welcome',
      logoutUrl: 'https://t/logout',
      user,
      showProfile: true,
      requestId: 'r',
    })
    expect(dev).toContain('<a href="https://t/logout">Log Out</a>')
    expect(dev).toContain('<p id="welcome">Welcome URS user &lt;Jane&gt; Doe.</p>')
    expect(dev).toContain('<dd>u&lt;1&gt;</dd>')
    expect(dev).toContain('<li>g&lt; (c)</li>')
    expect(dev).not.toContain('SECRET')
    expect(
      renderRootPage({ title: 'Welcome', logoutUrl: '/logout', user, requestId: 'r' }),
    ).not.toContain('id="profile"')
  })
})
