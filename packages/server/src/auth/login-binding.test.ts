import { describe, expect, it } from 'vitest'
import { createLoginBinding } from './login-binding.js'

describe('createLoginBinding', () => {
  let now = 1_700_000_000_000
  const binding = createLoginBinding({ secret: 'server secret', now: () => now })

  it('accepts its own value for the same state until it expires', () => {
    const value = binding.issue('/s3credentials')
    expect(binding.check(value, '/s3credentials')).toBe('bound')
    now += 599_000
    expect(binding.check(value, '/s3credentials')).toBe('bound')
    now += 1_000
    expect(binding.check(value, '/s3credentials')).toBe('mismatch')
  })

  it('treats no state and an empty state alike, and tells missing from wrong', () => {
    expect(binding.check(binding.issue(undefined), '')).toBe('bound')
    expect(binding.check(undefined, '/x')).toBe('missing')
    expect(binding.check('', '/x')).toBe('missing')
  })

  it('refuses another state, another key, a changed expiry and malformed values', () => {
    const value = binding.issue('/a')
    const [expiry, nonce, mac] = value.split('.') as [string, string, string]
    const other = createLoginBinding({ secret: 'another secret', now: () => now })
    expect(binding.check(value, '/b')).toBe('mismatch')
    expect(other.check(value, '/a')).toBe('mismatch')
    expect(binding.check(`${Number(expiry) + 9999}.${nonce}.${mac}`, '/a')).toBe('mismatch')
    for (const bad of ['x', 'a.b', `${value}.x`, `1e9.${nonce}.${mac}`, `${expiry}.${nonce}.`])
      expect(binding.check(bad, '/a')).toBe('mismatch')
  })

  it('issues a fresh nonce every time', () => {
    expect(binding.issue('/a')).not.toBe(binding.issue('/a'))
  })
})
