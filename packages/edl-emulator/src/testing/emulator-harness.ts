import type { EmulatorConfig } from '../config/emulator-config.js'
import { startEdlEmulator } from '../start-edl-emulator.js'
import type { RunningEdlEmulator } from '../start-edl-emulator.js'

/**
 * Shared fixtures for the emulator's own tests (not exported from the package): a config with
 * an open app, a strict app, a user without one EULA and one without any, and a fake clock.
 */
export const TEST_CONFIG: EmulatorConfig = {
  apps: [
    { client_id: 'tea-local', password: 'tea-secret', name: 'TEA local' },
    { client_id: 'other-app', password: 'other-secret' },
    {
      client_id: 'strict-app',
      password: 'strict-secret',
      redirect_uris: ['http://127.0.0.1:9/callback'],
    },
  ],
  users: [
    {
      uid: 'demo',
      password: 'demo-pass',
      first_name: 'Demo',
      last_name: 'User',
      email_address: 'demo@example.com',
      groups: [
        { client_id: 'tea-local', name: 'science_team' },
        { client_id: 'other-app', name: 'elsewhere', group_id: 'G1', tag: 'x' },
      ],
    },
    {
      uid: 'noeula',
      password: 'noeula-pass',
      first_name: 'No',
      last_name: 'Eula',
      email_address: 'noeula@example.com',
      unaccepted_eulas: ['tea-local'],
    },
    {
      uid: 'nobody',
      password: 'nobody-pass',
      first_name: 'No',
      last_name: 'Body',
      email_address: 'nobody@example.com',
      eula_accepted: false,
    },
  ],
}

/** A clock the test moves by hand; starts at 2030-01-01T00:00:00Z. */
export class FakeClock {
  ms = Date.UTC(2030, 0, 1)
  readonly now = (): number => this.ms
  advance(seconds: number): void {
    this.ms += seconds * 1000
  }
}

/** `Basic base64(user:password)`. */
export const basic = (user: string, password: string): string =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`

export const APP_AUTH = basic('tea-local', 'tea-secret')

/** Starts an emulator on port 0 with TEST_CONFIG (or `config`) and a fake clock. */
export async function startTestEmulator(
  config: EmulatorConfig = TEST_CONFIG,
): Promise<{ edl: RunningEdlEmulator; clock: FakeClock }> {
  const clock = new FakeClock()
  const edl = await startEdlEmulator({ config, now: clock.now })
  return { edl, clock }
}

/** The decoded JSON of a JWT segment (0 = header, 1 = payload), without verification. */
export function decodeJwtPart(token: string, part: 0 | 1): unknown {
  return JSON.parse(Buffer.from(token.split('.')[part] ?? '', 'base64url').toString('utf8'))
}

/** Runs the authorization-code flow for `uid` and returns the `/oauth/token` JSON body. */
export async function loginWithCode(
  url: string,
  uid: string,
  password: string,
  redirectUri = 'http://127.0.0.1:1/login',
): Promise<Record<string, unknown>> {
  const authorize = new URL('/oauth/authorize', url)
  authorize.search = new URLSearchParams({
    client_id: 'tea-local',
    redirect_uri: redirectUri,
    response_type: 'code',
  }).toString()
  const res = await fetch(authorize, {
    redirect: 'manual',
    headers: { authorization: basic(uid, password) },
  })
  const code = new URL(res.headers.get('location') ?? '').searchParams.get('code') ?? ''
  const token = await fetch(new URL('/oauth/token', url), {
    method: 'POST',
    headers: { authorization: APP_AUTH },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
    }),
  })
  return (await token.json()) as Record<string, unknown>
}
