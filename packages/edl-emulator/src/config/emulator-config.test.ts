import { describe, expect, it } from 'vitest'
import { EmulatorConfigError, parseEmulatorConfig } from './emulator-config.js'

const user = {
  uid: 'demo',
  password: 'pw',
  first_name: 'D',
  last_name: 'U',
  email_address: 'd@example.com',
}
const app = { client_id: 'tea-local', password: 'secret' }

function problem(input: unknown): string {
  try {
    parseEmulatorConfig(input, 'users.yaml')
  } catch (err) {
    expect(err).toBeInstanceOf(EmulatorConfigError)
    expect((err as EmulatorConfigError).code).toBe('ERR_EDL_EMULATOR_CONFIG')
    return (err as Error).message
  }
  throw new Error('expected a config error')
}

describe('parseEmulatorConfig', () => {
  it('applies the issuer and key id defaults and freezes the result', () => {
    const config = parseEmulatorConfig({ users: [user], apps: [app] })
    expect(config).toEqual({
      users: [user],
      apps: [app],
      issuer: 'https://urs.earthdata.nasa.gov',
      keyId: 'edljwtpubkey_ops',
    })
    expect(Object.isFrozen(config.users[0])).toBe(true)
  })

  it('accepts keyId or its file alias key_id', () => {
    expect(parseEmulatorConfig({ users: [], apps: [], keyId: 'a' }).keyId).toBe('a')
    expect(parseEmulatorConfig({ users: [], apps: [], key_id: 'b' }).keyId).toBe('b')
    expect(problem({ users: [], apps: [], keyId: 'a', key_id: 'b' })).toBe(
      'users.yaml: invalid EDL emulator config: /keyId: give keyId or key_id, not both',
    )
  })

  it('copies the input, so later changes to it do not leak in', () => {
    const input = { users: [{ ...user }], apps: [app] }
    const config = parseEmulatorConfig(input)
    input.users[0]!.password = 'changed'
    expect(config.users[0]?.password).toBe('pw')
  })

  it.each([
    [null, '/: Expected object'],
    [{ users: [] }, '/apps: Expected required property'],
    [
      { users: [{ ...user, password: '' }], apps: [] },
      '/users/0/password: Expected string length greater or equal to 1',
    ],
    [{ users: [{ ...user, uid: 'a/b' }], apps: [] }, '/users/0/uid: Expected string to match'],
    [
      { users: [{ ...user, eula_accepted: 'yes' }], apps: [] },
      '/users/0/eula_accepted: Expected boolean',
    ],
    [
      { users: [{ ...user, groups: [{ client_id: 'x' }] }], apps: [] },
      '/users/0/groups/0/name: Expected required property',
    ],
    [{ users: [], apps: [{ ...app, extra: 1 }] }, '/apps/0/extra: Unexpected property'],
  ])('names the path of each problem (%j)', (input, expected) => {
    const message = problem(input)
    expect(message.startsWith('users.yaml: invalid EDL emulator config: ')).toBe(true)
    expect(message).toContain(expected)
  })

  it('rejects duplicate uids and client_ids and non-http redirect_uris', () => {
    expect(
      problem({
        users: [user, user],
        apps: [app, { ...app, redirect_uris: ['http://ok/cb', 'ftp://x', 'relative'] }],
      }),
    ).toBe(
      'users.yaml: invalid EDL emulator config: /users: duplicate uid "demo"; ' +
        '/apps: duplicate client_id "tea-local"; ' +
        '/apps/1/redirect_uris/1: not an absolute http(s) URL; ' +
        '/apps/1/redirect_uris/2: not an absolute http(s) URL',
    )
  })

  it('never puts a password value in the message', () => {
    expect(problem({ users: [{ ...user, password: 42 }], apps: [] })).not.toContain('42')
  })
})
