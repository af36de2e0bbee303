/**
 * The server side of bench/soak/run.ts: the egress service as `tea serve` builds it (real
 * session cookies, bearer tokens checked against the EDL emulator given on the command line,
 * the demo bucket map, the per-user rate limit, info logs to a null sink) with a stub STS that
 * answers after a few milliseconds. In its own process, so its memory and event loop are its
 * own. Prints one JSON line `{ url, privateKey, publicKey }` when listening (test keys, made
 * here, so run.ts can mint cookies for many users).
 *
 *   node --expose-gc --conditions=@tea-ts/source --import tsx bench/soak/soak-server.ts <edl-url>
 *
 * `GET /__soak/stats` answers this process's memory after a full GC, the event-loop delay since
 * the last call (then resets it), and the STS calls so far.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyPluginAsync } from 'fastify'
import type { RoleVendor } from '@tea-ts/server'
import { startTestServer, s3CredentialsConfig } from '@tea-ts/server/testing'

const edlUrl = process.argv[2]
if (edlUrl === undefined) throw new Error('usage: soak-server.ts <edl-url>')

let stsCalls = 0
const stubSts: RoleVendor = {
  async assumeRole(input) {
    stsCalls++
    await sleep(5) // a fast STS; what matters here is what the service keeps between calls
    return {
      accessKeyId: 'ASIASOAKSOAKSOAK0001',
      secretAccessKey: 'soak-secret-access-key-0000000000000000',
      sessionToken: `soak-session-token-${input.sessionName}`.padEnd(344, 'x'),
      expiration: new Date(Date.now() + 3_600_000),
    }
  },
}

const delay = monitorEventLoopDelay({ resolution: 10 })
delay.enable()
const gc = (globalThis as { gc?: () => void }).gc
if (gc === undefined) throw new Error('run with --expose-gc (run.ts does)')

const stats: FastifyPluginAsync = async (app) => {
  app.get('/__soak/stats', async () => {
    // The delay first: the full GC below blocks the loop, and must not count as traffic's delay.
    const loopDelayMs = {
      p50: delay.percentile(50) / 1e6,
      p99: delay.percentile(99) / 1e6,
      max: delay.max / 1e6,
    }
    delay.reset()
    gc()
    const memory = process.memoryUsage()
    return {
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      externalBytes: memory.external,
      loopDelayMs,
      stsCalls,
    }
  })
}

const config = await s3CredentialsConfig({ AUTH_BASE_URL: edlUrl })
const server = await startTestServer({
  config,
  roles: stubSts,
  log: { stream: { write: () => undefined }, level: 'info' },
  extraPlugins: [stats],
})
console.log(
  JSON.stringify({
    url: server.url,
    privateKey: config.session.keys.privateKey,
    publicKey: config.session.keys.publicKey,
  }),
)
process.once('SIGTERM', () => {
  void server.close().then(() => process.exit(0))
})
