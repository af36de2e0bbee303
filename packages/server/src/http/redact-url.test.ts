import { describe, expect, it } from 'vitest'
import { redactUrl } from './redact-url.js'

const R = encodeURIComponent('[REDACTED]')

describe('redactUrl', () => {
  it.each([
    ['/login', '/login'],
    ['/login?code=abc&state=%2Fx', '/login?code=[REDACTED]&state=%2Fx'],
    [
      '/x?access_token=a&Token=b&my_secret=c&password=d&page=2',
      '/x?access_token=[REDACTED]&Token=[REDACTED]&my_secret=[REDACTED]&password=[REDACTED]&page=2',
    ],
    ['/x?%63ode=abc', '/x?%63ode=[REDACTED]'],
    ['/x?%2563ode=abc', '/x?%2563ode=[REDACTED]'],
    ['/x?code', '/x?code'],
    ['/x?%E0%A4%A=1', '/x?%E0%A4%A=1'],
    [
      '/o?X-Amz-Security-Token=t&X-Amz-Signature=s&X-Amz-Date=d',
      '/o?X-Amz-Security-Token=[REDACTED]&X-Amz-Signature=[REDACTED]&X-Amz-Date=d',
    ],
  ])('%s → %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected)
  })

  it('redacts secret names inside state, encoded once', () => {
    expect(redactUrl('/login?code=c&state=%2Fs3credentials%3Ftoken%3Dsecret%26page%3D2')).toBe(
      `/login?code=[REDACTED]&state=%2Fs3credentials%3Ftoken%3D${R}%26page%3D2`,
    )
  })

  it('redacts secret names inside state, encoded twice', () => {
    const state = encodeURIComponent(encodeURIComponent('/data/f.nc?X-Amz-Security-Token=sts'))
    expect(redactUrl(`/login?state=${state}`)).toBe(
      `/login?state=${encodeURIComponent(`/data/f.nc?X-Amz-Security-Token=[REDACTED]`)}`,
    )
  })

  it('redacts a nested query that is not behind a path, and an unencoded one', () => {
    expect(redactUrl('/x?next=token%3Dabc%26a%3D1')).toBe(`/x?next=token%3D${R}%26a%3D1`)
    expect(redactUrl('/login?state=/s3credentials?token=abc')).toBe(
      `/login?state=${encodeURIComponent('/s3credentials?token=[REDACTED]')}`,
    )
  })

  it('leaves values without secrets exactly as they came', () => {
    for (const url of [
      '/login?state=%2Fs3credentials%3Fpage%3D2',
      '/login?state=%252Fa%253Fb%253D1',
      '/x?a=%ZZ&b=%',
      '/x?q=a+b&r=%2B',
    ]) {
      expect(redactUrl(url)).toBe(url)
    }
  })
})
