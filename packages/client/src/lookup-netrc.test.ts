import { describe, expect, it } from 'vitest'
import { lookupNetrc } from './lookup-netrc.js'

const HOST = 'urs.earthdata.nasa.gov'

describe('lookupNetrc', () => {
  it('finds a one-line entry (the form earthaccess writes)', () => {
    expect(lookupNetrc(`machine ${HOST} login alice password s3cret\n`, HOST)).toEqual({
      login: 'alice',
      password: 's3cret',
    })
  })

  it('finds a multi-line entry among others, in any field order', () => {
    const text = [
      'machine example.com login bob password nope',
      '',
      `machine ${HOST}`,
      '  password "p@ss word \\"q\\""',
      '  account ignored',
      '  login alice',
      'machine other.org login carol password x',
    ].join('\n')
    expect(lookupNetrc(text, HOST)).toEqual({ login: 'alice', password: 'p@ss word "q"' })
  })

  it('uses the first matching machine', () => {
    const text = `machine ${HOST} login first password one\nmachine ${HOST} login second password two`
    expect(lookupNetrc(text, HOST)?.login).toBe('first')
  })

  it('falls back to default, wherever it appears', () => {
    expect(
      lookupNetrc(`default login dflt password d\nmachine x login a password b`, HOST),
    ).toEqual({ login: 'dflt', password: 'd' })
    expect(
      lookupNetrc(`machine ${HOST} login a password b\ndefault login d password d`, HOST),
    ).toEqual({ login: 'a', password: 'b' })
  })

  it('skips comments and macdef bodies', () => {
    const text = [
      '# machine urs.earthdata.nasa.gov login commented password out',
      'macdef init',
      `machine ${HOST} login inside-macro password m`,
      '',
      `machine ${HOST} login alice password real # trailing words are tokens, not comments`,
    ].join('\n')
    expect(lookupNetrc(text, HOST)).toEqual({ login: 'alice', password: 'real' })
  })

  it('requires both login and password, and an exact host', () => {
    expect(lookupNetrc(`machine ${HOST} login alice`, HOST)).toBeUndefined()
    expect(lookupNetrc(`machine ${HOST} password p`, HOST)).toBeUndefined()
    expect(lookupNetrc(`machine uat.${HOST} login a password b`, HOST)).toBeUndefined()
    expect(lookupNetrc('', HOST)).toBeUndefined()
    expect(lookupNetrc(`machine ${HOST} login`, HOST)).toBeUndefined()
  })

  it('matches an emulator host by name', () => {
    expect(lookupNetrc('machine 127.0.0.1 login alice password pw', '127.0.0.1')).toEqual({
      login: 'alice',
      password: 'pw',
    })
  })
})
