import { expect, it } from 'vitest'
import { lazy } from './lazy.js'

it('loads once and shares the promise; a failed load is retried on the next call', async () => {
  let calls = 0
  const get = lazy(async () => {
    calls++
    if (calls === 1) throw new Error('first load fails')
    return { loaded: calls }
  })
  await expect(get()).rejects.toThrow('first load fails')
  const [a, b] = await Promise.all([get(), get()])
  expect(a).toEqual({ loaded: 2 })
  expect(b).toBe(a)
  expect(await get()).toBe(a)
  expect(calls).toBe(2)
})
