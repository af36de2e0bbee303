import { describe, expect, it } from 'vitest'
import { serverMessage } from './server-message.js'

describe('serverMessage', () => {
  it('prefers error_description, then message, then error', () => {
    expect(serverMessage('{"error":"e","error_description":"d","message":"m"}', [])).toBe('d')
    expect(serverMessage('{"error":"e","message":"m"}', [])).toBe('m')
    expect(serverMessage('{"error":"e"}', [])).toBe('e')
    expect(serverMessage('{"error_description":"  ","error":"e"}', [])).toBe('e')
  })
  it('returns undefined for HTML, non-objects and objects without a reason', () => {
    expect(serverMessage('<html>login</html>', [])).toBeUndefined()
    expect(serverMessage('"just a string"', [])).toBeUndefined()
    expect(serverMessage('{"status_code":400}', [])).toBeUndefined()
  })
  it('redacts secrets and JWTs, strips control characters and truncates', () => {
    const token = 'eyJhbGciOiJSUzI1NiJ9.eyJ1aWQiOiJhbGljZSJ9.c2lnbmF0dXJl'
    expect(serverMessage(JSON.stringify({ error: `bad token ${token}\n!` }), [token])).toBe(
      'bad token [redacted] !',
    )
    expect(serverMessage(JSON.stringify({ error: 'a eyJx.eyJy.z b' }), [])).toBe('a [redacted] b')
    expect(serverMessage(JSON.stringify({ error: 'pw hunter2 leaked' }), ['hunter2'])).toBe(
      'pw [redacted] leaked',
    )
    const long = serverMessage(JSON.stringify({ error: 'x'.repeat(500) }), [])
    expect(long).toHaveLength(200)
    expect(long?.endsWith('…')).toBe(true)
  })
})
