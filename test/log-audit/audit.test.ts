import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { auditDirectory, findLeaks } from './audit.js'

/** The log audit itself: it must find what it is for, and refuse to pass on nothing. */

const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCY"EXAMPLE'
const JWT =
  'eyJhbGciOiJSUzI1NiJ9.eyJ1cnMtdXNlci1pZCI6ImFsaWNlIn0.c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWduYXR1cmU'

describe('findLeaks', () => {
  it('finds a registered secret as is, JSON-escaped and URL-encoded once or twice', () => {
    const lines = [
      `{"msg":"a","v":"${SECRET}"}`,
      JSON.stringify({ msg: 'b', v: SECRET }),
      JSON.stringify({ url: `/x?s=${encodeURIComponent(SECRET)}` }),
      JSON.stringify({ url: `/x?s=${encodeURIComponent(encodeURIComponent(SECRET))}` }),
      '{"msg":"clean"}',
    ]
    const leaks = findLeaks([{ file: 'a.log', text: lines.join('\n') }], [SECRET])
    expect(leaks).toEqual(
      [1, 2, 3, 4].map((line) => ({ file: 'a.log', line, what: 'secret "wJal"… (38 chars)' })),
    )
  })

  it('finds JWTs and unredacted AWS secrets even when nobody registered them', () => {
    const text = [
      JSON.stringify({ cookie: `asf-urs=${JWT}` }),
      JSON.stringify({ sessionToken: 'FwoGZXIvYXdzE' }),
      JSON.stringify({ sessionToken: '[REDACTED]' }),
    ].join('\n')
    expect(findLeaks([{ file: 'b.log', text }], []).map((l) => [l.line, l.what])).toEqual([
      [1, 'a JWT'],
      [2, 'an AWS secret key or session token'],
    ])
  })

  it('finds 31 or more consecutive characters of a secret', () => {
    const cookie = `${JWT}.and-some-more`
    const cut = (from: number, length: number) =>
      findLeaks([{ file: 'd.log', text: `{"c":"${cookie.slice(from, from + length)}"}` }], [cookie])
    for (const from of [0, 5, 17, 40, cookie.length - 31]) {
      expect(cut(from, 31)).toEqual([
        { file: 'd.log', line: 1, what: `part of secret "eyJh"… (${cookie.length} chars)` },
      ])
    }
    expect(cut(3, 15)).toEqual([])
  })

  it('ignores values too short to be told from chance', () => {
    expect(findLeaks([{ file: 'c.log', text: '{"msg":"pw"}' }], ['pw'])).toEqual([])
  })
})

describe('auditDirectory', () => {
  it('reads *.log files and secrets-*.txt registries, and reports leaks by file and line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'log-audit-'))
    writeFileSync(join(dir, 'secrets-1.txt'), `${JSON.stringify(SECRET)}\n`)
    writeFileSync(join(dir, 'server-1-1.log'), `{"msg":"ok"}\n{"msg":"${SECRET}"}\n`)
    writeFileSync(join(dir, 'edl-1-2.log'), '{"msg":"ok"}\n')
    expect(auditDirectory(dir)).toEqual({
      logFiles: 2,
      logLines: 3,
      secrets: 1,
      leaks: [{ file: 'server-1-1.log', line: 2, what: 'secret "wJal"… (38 chars)' }],
    })
  })

  it('refuses to pass when no log or no secret was kept', () => {
    const empty = mkdtempSync(join(tmpdir(), 'log-audit-'))
    expect(() => auditDirectory(empty)).toThrow(/no log lines/)
    writeFileSync(join(empty, 'server-1-1.log'), '{"msg":"ok"}\n')
    expect(() => auditDirectory(empty)).toThrow(/no secrets registered/)
  })
})
