import { generateKeyPairSync } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { FastifyPluginAsync } from 'fastify'
import {
  buildApp,
  createEdlClient,
  createSessionCodec,
  loadConfig,
  startServer,
} from '@tea-ts/server'
import type { EmulatorUser } from '@tea-ts/edl-emulator'
import type { AppDeps, Config, RoleVendor, UserProfile } from '@tea-ts/server'
import { parseBucketMap } from '../packages/server/src/bucket-map/parse-bucket-map.js'
import type { BucketMap } from '../packages/server/src/bucket-map/bucket-map.js'
import { s3CredentialsRoute } from '../packages/server/src/routes/s3credentials.js'
import type { VendCredentials } from '../packages/server/src/credentials/vend-credentials.js'
import {
  captureLog,
  recordSecrets,
  recordSecretsPlugin,
  serverLog,
} from './log-audit/log-capture.js'

/** Shared set-up for the /s3credentials tests: config, demo bucket map, cookies, log capture. */

export const CLIENT_ID = 'tea-test-client'
export const CLIENT_PASSWORD = 'tea-test-password'

/** An EDL emulator user in this app's `science` group (all of test-bucket in the demo map). */
export const EMULATOR_ALICE: EmulatorUser = {
  uid: 'alice',
  password: 'alice-pass',
  first_name: 'Alice',
  last_name: 'Science',
  email_address: 'alice@example.com',
  groups: [{ client_id: CLIENT_ID, name: 'science' }],
}

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
const KEYS = {
  rsa_priv_key: Buffer.from(privateKey.export({ type: 'pkcs1', format: 'pem' })).toString('base64'),
  rsa_pub_key: Buffer.from(publicKey.export({ type: 'spki', format: 'pem' })).toString('base64'),
}

/** A config with the endpoint on; `env` overrides or adds variables. */
export async function testConfig(env: Record<string, string> = {}): Promise<Readonly<Config>> {
  const files: Record<string, string> = {
    'urs.json': JSON.stringify({
      UrsId: CLIENT_ID,
      UrsAuth: Buffer.from(`${CLIENT_ID}:${CLIENT_PASSWORD}`).toString('base64'),
    }),
    'jwt.json': JSON.stringify(KEYS),
  }
  return loadConfig(
    {
      URS_CREDS_SECRET_FILE: 'urs.json',
      JWT_KEY_SECRET_FILE: 'jwt.json',
      AUTH_BASE_URL: 'http://127.0.0.1:9',
      ENABLE_S3_CREDENTIALS_ENDPOINT: 'true',
      EGRESS_APP_DOWNLOAD_ROLE_INREGION_ARN: 'arn:aws:iam::123456789012:role/download',
      BUCKETNAME_PREFIX: '',
      COOKIE_SECURE: 'false',
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

export const DEMO_MAP_PATH = new URL(
  '../packages/server/src/bucket-map/examples/bucket-map.demo.yaml',
  import.meta.url,
)

/** The demo map: test-bucket (group science, public/ for all), other-bucket (admin; shared/ also science). */
export function demoMap(): BucketMap {
  return parseBucketMap(readFileSync(DEMO_MAP_PATH, 'utf8'), {
    fileName: 'bucket-map.demo.yaml',
    iamCompatible: true,
  })
}

export function user(userId: string, groups: readonly string[], clientId = CLIENT_ID): UserProfile {
  return {
    userId,
    firstName: 'Test',
    lastName: 'User',
    email: `${userId}@example.com`,
    groups: groups.map((name) => ({ client_id: clientId, name })),
    accessToken: 'edl-token-not-used',
  }
}

/** `cookie` header value for a session minted with the config's keys (as /login would). */
export async function sessionCookie(config: Config, profile: UserProfile): Promise<string> {
  const codec = createSessionCodec({
    algorithm: config.session.algorithm,
    publicKey: config.session.keys.publicKey,
    privateKey: config.session.keys.privateKey,
    ttlSeconds: config.session.ttlSeconds,
  })
  const { token } = await codec.mint(profile)
  recordSecrets(token)
  return `${config.session.cookieName}=${token}`
}

/** Collects the app's JSON log lines (and keeps them for the log audit). */
export function logCapture(): {
  lines: Record<string, unknown>[]
  stream: { write(l: string): void }
} {
  return captureLog('s3credentials')
}

/** A vendor that records inputs and answers through `inner`. */
export function countingVendor(inner: RoleVendor): RoleVendor & { calls: unknown[] } {
  const calls: unknown[] = []
  return {
    calls,
    assumeRole(input) {
      calls.push(input)
      return inner.assumeRole(input)
    },
  }
}

export interface TestAppOptions {
  readonly config: Config
  readonly roles: RoleVendor
  /** Default: the demo map. `'load'`: app.ts loads BUCKET_MAP_FILE, as `tea serve` does. */
  readonly bucketMap?: BucketMap | 'load'
  readonly fetch?: typeof globalThis.fetch
  readonly log?: AppDeps['log']
  /** Replaces the route's vend core (benchmarks set its single-flight window). */
  readonly vend?: VendCredentials
  /** More plugins after the route (benchmarks add a stats route). */
  readonly extraPlugins?: readonly FastifyPluginAsync[]
}

/** The app as `tea serve` builds it (app.ts registers /s3credentials when enabled). */
export async function testApp(options: TestAppOptions) {
  const { deps, plugins } = appParts(options)
  return buildApp(options.config, deps, { plugins })
}

/** The same app, listening on 127.0.0.1 and a free port. */
export async function startTestServer(options: TestAppOptions) {
  const { deps, plugins } = appParts(options)
  return startServer({
    config: options.config,
    deps,
    port: 0,
    host: '127.0.0.1',
    appOptions: { plugins },
  })
}

function appParts(options: TestAppOptions): { deps: AppDeps; plugins: FastifyPluginAsync[] } {
  const fetch = options.fetch ?? globalThis.fetch
  const deps: AppDeps = {
    edl: createEdlClient({
      baseUrl: options.config.authBaseUrl,
      clientId: options.config.urs.clientId,
      basicAuth: options.config.urs.basicAuth,
      fetch,
    }),
    roles: options.roles,
    ...(options.bucketMap === 'load' ? {} : { bucketMap: options.bucketMap ?? demoMap() }),
    fetch,
    now: Date.now,
    log: options.log ?? serverLog('s3credentials'),
  }
  const plugins: FastifyPluginAsync[] = [recordSecretsPlugin]
  // app.ts registers the route when the endpoint is enabled; a custom vend core needs the
  // route registered here instead, with the endpoint disabled in the config.
  if (options.vend !== undefined) {
    if (options.config.s3Credentials.enabled) {
      throw new TypeError('testApp: pass a config with the endpoint disabled to use a custom vend')
    }
    const vend = options.vend
    plugins.push(async (app) => {
      await app.register(s3CredentialsRoute, {
        config: options.config,
        roles: options.roles,
        bucketMap: deps.bucketMap ?? demoMap(),
        vend,
      })
    })
  }
  return { deps, plugins: [...plugins, ...(options.extraPlugins ?? [])] }
}
