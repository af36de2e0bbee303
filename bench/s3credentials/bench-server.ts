/**
 * The server side of bench/s3credentials/run.ts, in its own process so that autocannon and the
 * server do not share an event loop. Prints one JSON line `{ url, cookie }` when listening.
 *
 *   node --conditions=@tea-ts/source --import tsx bench/s3credentials/bench-server.ts <mode> [shareMs]
 *
 * Modes: `bare` (a plain Fastify route: the limit), `stub` (the app with a stub STS),
 * `stub-logged` (the same with info logs written to a null sink), `rgw` (radosgw's STS).
 * `shareMs` is the single-flight window after a call settles (default 0: share in flight only,
 * so every request that finds no identical call in flight is a new AssumeRole).
 */
import Fastify from 'fastify'
import type { FastifyPluginAsync } from 'fastify'
import type { AssumeRoleInput, RoleVendor } from '@tea-ts/server'
import {
  countingVendor,
  createPolicyForGroups,
  createStsRoleVendor,
  createVendCredentials,
  demoMap,
  s3CredentialsConfig,
  sessionCookie,
  startTestServer,
  user,
} from '@tea-ts/server/testing'

const BODY = {
  accessKeyId: 'ASIAEXAMPLEEXAMPLE01',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  sessionToken: 'x'.repeat(344),
  expiration: '2031-01-27 00:50:09+00:00',
}

const stub: RoleVendor = {
  assumeRole: async (_input: AssumeRoleInput) => ({
    accessKeyId: BODY.accessKeyId,
    secretAccessKey: BODY.secretAccessKey,
    sessionToken: BODY.sessionToken,
    expiration: new Date(Date.now() + 3600_000),
  }),
}

async function bare(): Promise<void> {
  const app = Fastify({ logger: false })
  app.get('/s3credentials', async () => BODY)
  app.get('/__bench/cpu', async () => cpu())
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  console.log(JSON.stringify({ url: `http://127.0.0.1:${port}`, cookie: '' }))
}

async function app(mode: 'stub' | 'stub-logged' | 'rgw', shareSettledMs: number): Promise<void> {
  const env = process.env
  const inner =
    mode === 'rgw'
      ? createStsRoleVendor({
          endpoint: required(env.S3_ENDPOINT, 'S3_ENDPOINT'),
          region: 'us-east-1',
          credentials: {
            accessKeyId: required(env.S3_ACCESS_KEY_ID, 'S3_ACCESS_KEY_ID'),
            secretAccessKey: required(env.S3_SECRET_ACCESS_KEY, 'S3_SECRET_ACCESS_KEY'),
          },
        })
      : stub
  const roles = countingVendor(inner)
  // The route is registered by the fixture with our vend core (to set the share window), so
  // app.ts must not register it too.
  const config = await s3CredentialsConfig({
    ENABLE_S3_CREDENTIALS_ENDPOINT: 'false',
    // Throughput is the point here: the per-user limit would answer 429 after 60 requests.
    S3_CREDENTIALS_RATE_LIMIT: '0',
    ...(mode === 'rgw'
      ? { EGRESS_APP_DOWNLOAD_ROLE_INREGION_ARN: required(env.S3_ROLE_ARN, 'S3_ROLE_ARN') }
      : {}),
  })
  const stats: FastifyPluginAsync = async (a) => {
    a.get('/__bench/sts-calls', async () => ({ calls: roles.calls.length }))
    a.get('/__bench/cpu', async () => cpu())
  }
  const vend = createVendCredentials({
    roles,
    roleArn: config.s3Credentials.inRegionRoleArn ?? '',
    clientId: config.urs.clientId,
    policyFor: createPolicyForGroups(demoMap()),
    shareSettledMs,
  })
  const server = await startTestServer({
    config,
    roles,
    vend,
    log: mode === 'stub-logged' ? { stream: { write: () => undefined }, level: 'info' } : false,
    extraPlugins: [stats],
  })
  const cookie = await sessionCookie(config, user('benchuser', ['science']))
  console.log(JSON.stringify({ url: server.url, cookie }))
}

/** CPU time of this process (all threads: libuv's crypto work counts too), in µs. */
function cpu(): { micros: number } {
  const { user, system } = process.cpuUsage()
  return { micros: user + system }
}

function required(value: string | undefined, name: string): string {
  if (value === undefined || value === '') {
    throw new Error(`${name} is not set: run with the local stack's environment (see run.ts)`)
  }
  return value
}

const mode = process.argv[2]
if (mode === 'bare') await bare()
else if (mode === 'stub' || mode === 'stub-logged' || mode === 'rgw')
  await app(mode, Number(process.argv[3] ?? 0))
else throw new Error(`unknown mode ${String(mode)}`)

// A clean exit on SIGTERM, so `node --cpu-prof` writes its profile when run.ts stops us.
process.once('SIGTERM', () => process.exit(0))
