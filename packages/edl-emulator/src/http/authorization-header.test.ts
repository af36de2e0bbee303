import { describe, expect, it } from 'vitest'
import { parseAuthorization } from './authorization-header.js'

const b64 = (s: string): string => Buffer.from(s).toString('base64')

describe('parseAuthorization', () => {
  it.each([
    [undefined, { scheme: 'none' }],
    ['', { scheme: 'none' }],
    [`Basic ${b64('demo:pa:ss')}`, { scheme: 'basic', user: 'demo', password: 'pa:ss' }],
    [`basic ${b64('demo:')}`, { scheme: 'basic', user: 'demo', password: '' }],
    [`BASIC ${b64('é:ü')}`, { scheme: 'basic', user: 'é', password: 'ü' }],
    ['Bearer abc.def-ghi_jkl~+/=', { scheme: 'bearer', token: 'abc.def-ghi_jkl~+/=' }],
    ['bearer x', { scheme: 'bearer', token: 'x' }],
  ])('parses %j', (header, expected) => {
    expect(parseAuthorization(header)).toEqual(expected)
  })

  it.each([
    ['Basic'],
    ['Bearer'],
    ['Bearer a b'],
    ['Bearer a"b'],
    [`Basic ${b64('nocolon')}`],
    [`Basic ${b64(':nouser')}`],
    ['Basic ***'],
    ['Basic a'],
    ['Digest abc'],
    ['abc'],
    [['Basic a', 'Basic b']],
  ])('calls %j malformed', (header) => {
    expect(parseAuthorization(header)).toEqual({ scheme: 'malformed' })
  })
})
