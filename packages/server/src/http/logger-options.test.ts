import { describe, expect, it } from 'vitest'
import { redactUrl } from './logger-options.js'

describe('redactUrl', () => {
  it.each([
    ['/login', '/login'],
    ['/login?code=abc&state=%2Fx', '/login?code=[REDACTED]&state=%2Fx'],
    [
      '/x?access_token=a&Token=b&my_secret=c&password=d&page=2',
      '/x?access_token=[REDACTED]&Token=[REDACTED]&my_secret=[REDACTED]&password=[REDACTED]&page=2',
    ],
    ['/x?%63ode=abc', '/x?%63ode=[REDACTED]'],
    ['/x?code', '/x?code'],
    ['/x?%E0%A4%A=1', '/x?%E0%A4%A=1'],
  ])('%s → %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected)
  })
})
