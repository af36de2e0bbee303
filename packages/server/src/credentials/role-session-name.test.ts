import { describe, expect, it } from 'vitest'
import { InvalidAppNameError } from './credential-errors.js'
import { roleSessionName, stsUserId } from './role-session-name.js'

const RULE =
  'app-name may only contain letters, digits and + = , . @ _ - (the STS RoleSessionName alphabet)'

describe('roleSessionName', () => {
  it.each([
    ['no header', 'jdoe', undefined, 'jdoe@'],
    ['empty header', 'jdoe', '', 'jdoe@'],
    ['simple', 'jdoe', 'my-app', 'jdoe@my-app'],
    ['every allowed character', 'jdoe', 'aZ09_+=,.@-', 'jdoe@aZ09_+=,.@-'],
    ['one-character user, no app: padded for ExternalId', 'u', undefined, 'u=@'],
    ['user id with a space, a slash and non-ASCII', 'j doe/é', 'app', 'j=20doe=2F=C3=A9@app'],
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

  it('rejects several app-name headers, saying to send one', () => {
    expect(() => roleSessionName('jdoe', ['a', 'b'])).toThrow(
      expect.objectContaining({
        code: 'ERR_INVALID_APP_NAME',
        statusCode: 400,
        message: 'app-name was sent 2 times: send one app-name header',
      }),
    )
  })
})

describe('stsUserId', () => {
  const STS_EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/
  const STS_SESSION_NAME = /^[\w+=,.@-]{2,64}$/

  it.each([
    ['jdoe', 'jdoe'],
    ['j.doe_2-x', 'j.doe_2-x'],
    ['u', 'u='],
    ['', '=='],
    ['a b', 'a=20b'],
    ['a/b', 'a=2Fb'],
    ['a+b', 'a=2Bb'],
    ['a=b', 'a=3Db'],
    ['é', '=C3=A9'],
    ['日本', '=E6=97=A5=E6=9C=AC'],
  ])('%j → %j', (id, expected) => {
    expect(stsUserId(id)).toBe(expected)
    expect(stsUserId(id)).toMatch(STS_EXTERNAL_ID)
    expect(roleSessionName(id, undefined)).toMatch(STS_SESSION_NAME)
  })

  it('is one-to-one: ids that differ map to names that differ', () => {
    const ids = ['a b', 'a=20b', 'a', 'a=', 'a==', '', '==', 'é', '=C3=A9', 'a+b', 'a=2Bb']
    const mapped = ids.map(stsUserId)
    expect(new Set(mapped).size).toBe(ids.length)
  })
})
