import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { cumulusLogLine, cumulusRedirectLine } from './cumulus-log.js'

describe('cumulusLogLine', () => {
  it("matches TEA's json.dumps output", () => {
    expect(
      cumulusLogLine(
        'failure',
        416,
        'GET',
        { reason: 'Invalid Range', s3: 'b/k', range: 'bytes=9-' },
        'r-1',
      ),
    ).toBe(
      '{"reason": "Invalid Range", "s3": "b/k", "range": "bytes=9-", "code": 416, ' +
        '"http_method": "GET", "status": "failure", "requestid": "r-1"}',
    )
  })

  it('escapes non-ASCII as Python does', () => {
    expect(cumulusLogLine('success', 303, 'GET', { s3: 'b/é' }, 'r')).toContain('"s3": "b/\\u00e9"')
  })

  it('keeps a field named like a trailing key in its place, with the trailing value', () => {
    expect(cumulusLogLine('success', 303, 'GET', { a: 'x', status: 'mine', b: 1 }, 'r')).toBe(
      '{"a": "x", "status": "success", "b": 1, "code": 303, "http_method": "GET", "requestid": "r"}',
    )
  })
})

describe('cumulusRedirectLine', () => {
  it('is the success line cumulusLogLine writes for a redirect', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('GET', 'HEAD'),
        fc.string({ unit: 'binary' }),
        fc.string({ unit: 'binary' }),
        (method, url, id) => {
          expect(cumulusRedirectLine(method, url, id)).toBe(
            cumulusLogLine('success', 303, method, { redirect: 'yes', redirect_URL: url }, id),
          )
        },
      ),
      { seed: 20261201, numRuns: 300 },
    )
  })
})
