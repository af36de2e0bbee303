import { describe, expect, it } from 'vitest'
import { buildAuthorizeUrl, isBrowser } from './authorize-url.js'

const base = {
  authBaseUrl: 'https://urs.earthdata.nasa.gov',
  clientId: 'URS_ID',
  redirectUri: 'https://example.com/DEV/login',
}
const PREFIX =
  'https://urs.earthdata.nasa.gov/oauth/authorize?client_id=URS_ID&response_type=code&redirect_uri=https%3A%2F%2Fexample.com%2FDEV%2Flogin'

describe('buildAuthorizeUrl', () => {
  it('encodes every value, redirect_uri included (TEA leaves it raw)', () => {
    expect(buildAuthorizeUrl({ ...base, userAgent: 'Mozilla/5.0' })).toBe(PREFIX)
    expect(
      buildAuthorizeUrl({ ...base, state: '/DEV/some path?x=1&y=2', userAgent: 'Mozilla/5.0' }),
    ).toBe(`${PREFIX}&state=%2FDEV%2Fsome%20path%3Fx%3D1%26y%3D2`)
    expect(buildAuthorizeUrl({ ...base, clientId: 'a&b=c', userAgent: undefined })).toContain(
      'client_id=a%26b%3Dc&',
    )
  })

  it.each([
    ['Mozilla/5.0 (X11; Linux x86_64)', ''],
    ['Mozilla', ''],
    ['mozilla/5.0', '&app_type=401'],
    ['curl/8.5.0', '&app_type=401'],
    ['python-requests/2.31', '&app_type=401'],
    ['', '&app_type=401'],
    [undefined, ''],
  ])('user agent %j → %j (as TEA get_urs_url)', (userAgent, suffix) => {
    expect(buildAuthorizeUrl({ ...base, state: '/x', userAgent })).toBe(
      `${PREFIX}&state=%2Fx${suffix}`,
    )
  })
})

describe('isBrowser', () => {
  it.each([
    ['Mozilla/5.0', true],
    ['mozilla/5.0 (compatible; bingbot/2.0)', true],
    ['MOZILLA', true],
    ['curl/8', false],
    ['', false],
    [undefined, false],
  ])('%j → %j', (ua, expected) => {
    expect(isBrowser(ua)).toBe(expected)
  })
})
