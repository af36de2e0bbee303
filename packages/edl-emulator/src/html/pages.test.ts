import { describe, expect, it } from 'vitest'
import { approvePage, escapeHtml, loginPage, messagePage } from './pages.js'

describe('escapeHtml', () => {
  it('escapes the five HTML-special characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;&#60;/a&#62;',
    )
  })
})

describe('pages', () => {
  const evil = `"><img src=x onerror=alert(1)>`

  it('escape every interpolated value', () => {
    const pages = [
      loginPage({ client_id: evil, redirect_uri: evil, state: evil }, evil, evil),
      approvePage(evil, evil, evil),
      messagePage(evil, evil),
    ]
    for (const html of pages) {
      expect(html).not.toContain('<img')
      expect(html).toContain('&#34;&#62;&#60;img src=x onerror=alert(1)&#62;')
    }
  })

  it('carries only the OAuth parameters in hidden fields', () => {
    const html = loginPage(
      { client_id: 'a', redirect_uri: 'b', response_type: 'code', app_type: '401', password: 'p' },
      'App',
    )
    expect(html.match(/type="hidden"/g)).toHaveLength(4)
    expect(html).not.toContain('value="p"')
  })
})
