import { fileURLToPath } from 'node:url'
import fp from 'fastify-plugin'
import { startEdlEmulator } from '@tea-ts/edl-emulator'
import type { EmulatorUser, RunningEdlEmulator } from '@tea-ts/edl-emulator'
import { createEdlClient, startServer } from '@tea-ts/server'
import type { AppDeps, Config, RoleVendor, RunningServer } from '@tea-ts/server'
import {
  DEMO_MAP_PATH,
  EMULATOR_ALICE,
  TEST_CLIENT_ID,
  TEST_CLIENT_PASSWORD,
  createStsRoleVendor,
  testConfig,
} from '@tea-ts/server/testing'
import { emulatorLogger, recordSecretsPlugin, serverLog } from '../log-audit/log-capture.js'
import { readS3Env } from './s3-env.js'

/**
 * The egress stack on loopback, for tests and benchmarks of `/s3credentials` clients: the EDL
 * emulator and the real server (`startServer`, as `tea serve` runs it), both on port 0, the
 * server vending radosgw STS credentials through the demo bucket map. Needs the local S3 stack's
 * environment (see docs/local-stack.md).
 */

/** `alice` (group science: all of test-bucket) and `noeula` (same groups, EULA not accepted). */
export const EGRESS_USERS: readonly EmulatorUser[] = [
  EMULATOR_ALICE,
  {
    uid: 'noeula',
    password: 'noeula-pass',
    first_name: 'No',
    last_name: 'Eula',
    email_address: 'noeula@example.com',
    eula_accepted: false,
    groups: [{ client_id: TEST_CLIENT_ID, name: 'science' }],
  },
]

export interface EgressStackOptions {
  /**
   * Where the server's own STS client sends AssumeRole. Default: `S3_ENDPOINT`. Pass
   * `S3_SHORT_STS_ENDPOINT` (with `durationSeconds: 900`) for credentials that really expire
   * about 120 s after minting; the client is private to this server, so the clock offset the
   * SDK learns from that gateway never reaches an S3 client.
   */
  readonly stsEndpoint?: string
  /** S3_CREDENTIALS_DURATION_SECONDS. Default: 3600. */
  readonly durationSeconds?: number
  /** Replaces radosgw's STS (e.g. a stub answering at once). Default: real STS at `stsEndpoint`. */
  readonly roles?: RoleVendor
  /** S3_CREDENTIALS_RATE_LIMIT (per user per minute; 0: off). Default: the service's (60). */
  readonly rateLimit?: number
}

export interface EgressStack {
  readonly edl: RunningEdlEmulator
  /** The server's origin, e.g. `http://127.0.0.1:41234`. */
  readonly serverUrl: string
  /** `<serverUrl>/s3credentials`. */
  readonly endpoint: string
  /** `GET /s3credentials` requests the server has received (any outcome). */
  readonly requests: () => number
  /** AssumeRole calls the server has made. */
  readonly stsCalls: () => number
  /** Closes the server; the emulator keeps running. */
  stopServer(): Promise<void>
  /** Starts the server again on the port it had, so clients keep their endpoint. */
  restartServer(): Promise<void>
  close(): Promise<void>
}

/**
 * Starts the emulator with {@link EGRESS_USERS} and the server in front of radosgw.
 *
 * @example
 * const stack = await startEgressStack()
 * const token = await stack.edl.issueUserToken('alice')
 * const credentials = fromS3Credentials({ endpoint: stack.endpoint, token, edlHost: stack.edl.url })
 * await stack.close()
 */
export async function startEgressStack(options: EgressStackOptions = {}): Promise<EgressStack> {
  const s3 = readS3Env()
  const edl = await startEdlEmulator({
    config: {
      users: [...EGRESS_USERS],
      apps: [{ client_id: TEST_CLIENT_ID, password: TEST_CLIENT_PASSWORD }],
    },
    logger: emulatorLogger(),
  })
  const config = await egressConfig(
    edl.url,
    s3.roleArn,
    options.durationSeconds ?? 3600,
    options.rateLimit,
  )
  const inner =
    options.roles ??
    createStsRoleVendor({
      endpoint: options.stsEndpoint ?? s3.endpoint,
      region: s3.region,
      credentials: s3.user,
    })
  let stsCalls = 0
  const roles: RoleVendor = {
    assumeRole: (input) => {
      stsCalls++
      return inner.assumeRole(input)
    },
  }
  let requests = 0
  // fastify-plugin lifts the hook to the root, so it sees the built-in /s3credentials route.
  const counter = fp(async (app) => {
    app.addHook('onRequest', async (req) => {
      if (req.url.split('?', 1)[0] === '/s3credentials') requests++
    })
  })
  const deps: AppDeps = {
    edl: createEdlClient({
      baseUrl: config.authBaseUrl,
      clientId: config.urs.clientId,
      basicAuth: config.urs.basicAuth,
      fetch: globalThis.fetch,
    }),
    roles,
    fetch: globalThis.fetch,
    now: Date.now,
    log: serverLog('egress-stack'),
  }
  const listen = (port: number) =>
    startServer({
      config,
      deps,
      port,
      host: '127.0.0.1',
      appOptions: { plugins: [counter, recordSecretsPlugin] },
    })
  let server: RunningServer | undefined = await listen(0)
  const serverUrl = server.url
  return {
    edl,
    serverUrl,
    endpoint: `${serverUrl}/s3credentials`,
    requests: () => requests,
    stsCalls: () => stsCalls,
    async stopServer() {
      await server?.close()
      server = undefined
    },
    async restartServer() {
      if (server === undefined) server = await listen(Number(new URL(serverUrl).port))
    },
    async close() {
      await server?.close()
      server = undefined
      await edl.close()
    },
  }
}

/** The server's config, through `loadConfig` as `tea serve` reads it. */
function egressConfig(
  edlUrl: string,
  roleArn: string,
  durationSeconds: number,
  rateLimit: number | undefined,
): Promise<Readonly<Config>> {
  return testConfig({
    AUTH_BASE_URL: edlUrl,
    ENABLE_S3_CREDENTIALS_ENDPOINT: 'true',
    EGRESS_APP_DOWNLOAD_ROLE_INREGION_ARN: roleArn,
    S3_CREDENTIALS_DURATION_SECONDS: String(durationSeconds),
    BUCKET_MAP_FILE: fileURLToPath(DEMO_MAP_PATH),
    BUCKETNAME_PREFIX: '',
    COOKIE_SECURE: 'false',
    ...(rateLimit === undefined ? {} : { S3_CREDENTIALS_RATE_LIMIT: String(rateLimit) }),
  })
}
