import { generateKeyPairSync } from 'node:crypto'
import { loadConfig } from '../config.js'
import type { EdlUser } from '../auth/edl-client.js'
import type { UserProfile } from '../auth/user-profile.js'
import type { Config } from '../config.js'

/** The one EDL application every test registers the service as. */
export const TEST_CLIENT_ID = 'tea-test-client'
export const TEST_CLIENT_PASSWORD = 'tea-test-password'

/** User agents: TEA treats callers whose User-Agent starts with "Mozilla" as browsers. */
export const CURL = 'curl/8.5.0'
export const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0'

/** An RSA key pair as PEM text, as JWT_KEY_SECRET_ARN holds it (before base64). */
export interface TestKeys {
  readonly privateKey: string
  readonly publicKey: string
}

let generated: TestKeys | undefined

/** A 2048-bit RSA pair made once per process (tests that need a fixed key pass their own). */
export function testKeys(): TestKeys {
  if (generated === undefined) {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 })
    generated = {
      privateKey: pair.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
      publicKey: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    }
  }
  return generated
}

export interface TestConfigOptions {
  /** Default: {@link testKeys}. */
  readonly keys?: TestKeys
  /** The password in the URS secret (a wrong one makes EDL refuse the service). */
  readonly clientPassword?: string
}

const b64 = (text: string): string => Buffer.from(text).toString('base64')

/**
 * The service's config through `loadConfig`, as `tea serve` reads it, with the URS and JWT
 * secrets in in-memory files. `env` adds or overrides variables; AUTH_BASE_URL defaults to a
 * port nothing listens on, for tests that never reach EDL.
 */
export function testConfig(
  env: Record<string, string> = {},
  options: TestConfigOptions = {},
): Promise<Readonly<Config>> {
  const keys = options.keys ?? testKeys()
  const password = options.clientPassword ?? TEST_CLIENT_PASSWORD
  const files: Record<string, string> = {
    'urs.json': JSON.stringify({
      UrsId: TEST_CLIENT_ID,
      UrsAuth: b64(`${TEST_CLIENT_ID}:${password}`),
    }),
    'jwt.json': JSON.stringify({
      rsa_priv_key: b64(keys.privateKey),
      rsa_pub_key: b64(keys.publicKey),
    }),
  }
  return loadConfig(
    {
      URS_CREDS_SECRET_FILE: 'urs.json',
      JWT_KEY_SECRET_FILE: 'jwt.json',
      AUTH_BASE_URL: 'http://127.0.0.1:9',
      ...env,
    },
    {
      readFile: async (path) => {
        const text = files[path]
        if (text === undefined) throw Object.assign(new Error('no such file'), { code: 'ENOENT' })
        return text
      },
    },
  )
}

/** The EDL user most tests sign in: `jdoe`, group `science` of {@link TEST_CLIENT_ID}. */
export const JANE: EdlUser = {
  uid: 'jdoe',
  firstName: 'Jane',
  lastName: 'Doe',
  email: 'jane@example.com',
  groups: [{ client_id: TEST_CLIENT_ID, name: 'science' }],
}

/** {@link JANE} as the service's user profile, as a session or bearer token carries it. */
export function janeProfile(accessToken = 'user-token'): UserProfile {
  const { uid, ...rest } = JANE
  return { userId: uid, ...rest, accessToken }
}
