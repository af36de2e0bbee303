import { readFileSync } from 'node:fs'
import type { FastifyPluginAsync } from 'fastify'
import { startServer } from '../adapters/node.js'
import { buildApp } from '../app.js'
import type { AppDeps } from '../app.js'
import { createEdlClient } from '../auth/edl-client.js'
import { createSessionCodec } from '../auth/session.js'
import type { UserProfile } from '../auth/user-profile.js'
import type { BucketMap } from '../bucket-map/bucket-map.js'
import { parseBucketMap } from '../bucket-map/parse-bucket-map.js'
import type { Config } from '../config.js'
import type { RoleVendor } from '../credentials/role-vendor.js'
import type { VendCredentials } from '../credentials/vend-credentials.js'
import { s3CredentialsRoute } from '../routes/s3credentials.js'
import { TEST_CLIENT_ID, testConfig } from './test-config.js'
// The cross-package log audit (npm test checks no minted secret reaches any server's log).
import {
  captureLog,
  recordSecrets,
  recordSecretsPlugin,
  serverLog,
} from '../../../../test/log-audit/log-capture.js'

/** Shared set-up for the /s3credentials tests: config, demo bucket map, cookies, log capture. */

/** An EDL emulator user in this app's `science` group (all of test-bucket in the demo map). */
export const EMULATOR_ALICE = {
  uid: 'alice',
  password: 'alice-pass',
  first_name: 'Alice',
  last_name: 'Science',
  email_address: 'alice@example.com',
  groups: [{ client_id: TEST_CLIENT_ID, name: 'science' }],
}

/** A config with the endpoint on; `env` overrides or adds variables. */
export function s3CredentialsConfig(env: Record<string, string> = {}): Promise<Readonly<Config>> {
  return testConfig({
    ENABLE_S3_CREDENTIALS_ENDPOINT: 'true',
    EGRESS_APP_DOWNLOAD_ROLE_INREGION_ARN: 'arn:aws:iam::123456789012:role/download',
    BUCKETNAME_PREFIX: '',
    COOKIE_SECURE: 'false',
    ...env,
  })
}

export const DEMO_MAP_PATH = new URL('../bucket-map/examples/bucket-map.demo.yaml', import.meta.url)

/** The demo map: test-bucket (group science, public/ for all), other-bucket (admin; shared/ also science). */
export function demoMap(): BucketMap {
  return parseBucketMap(readFileSync(DEMO_MAP_PATH, 'utf8'), {
    fileName: 'bucket-map.demo.yaml',
    iamCompatible: true,
  })
}

export function user(
  userId: string,
  groups: readonly string[],
  clientId = TEST_CLIENT_ID,
): UserProfile {
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
