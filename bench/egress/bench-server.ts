/**
 * The server side of bench/egress/run.ts, in its own process so that autocannon and the server
 * do not share an event loop. Prints one JSON line `{ url, cookie }` when listening.
 *
 *   node --conditions=@tea-ts/source --import tsx bench/egress/bench-server.ts <mode>
 *
 * Modes: `bare` (a plain Fastify route answering the same 303: the limit), `route` (the download
 * route for a private file with cookie auth, a stub STS and SUPPRESS_HEAD: our own cost),
 * `route-head` (the same with radosgw's STS and a real HeadObject per request).
 */
import Fastify from 'fastify'
import { fileURLToPath } from 'node:url'
import type { RoleVendor } from '@tea-ts/server'
import {
  createStsRoleVendor,
  s3CredentialsConfig,
  sessionCookie,
  startTestServer,
  user,
} from '@tea-ts/server/testing'

const MAP = fileURLToPath(
  new URL('../../packages/server/src/bucket-map/examples/bucket-map.demo.yaml', import.meta.url),
)
const LOCATION =
  'http://127.0.0.1:7480/test-bucket/egress/bench.bin?A-userid=benchuser&X-Amz-Algorithm=AWS4-HMAC-SHA256' +
  '&X-Amz-Credential=ASIAEXAMPLEEXAMPLE01%2F20260101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20260101T000000Z' +
  `&X-Amz-Expires=3600&X-Amz-Security-Token=${'x'.repeat(344)}&X-Amz-SignedHeaders=host&X-Amz-Signature=${'0'.repeat(64)}`

const stub: RoleVendor = {
  assumeRole: async () => ({
    accessKeyId: 'ASIAEXAMPLEEXAMPLE01',
    secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    sessionToken: 'x'.repeat(344),
    expiration: new Date(Date.now() + 3600_000),
  }),
}

async function bare(): Promise<void> {
  const app = Fastify({ logger: false })
  app.get('/*', async (_request, reply) =>
    reply
      .code(303)
      .header('cache-control', 'private, max-age=3540')
      .header('location', LOCATION)
      .send(),
  )
  app.get('/__bench/cpu', async () => cpu())
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  console.log(JSON.stringify({ url: `http://127.0.0.1:${port}`, cookie: '' }))
}

async function route(withHead: boolean): Promise<void> {
  const env = process.env
  const endpoint = withHead ? required(env.S3_ENDPOINT, 'S3_ENDPOINT') : 'http://127.0.0.1:7480'
  const roles = withHead
    ? createStsRoleVendor({
        endpoint,
        region: 'us-east-1',
        credentials: {
          accessKeyId: required(env.S3_ACCESS_KEY_ID, 'S3_ACCESS_KEY_ID'),
          secretAccessKey: required(env.S3_SECRET_ACCESS_KEY, 'S3_SECRET_ACCESS_KEY'),
        },
      })
    : stub
  const config = await s3CredentialsConfig({
    ENABLE_S3_CREDENTIALS_ENDPOINT: 'false',
    BUCKET_MAP_FILE: MAP,
    EGRESS_APP_DOWNLOAD_ROLE_ARN: env.S3_ROLE_ARN || 'arn:aws:iam::123456789012:role/download',
    AWS_ENDPOINT_URL_S3: endpoint,
    // Unreachable: every caller counts as out of region after one failed fetch.
    AWS_IP_RANGES_URL: 'http://127.0.0.1:9/ip-ranges.json',
    ...(withHead ? {} : { SUPPRESS_HEAD: 'true' }),
  })
  const server = await startTestServer({
    config,
    roles,
    bucketMap: 'load',
    // As deployed: info logs (the download record) and the Cumulus line, to a null sink.
    log: { stream: { write: () => undefined }, level: 'info' },
    extraPlugins: [async (a) => void a.get('/__bench/cpu', async () => cpu())],
  })
  const cookie = await sessionCookie(config, user('benchuser', ['science']))
  console.log(JSON.stringify({ url: server.url, cookie }))
}

/** CPU time of this process (all threads), in µs. */
function cpu(): { micros: number } {
  const { user: u, system } = process.cpuUsage()
  return { micros: u + system }
}

function required(value: string | undefined, name: string): string {
  if (value === undefined || value === '') throw new Error(`${name} is not set (see run.ts)`)
  return value
}

const mode = process.argv[2]
if (mode === 'bare') await bare()
else if (mode === 'route' || mode === 'route-head') await route(mode === 'route-head')
else throw new Error(`unknown mode ${String(mode)}`)
process.once('SIGTERM', () => process.exit(0))
