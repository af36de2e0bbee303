import { describe, expect, it } from 'vitest'
import { corsAllowed, corsHeaders } from './cors.js'

describe('corsAllowed', () => {
  it.each([
    ['https://example.org', 'example.org', true],
    ['https://search.example.org', 'example.org', true],
    ['https://search.example.org:8443', '.example.org', true],
    ['https://evilexample.org', 'example.org', false],
    ['https://example.org.evil.com', 'example.org', false],
    ['null', 'example.org', true],
    ['NULL', 'example.org', true],
    ['https://example.org', undefined, false],
    ['not a url', 'example.org', false],
  ] as const)('%s vs %s → %s', (origin, suffix, allowed) => {
    expect(corsAllowed(origin, suffix)).toBe(allowed)
  })

  it('echoes the origin with credentials (TEA test_add_cors_headers)', () => {
    expect(corsHeaders('https://a.example.org', 'example.org')).toEqual({
      'access-control-allow-origin': 'https://a.example.org',
      'access-control-allow-credentials': 'true',
    })
    expect(corsHeaders('https://other.org', 'example.org')).toEqual({})
    expect(corsHeaders(undefined, 'example.org')).toEqual({})
  })
})
