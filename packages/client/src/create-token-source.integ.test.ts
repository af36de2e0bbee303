import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startEdlEmulator } from '@tea-ts/edl-emulator'
import type { RunningEdlEmulator } from '@tea-ts/edl-emulator'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTokenSource } from './create-token-source.js'
import type { TokenSource } from './create-token-source.js'
import { S3CredentialsError } from './errors.js'
import { fromS3Credentials } from './from-s3-credentials.js'
import { readJwtClaims } from './read-jwt-claims.js'
import { resolveOptions } from './resolve-options.js'
import type { FromS3CredentialsOptions } from './resolve-options.js'
import { fakeJwt } from './testing/fake-jwt.js'
import { sendJson, startFakeHttpServer, teaCredentials } from './testing/fake-http-server.js'
import { emulatorLogger } from '../../../test/log-audit/log-capture.js'

const DAY = 86_400_000
const users = [
  { uid: 'alice', password: 'alice-pw', first_name: 'A', last_name: 'L', email_address: 'a@x' },
  { uid: 'bob', password: 'bob-pw', first_name: 'B', last_name: 'O', email_address: 'b@x' },
  { uid: 'carol', password: 'carol-pw', first_name: 'C', last_name: 'A', email_address: 'c@x' },
]

let edl: RunningEdlEmulator
const clock = { now: Date.parse('2030-01-01T00:00:00Z') }
let edlCalls: string[]
let home: string

// A fresh emulator per test: EDL's two-token cap makes tests that share users interfere.
beforeEach(async () => {
  edl = await startEdlEmulator({
    config: { users, apps: [] },
    now: () => clock.now,
    logger: emulatorLogger('client-edl-emulator'),
  })
  edlCalls = []
  home = mkdtempSync(join(tmpdir(), 'tea-client-netrc-'))
})
afterEach(() => edl.close())

function writeNetrc(text: string, path = join(home, '.netrc')): string {
  writeFileSync(path, text)
  chmodSync(path, 0o600)
  return path
}

function options(extra: FromS3CredentialsOptions = {}) {
  return {
    endpoint: 'https://tea.example/s3credentials',
    edlHost: edl.url,
    env: {},
    homeDir: home,
    now: () => clock.now,
    sleep: async () => {},
    fetch: (async (input, init) => {
      edlCalls.push(new URL(String(input)).pathname)
      return fetch(input, init)
    }) as typeof fetch,
    ...extra,
  } satisfies FromS3CredentialsOptions
}

function source(extra: FromS3CredentialsOptions = {}): TokenSource {
  return createTokenSource(resolveOptions(options(extra)))
}

const uidOf = (token: string) => readJwtClaims(token)?.uid

describe('EDL token sources, in order of precedence (against the EDL emulator)', () => {
  const everything = (): FromS3CredentialsOptions => {
    writeNetrc('machine 127.0.0.1 login carol password carol-pw\n')
    return {
      token: fakeJwt({ uid: 'explicit' }),
      env: {
        EARTHDATA_TOKEN: fakeJwt({ uid: 'from-env' }),
        EARTHDATA_USERNAME: 'alice',
        EARTHDATA_PASSWORD: 'alice-pw',
      },
    }
  }

  it('1. the token option', async () => {
    const t = await source(everything()).token()
    expect([uidOf(t.value), t.source]).toEqual(['explicit', 'the token option'])
    expect(edlCalls).toEqual([])
  })

  it('2. EARTHDATA_TOKEN', async () => {
    const t = await source({ ...everything(), token: undefined }).token()
    expect([uidOf(t.value), t.source]).toEqual(['from-env', 'EARTHDATA_TOKEN'])
    expect(edlCalls).toEqual([])
  })

  it('3. EARTHDATA_USERNAME/EARTHDATA_PASSWORD, exchanged at find_or_create_token', async () => {
    const all = everything()
    const s = source({ env: { ...all.env, EARTHDATA_TOKEN: undefined } })
    const t = await s.token()
    expect([uidOf(t.value), t.source]).toEqual(['alice', 'EARTHDATA_USERNAME/EARTHDATA_PASSWORD'])
    expect(edlCalls).toEqual(['/api/users/find_or_create_token'])
    // The exchanged token is kept until it nears its expiry.
    expect((await s.token()).value).toBe(t.value)
    expect(edlCalls).toHaveLength(1)
  })

  it('4. ~/.netrc, for the EDL host name', async () => {
    everything()
    const t = await source().token()
    expect([uidOf(t.value), t.source]).toEqual(['carol', '~/.netrc (machine 127.0.0.1)'])
  })

  it('4b. the file named by NETRC', async () => {
    const path = writeNetrc('machine 127.0.0.1 login bob password bob-pw\n', join(home, 'other'))
    const t = await source({ env: { NETRC: path } }).token()
    expect([uidOf(t.value), t.source]).toEqual(['bob', `${path} (machine 127.0.0.1)`])
  })

  it('fails with ERR_NO_TOKEN and what to do when nothing is configured', async () => {
    writeNetrc('machine urs.earthdata.nasa.gov login alice password alice-pw\n')
    const err = await source()
      .token()
      .catch((e: unknown) => e)
    expect(err).toMatchObject({
      code: 'ERR_NO_TOKEN',
      message:
        'No Earthdata Login token: set EARTHDATA_TOKEN to an EDL user token, or set ' +
        'EARTHDATA_USERNAME and EARTHDATA_PASSWORD, or add ' +
        '"machine 127.0.0.1 login <user> password <password>" to ~/.netrc',
    })
  })

  it('reports a wrong password as ERR_EDL_TOKEN without the password', async () => {
    const err = await source({
      env: { EARTHDATA_USERNAME: 'alice', EARTHDATA_PASSWORD: 'wrong-pw' },
    })
      .token()
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(S3CredentialsError)
    expect(err).toMatchObject({
      code: 'ERR_EDL_TOKEN',
      status: 401,
      message:
        `Earthdata Login (${edl.url}) rejected the username and password from ` +
        'EARTHDATA_USERNAME/EARTHDATA_PASSWORD (401: Invalid user credentials); check them, ' +
        'or set EARTHDATA_TOKEN to a user token instead',
    })
    expect(JSON.stringify(err) + String(err)).not.toContain('wrong-pw')
  })

  it('names the user in identities without calling EDL', async () => {
    const s = source({ env: { EARTHDATA_USERNAME: 'alice', EARTHDATA_PASSWORD: 'alice-pw' } })
    expect(await s.identity()).toBe(`${edl.url}#uid:alice`)
    expect(edlCalls).toEqual([])
    expect(await source({ token: fakeJwt({ uid: 'dave' }) }).identity()).toBe(`${edl.url}#uid:dave`)
    expect(await source({ token: 'EDL-opaque' }).identity()).toMatch(
      new RegExp(`^${edl.url}#sha256:[0-9a-f]{32}$`),
    )
  })
})

