import { cpus, getPriority, loadavg, totalmem } from 'node:os'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { v1Event } from '../../test/helpers/apigw-events.js'
import { startEgressStack } from '../../test/helpers/egress-stack.js'
import {
  buildAndUnzipLambdas,
  egressLambdaEnv,
  invokeInFreshProcess,
} from '../../test/helpers/lambda-bundles.js'
import type { InvokeReport } from '../../test/helpers/lambda-bundles.js'
import { readS3Env, s3ClientFor } from '../../test/helpers/s3-env.js'
import { putBytes } from '../../test/helpers/transfer-fixtures.js'
import { bundleLambda } from '../../scripts/package-lambdas.js'
import { HEADING, renderSection } from './results-section.js'
import type { CaseResult, ColdStartResult } from './results-section.js'

/**
 * The cases, each a fresh Node process per run, interleaved run by run so that a busy spell on
 * the machine hits them all alike:
 *
 * - bare Fastify: one route behind @fastify/aws-lambda, bundled the same way (the floor for a
 *   Fastify service; the ratio to it is the comparable number);
 * - egress, GET /version: import, then the first event (configuration, app build, request),
 *   then a second one (warm);
 * - egress, GET /s3credentials with a session cookie: the first event includes loading the STS
 *   client and a real AssumeRole on radosgw;
 * - transfer: a 1 MiB copy on radosgw, source credentials from a running egress server.
 */
const { values: args } = parseArgs({
  options: { runs: { type: 'string', default: '20' }, 'no-write': { type: 'boolean' } },
})
const RUNS = Number(args.runs)
const started = Date.now()
const loadStart = loadavg()

const s3 = readS3Env()
const lambdas = await buildAndUnzipLambdas()
const bareDir = join(lambdas.work, 'bare-fastify')
await bundleLambda(new URL('./bare-fastify.ts', import.meta.url).pathname, bareDir)
const egress = await egressLambdaEnv(s3, lambdas.work)
const stack = await startEgressStack()
const sourceKey = `bench/cold-start-${Date.now()}.bin`
await putBytes(s3ClientFor(s3.user), s3.bucket, sourceKey, Buffer.alloc(1024 * 1024, 7))
const transferEnv = {
  AWS_REGION: s3.region,
  AWS_ENDPOINT_URL_S3: s3.endpoint,
  AWS_ACCESS_KEY_ID: s3.dest.accessKeyId,
  AWS_SECRET_ACCESS_KEY: s3.dest.secretAccessKey,
}

interface Case {
  readonly name: string
  readonly dir: string
  readonly env: Readonly<Record<string, string>>
  readonly events: () => Promise<unknown[]>
  readonly expectStatus?: number
}
const version = v1Event({ path: '/version' })
const credentials = v1Event({ path: '/s3credentials', cookies: [egress.aliceCookie] })
const cases: Case[] = [
  {
    name: 'bare Fastify, GET /version',
    dir: bareDir,
    env: {},
    events: async () => [version, version],
    expectStatus: 200,
  },
  {
    name: 'egress, GET /version',
    dir: lambdas.dirs.egress,
    env: egress.env,
    events: async () => [version, version],
    expectStatus: 200,
  },
  {
    name: 'egress, GET /s3credentials (cookie)',
    dir: lambdas.dirs.egress,
    env: egress.env,
    events: async () => [credentials, credentials],
    expectStatus: 200,
  },
  {
    name: 'transfer, 1 MiB copy',
    dir: lambdas.dirs.transfer,
    env: transferEnv,
    events: async () => {
      const event = {
        CredentialsEndpoint: stack.endpoint,
        BearerToken: await stack.edl.issueUserToken('alice'),
        Source: { Bucket: s3.bucket, Key: sourceKey },
        Dest: { Bucket: s3.destBucket },
      }
      return [event, event]
    },
  },
]

const reports = new Map<string, InvokeReport[]>(cases.map((c) => [c.name, []]))
for (let run = 0; run < RUNS; run++) {
  for (const c of cases) {
    const report = await invokeInFreshProcess(c.dir, await c.events(), c.env, lambdas.work)
    for (const [i, invocation] of report.invocations.entries()) {
      const status = (invocation.result as { statusCode?: number } | undefined)?.statusCode
      if (
        invocation.error !== undefined ||
        (c.expectStatus !== undefined && status !== c.expectStatus)
      ) {
        throw new Error(
          `${c.name}, event ${i + 1}: ${JSON.stringify(invocation)}\n${report.stdout}${report.stderr}`,
        )
      }
    }
    reports.get(c.name)?.push(report)
  }
  process.stderr.write(`run ${run + 1}/${RUNS}\n`)
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2
}
const results: CaseResult[] = cases.map((c) => {
  const rs = reports.get(c.name) ?? []
  return {
    name: c.name,
    node: rs[0]?.node ?? '',
    initMs: median(rs.map((r) => r.importMs)),
    initMinMs: Math.min(...rs.map((r) => r.importMs)),
    initCpuMs: median(rs.map((r) => r.importCpuMs)),
    firstMs: median(rs.map((r) => r.invocations[0]?.ms ?? NaN)),
    firstCpuMs: median(rs.map((r) => r.invocations[0]?.cpuMs ?? NaN)),
    warmMs: median(rs.map((r) => r.invocations[1]?.ms ?? NaN)),
    coldTotalMs: median(rs.map((r) => r.importMs + (r.invocations[0]?.ms ?? NaN))),
  }
})

const result: ColdStartResult = {
  date: new Date(started).toISOString(),
  command: `npm run bench:cold-start -- --runs ${RUNS}`,
  machine: {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? '',
    memGiB: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    nice: getPriority(),
  },
  loadAverage: { start: loadStart, end: loadavg() },
  runs: RUNS,
  packages: Object.values(lambdas.packaged).map((p) => ({
    name: p.name,
    zippedBytes: p.zippedBytes,
    unzippedBytes: p.unzippedBytes,
    codeBytes: p.codeBytes,
    indexBytes: p.indexBytes,
    files: p.files.length,
  })),
  cases: results,
  wallSeconds: (Date.now() - started) / 1000,
}

await stack.close()
await egress.close()
await lambdas.close()

const section = renderSection(result)
process.stdout.write(`${section}\n`)
if (!args['no-write']) {
  const results = new URL('../results/', import.meta.url)
  await mkdir(results, { recursive: true })
  await writeFile(new URL('cold-start.json', results), `${JSON.stringify(result, null, 2)}\n`)
  const { replaceResultsSection } = await import('../results-file.js')
  await replaceResultsSection(new URL('../results.md', import.meta.url), HEADING, section)
}
