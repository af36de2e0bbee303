import fc from 'fast-check'
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
    ['/a/.//b', '/a//b'],
  ])('keeps the path %s on this service → %s', (state, expected) => {
    expect(loginRedirectTarget(state, base)).toBe(`https://tea.example${expected}`)
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
    // Normalisation that produces a new leading `//` (the security review's payloads).
    '/.//evil.com',
    '/..//evil.com',
    '/a/..//evil.com',
    '/%2e//evil.com',
    '/%2E%2E//evil.com',
    '/x/%2e%2e//evil.com',
    '/././/evil.com/x?y',
  ])('sends %#: %.40j to the base URL', (state) => {
    expect(loginRedirectTarget(state, base)).toBe(base)
  })

  it('requires the base path when the service lives under a stage', () => {
    const staged = 'https://abc.execute-api.us-west-2.amazonaws.com/DEV/'
    expect(loginRedirectTarget('/DEV/s3credentials', staged)).toBe(`${staged}s3credentials`)
    expect(loginRedirectTarget('/PROD/s3credentials', staged)).toBe(staged)
  })
})

describe('loginRedirectTarget (property)', () => {
  // Pieces that URL parsers treat specially, so arbitrary strings reach the interesting cases.
  const piece = fc.constantFrom(
    '/',
    '//',
    '.',
    '..',
    '%2e',
    '%2E',
    '%2f',
    '%2F',
    '%5c',
    '\\',
    '@',
    ':',
    '?',
    '#',
    '%',
    'evil.com',
    'tea.example',
    'DEV',
    'http:',
    'javascript:',
    ' ',
    '\t',
    '\u0000',
    'é',
    '%00',
  )
  const state = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 60 }),
    fc.array(piece, { maxLength: 12 }).map((parts) => parts.join('')),
    fc.array(piece, { maxLength: 12 }).map((parts) => `/${parts.join('')}`),
  )
  const bases = ['https://tea.example/', 'https://abc.execute-api.us-west-2.amazonaws.com/DEV/']

  it('always resolves to the service origin, under its base path', () => {
    fc.assert(
      fc.property(state, fc.constantFrom(...bases), (s, baseUrl) => {
        const base = new URL(baseUrl)
        const location = loginRedirectTarget(s, baseUrl)
        // Resolved as a browser resolves a Location against the /login URL.
        const resolved = new URL(location, new URL('login?code=x', base))
        expect(resolved.origin).toBe(base.origin)
        expect(resolved.pathname.startsWith(base.pathname)).toBe(true)
        expect(resolved.pathname.startsWith('//')).toBe(false)
      }),
      { seed: 20261201, numRuns: 5000 },
    )
  })
})