describe('EDL token renewal', () => {
  it('replaces an exchanged token near its JWT exp with a new one', async () => {
    const s = source({ env: { EARTHDATA_USERNAME: 'bob', EARTHDATA_PASSWORD: 'bob-pw' } })
    const first = await s.token()
    const exp = readJwtClaims(first.value)?.expiresAt ?? 0
    expect(exp).toBeGreaterThan(clock.now + 59 * DAY)
    const saved = clock.now
    clock.now = exp - 30 * 60_000 // within the default 1 h renewal margin
    try {
      const second = await s.token()
      expect(second.value).not.toBe(first.value)
      expect(readJwtClaims(second.value)?.expiresAt).toBe(clock.now + 60 * DAY)
      // find_or_create returned the old token, so a new one was created.
      expect(edlCalls).toEqual([
        '/api/users/find_or_create_token',
        '/api/users/find_or_create_token',
        '/api/users/token',
      ])
    } finally {
      clock.now = saved
    }
  })

  it('replaces an EARTHDATA_TOKEN near its exp when a username and password are known', async () => {
    const env = {
      EARTHDATA_TOKEN: fakeJwt({ uid: 'alice', exp: (clock.now + 10 * 60_000) / 1000 }),
      EARTHDATA_USERNAME: 'alice',
      EARTHDATA_PASSWORD: 'alice-pw',
    }
    const t = await source({ env }).token()
    expect(t.source).toBe('EARTHDATA_USERNAME/EARTHDATA_PASSWORD')
    expect(t.value).not.toBe(env.EARTHDATA_TOKEN)
    // Without a password it keeps the (still valid) token.
    const kept = await source({ env: { EARTHDATA_TOKEN: env.EARTHDATA_TOKEN } }).token()
    expect(kept.value).toBe(env.EARTHDATA_TOKEN)
  })

  it("renews a refused token by creating another, up to EDL's two-token cap", async () => {
    const s = source({ env: { EARTHDATA_USERNAME: 'carol', EARTHDATA_PASSWORD: 'carol-pw' } })
    const first = await s.token()
    clock.now += 1000 // so that the second token is the newest
    const second = await s.renew(first)
    expect(second?.value).toBeDefined()
    expect(second?.value).not.toBe(first.value)
    // carol now holds two tokens; find_or_create returns the refused newest one and
    // create hits the cap: the error says so.
    const err = await s.renew(second ?? first).catch((e: unknown) => e)
    expect(err).toMatchObject({
      code: 'ERR_EDL_TOKEN',
      status: 403,
      message:
        `Earthdata Login (${edl.url}) did not issue a user token (create answered 403: You ` +
        'already have the maximum number of valid tokens (2); revoke one to create another)',
    })
  })

  it('renews nothing for a static token without a username and password', async () => {
    const s = source({ token: 'EDL-static' })
    expect(await s.renew(await s.token())).toBeUndefined()
  })
})

describe('fromS3Credentials with EDL user tokens', () => {
  it('fetches with a token exchanged for a password and recovers from a 401 by renewing it', async () => {
    const seen: string[] = []
    const tea = await startFakeHttpServer((req, res) => {
      const token = String(req.headers.authorization).replace(/^Bearer /, '')
      seen.push(token)
      // The first token this endpoint sees is "revoked".
      if (token === seen[0]) return sendJson(res, 401, { error: 'token revoked' })
      sendJson(res, 200, teaCredentials(1, clock.now + 3_600_000), {
        date: new Date(clock.now).toUTCString(),
      })
    })
    try {
      const users = { EARTHDATA_USERNAME: 'bob', EARTHDATA_PASSWORD: 'bob-pw' }
      const provider = fromS3Credentials(
        options({ endpoint: `${tea.url}/s3credentials`, env: users }),
      )
      const creds = await provider()
      expect(creds.accessKeyId).toBe('ASIAFAKE0001')
      expect(seen).toHaveLength(2)
      expect(seen.map(uidOf)).toEqual(['bob', 'bob'])
      expect(seen[1]).not.toBe(seen[0])
    } finally {
      await tea.close()
    }
  })
})
