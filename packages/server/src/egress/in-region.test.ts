import { describe, expect, it } from 'vitest'
import { createInRegionCheck } from './in-region.js'

const doc = { prefixes: [{ ip_prefix: '10.20.0.0/16', region: 'us-east-1', service: 'AMAZON' }] }

function fakeFetch(answers: (() => Response)[]): typeof fetch & { count: () => number } {
  let n = 0
  const f = (async () => {
    const answer = answers[Math.min(n, answers.length - 1)]
    n++
    if (answer === undefined) throw new Error('no answer')
    return answer()
  }) as unknown as typeof fetch & { count: () => number }
  f.count = () => n
  return f
}

describe('createInRegionCheck', () => {
  it('fetches the ranges once and matches the region', async () => {
    const fetch = fakeFetch([() => Response.json(doc)])
    const check = createInRegionCheck({ url: 'http://x', region: 'us-east-1', fetch, now: () => 0 })
    expect(await check.isInRegion('10.20.1.1')).toBe(true)
    expect(await check.isInRegion('10.21.1.1')).toBe(false)
    expect(await check.isInRegion(undefined)).toBe(false)
    expect(fetch.count()).toBe(1)
  })

  it('counts everyone out of region while the list is unavailable, and retries later', async () => {
    let now = 0
    const errors: unknown[] = []
    const fetch = fakeFetch([() => new Response('nope', { status: 503 }), () => Response.json(doc)])
    const check = createInRegionCheck({
      url: 'http://x',
      region: 'us-east-1',
      fetch,
      now: () => now,
      onError: (err) => errors.push(err),
    })
    expect(await check.isInRegion('10.20.1.1')).toBe(false)
    expect(await check.isInRegion('10.20.1.1')).toBe(false)
    expect(fetch.count()).toBe(1)
    expect(errors).toHaveLength(1)
    now += 60_000
    expect(await check.isInRegion('10.20.1.1')).toBe(true)
    expect(fetch.count()).toBe(2)
  })
})
