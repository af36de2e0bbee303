import { describe, expect, it } from 'vitest'
import { loginRedirectTarget, statePath } from './redirect-target.js'

describe('statePath', () => {
  it.each([
    ['/DEV/some/path', 'data.example', '/some/path'],
    ['/DEV', 'data.example', '/'],
    ['/DEV?x=1', 'data.example', '/?x=1'],
    ['/DEVICE/x', 'data.example', '/DEVICE/x'],
    ['/other/DEV/x', 'data.example', '/other/DEV/x'],
    ['/DEV/some/path', undefined, '/DEV/some/path'],
  ])('%s with DOMAIN_NAME=%s → %s', (path, domainName, expected) => {
    expect(statePath(path, { stageName: 'DEV', domainName })).toBe(expected)
  })
})

describe('loginRedirectTarget', () => {
  const base = 'https://tea.example/'
  it.each([
    ['/s3credentials', '/s3credentials'],
    ['/data/file.nc?A-api-request-uuid=1', '/data/file.nc?A-api-request-uuid=1'],
    ['/a/../b', '/b'],
    ['/with space', '/with%20space'],
  ])('keeps the path %s on this service → %s', (state, expected) => {
    expect(loginRedirectTarget(state, base)).toBe(expected)
  })

  it.each([
    undefined,
    '',
    'https://evil.example',
    'https://evil.example/s3credentials',
    'http://tea.example/x',
    '//evil.example',
    '//evil.example/path',
    '/\\evil.example',
    '\\\\evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'data:text/html,hi',
    'evil.example',
    '%2F%2Fevil.example',
    '/%2Fevil.example',
    '/%2F%2Fevil.example',
    '/%5Cevil.example',
    '/%E0%A4%A',
    `/${'a'.repeat(2048)}`,
  ])('sends %#: %.40j to the base URL', (state) => {
    expect(loginRedirectTarget(state, base)).toBe(base)
  })

  it('requires the base path when the service lives under a stage', () => {
    const staged = 'https://abc.execute-api.us-west-2.amazonaws.com/DEV/'
    expect(loginRedirectTarget('/DEV/s3credentials', staged)).toBe('/DEV/s3credentials')
    expect(loginRedirectTarget('/PROD/s3credentials', staged)).toBe(staged)
  })
})
