import { describe, expect, it } from 'vitest'
import { httpDate, logoutSetCookie, readCookie, sessionSetCookie } from './cookies.js'

describe('readCookie', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['asf-urs=abc', 'abc'],
    ['a=1; asf-urs=abc.def.ghi; b=2', 'abc.def.ghi'],
    ['a=1;asf-urs=x', 'x'],
    ['asf-urs="quoted"', 'quoted'],
    ['asf-urs=first; asf-urs=second', 'first'],
    ['xasf-urs=nope; asf-ursx=nope', undefined],
    ['asf-urs', undefined],
    ['asf-urs=', ''],
    ['asf-urs=a=b', 'a=b'],
    [';;; =; asf-urs=ok', 'ok'],
    ['junk; asf-urs=v', 'v'],
    ['asf-urs; asf-urs=v; x', 'v'],
    ['a=1; asf-urs ; b', undefined],
    [' asf-urs = spaced ', 'spaced'],
  ])('%j → %j', (header, expected) => {
    expect(readCookie(header, 'asf-urs')).toBe(expected)
  })

  it('finds the cookie after many parts without a value', () => {
    expect(readCookie(`${'a;'.repeat(8_000)}asf-urs=late`, 'asf-urs')).toBe('late')
    expect(readCookie(`${'a;'.repeat(8_000)}=`, 'asf-urs')).toBeUndefined()
  })
})

describe('Set-Cookie strings', () => {
  it("keep TEA's attribute order and add HttpOnly, Secure and SameSite=Lax", () => {
    // rain-api-core test_get_header_to_set_auth_cookie, plus our attributes.
    expect(
      sessionSetCookie('auth-cookie', 'COOKIE_VALUE', 1, { domain: 'DOMAIN', secure: true }),
    ).toBe(
      'auth-cookie=COOKIE_VALUE; Expires=Thu, 01 Jan 1970 00:00:01 GMT; Path=/; Domain=DOMAIN; HttpOnly; Secure; SameSite=Lax',
    )
    expect(sessionSetCookie('asf-urs', 'jwt', 1_700_000_000, { secure: false })).toBe(
      'asf-urs=jwt; Expires=Tue, 14 Nov 2023 22:13:20 GMT; Path=/; HttpOnly; SameSite=Lax',
    )
  })

  it("logout sets TEA's expired value at the epoch", () => {
    expect(logoutSetCookie('asf-urs', { domain: '.example.com', secure: true })).toBe(
      'asf-urs=expired; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/; Domain=.example.com; HttpOnly; Secure; SameSite=Lax',
    )
    expect(logoutSetCookie('asf-urs', { domain: undefined, secure: true })).toBe(
      'asf-urs=expired; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/; HttpOnly; Secure; SameSite=Lax',
    )
  })

  it('formats RFC 7231 IMF-fixdate', () => {
    expect(httpDate(0)).toBe('Thu, 01 Jan 1970 00:00:00 GMT')
    expect(httpDate(1_700_000_000)).toBe('Tue, 14 Nov 2023 22:13:20 GMT')
  })
})
