import { describe, expect, it } from 'vitest'
import { createUserDirectory, safeEqual } from './user-directory.js'

const base = { first_name: 'F', last_name: 'L', email_address: 'e@x' }
const users = createUserDirectory([
  { ...base, uid: 'all', password: 'p1' },
  { ...base, uid: 'some', password: 'p2', unaccepted_eulas: ['app-a'] },
  { ...base, uid: 'none', password: 'p3', eula_accepted: false },
])

describe('createUserDirectory', () => {
  it('authenticates by uid and exact password', () => {
    expect(users.authenticate('all', 'p1')?.uid).toBe('all')
    expect(users.authenticate('all', 'p1 ')).toBeUndefined()
    expect(users.authenticate('ALL', 'p1')).toBeUndefined()
    expect(users.authenticate('ghost', 'p1')).toBeUndefined()
  })

  it('tracks EULA acceptance per user and app', () => {
    expect(users.hasAcceptedEula('all', 'app-a')).toBe(true)
    expect(users.hasAcceptedEula('some', 'app-a')).toBe(false)
    expect(users.hasAcceptedEula('some', 'app-b')).toBe(true)
    expect(users.hasAcceptedEula('none', 'app-b')).toBe(false)
    expect(users.hasAcceptedEula('ghost', 'app-a')).toBe(false)
  })

  it('records an approval for one app only', () => {
    users.acceptEula('none', 'app-b')
    users.acceptEula('some', 'app-a')
    expect(users.hasAcceptedEula('none', 'app-b')).toBe(true)
    expect(users.hasAcceptedEula('none', 'app-c')).toBe(false)
    expect(users.hasAcceptedEula('some', 'app-a')).toBe(true)
  })
})

describe('safeEqual', () => {
  it('compares strings of any length', () => {
    expect(safeEqual('abc', 'abc')).toBe(true)
    expect(safeEqual('abc', 'abd')).toBe(false)
    expect(safeEqual('abc', 'ab')).toBe(false)
    expect(safeEqual('é', 'é')).toBe(true)
  })
})
