import { describe, expect, it } from 'vitest'
import { createBlacklist, parseBlacklist } from './blacklist.js'

function fakeFetch(bodies: (() => Response)[]) {
  const calls: string[] = []
  const fetch = (async (url: string | URL | Request) => {
    calls.push(String(url))
    const next = bodies.shift()
    if (next === undefined) throw new Error('no more responses')
    return next()
  }) as typeof globalThis.fetch
  return { fetch, calls }
}
const json = (value: unknown) => () => Response.json(value)

describe('createBlacklist', () => {
  it('revokes a cookie issued at or before the listed time, and no other', async () => {
    const { fetch } = fakeFetch([json({ blacklist: { jdoe: 1000 } })])
    const list = createBlacklist({ endpoint: 'https://bl.example/list', fetch, now: () => 0 })
    expect(await list.isRevoked('jdoe', 999)).toBe(true)
    expect(await list.isRevoked('jdoe', 1000)).toBe(true)
    expect(await list.isRevoked('jdoe', 1001)).toBe(false)
    expect(await list.isRevoked('other', 1)).toBe(false)
  })

  it('answers isRevokedNow only from a list at hand, and always without an endpoint', async () => {
    let now = 0
    const { fetch, calls } = fakeFetch([json({ blacklist: { jdoe: 1000 } })])
    const list = createBlacklist({ endpoint: 'https://bl.example/list', fetch, now: () => now })
    expect(list.isRevokedNow?.('jdoe', 999)).toBeUndefined()
    expect(calls).toEqual([])
    await list.isRevoked('other', 1)
    expect(list.isRevokedNow?.('jdoe', 1000)).toBe(true)
    expect(list.isRevokedNow?.('jdoe', 1001)).toBe(false)
    now = 600_000
    expect(list.isRevokedNow?.('jdoe', 999)).toBeUndefined()
    const none = createBlacklist({ fetch, now: () => now })
    expect(none.isRevokedNow?.('jdoe', 1)).toBe(false)
  })

  it('fetches once per 10 minutes, and one fetch serves concurrent callers', async () => {
    let now = 0
    const { fetch, calls } = fakeFetch([
      json({ blacklist: { a: 5 } }),
      json({ blacklist: { b: 5 } }),
    ])
    const list = createBlacklist({ endpoint: 'https://bl.example/list', fetch, now: () => now })
    expect(
      await Promise.all([list.isRevoked('a', 1), list.isRevoked('a', 1), list.isRevoked('b', 1)]),
    ).toEqual([true, true, false])
    now = 599_999
    expect(await list.isRevoked('b', 1)).toBe(false)
    expect(calls).toHaveLength(1)
    now = 600_000
    expect(await list.isRevoked('b', 1)).toBe(true)
    expect(calls).toEqual(['https://bl.example/list', 'https://bl.example/list'])
  })

  it('treats a failing endpoint as an empty list, reports it, and retries after a minute', async () => {
    let now = 0
    const errors: unknown[] = []
    const { fetch, calls } = fakeFetch([
      () => new Response('oops', { status: 500 }),
      json({ blacklist: { a: 5 } }),
    ])
    const list = createBlacklist({
      endpoint: 'https://bl.example/list',
      fetch,
      now: () => now,
      onError: (e) => errors.push(e),
    })
    expect(await list.isRevoked('a', 1)).toBe(false)
    expect(errors).toHaveLength(1)
    now = 59_999
    expect(await list.isRevoked('a', 1)).toBe(false)
    now = 60_000
    expect(await list.isRevoked('a', 1)).toBe(true)
    expect(calls).toHaveLength(2)
  })

  it('fetches nothing without an endpoint', async () => {
    const { fetch, calls } = fakeFetch([])
    expect(await createBlacklist({ fetch, now: () => 0 }).isRevoked('a', 1)).toBe(false)
    expect(calls).toHaveLength(0)
  })
})

describe('parseBlacklist', () => {
  it('keeps numeric entries and refuses JSON without a blacklist object', () => {
    expect([...parseBlacklist({ blacklist: { a: 1, b: '2', c: null } })]).toEqual([['a', 1]])
    expect(() => parseBlacklist({})).toThrow('blacklist JSON has no "blacklist" object')
    expect(() => parseBlacklist([])).toThrow()
  })
})
