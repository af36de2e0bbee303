import { describe, expect, it } from 'vitest'
import { AppError } from '../errors.js'
import { InvalidAppNameError } from './credential-errors.js'
import { roleSessionName } from './role-session-name.js'

const RULE =
  'app-name may only contain letters, digits and + = , . @ _ - (the STS RoleSessionName alphabet)'

describe('roleSessionName', () => {
  it.each([
    ['no header', 'jdoe', undefined, 'jdoe@'],
    ['empty header', 'jdoe', '', 'jdoe@'],
    ['simple', 'jdoe', 'my-app', 'jdoe@my-app'],
    ['every allowed character', 'jdoe', 'aZ09_+=,.@-', 'jdoe@aZ09_+=,.@-'],
    ['one-character user, no app: 2 characters', 'u', undefined, 'u@'],
    ['exactly 64', 'jdoe', 'a'.repeat(59), `jdoe@${'a'.repeat(59)}`],
    ['65 is cut to 64, as TEA', 'jdoe', 'a'.repeat(60), `jdoe@${'a'.repeat(59)}`],
    ['very long is cut to 64', 'jdoe', 'b'.repeat(500), `jdoe@${'b'.repeat(59)}`],
    ['single-element header array', 'jdoe', ['app'], 'jdoe@app'],
  ] as const)('%s', (_case, user, app, expected) => {
    const name = roleSessionName(user, app)
    expect(name).toBe(expected)
    expect(name.length).toBeLessThanOrEqual(64)
  })

  it.each([
    ['space', 'my app'],
    ['slash', 'app/1'],
    ['colon', 'app:1'],
    ['non-ASCII letter', 'appé'],
    ['tab', 'a\tb'],
    ['semicolon', 'a;b'],
    ['quote', 'a"b'],
    ['bad character only in the part the cut drops', `${'a'.repeat(70)} x`],
  ])('rejects a %s with ERR_INVALID_APP_NAME (400)', (_case, app) => {
    let err: unknown
    try {
      roleSessionName('jdoe', app)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(InvalidAppNameError)
    expect(err).toMatchObject({ code: 'ERR_INVALID_APP_NAME', statusCode: 400, message: RULE })
  })

  it('rejects several app-name headers', () => {
    expect(() => roleSessionName('jdoe', ['a', 'b'])).toThrow(
      expect.objectContaining({
        code: 'ERR_INVALID_APP_NAME',
        message: 'send at most one app-name header',
      }),
    )
  })

  it('treats an impossible user id as an internal error, not the caller’s', () => {
    expect(() => roleSessionName('j doe', 'app')).toThrow(AppError)
    expect(() => roleSessionName('j doe', 'app')).toThrow(
      expect.objectContaining({ code: 'ERR_INTERNAL', statusCode: 500 }),
    )
  })

  it('refuses a session name shorter than 2 characters (empty user id)', () => {
    // '' + '@' is one character: STS would reject it; this can only be a bug upstream.
    expect(() => roleSessionName('', undefined)).toThrow(
      expect.objectContaining({ code: 'ERR_INTERNAL' }),
    )
  })
})
