/**
 * Copy benchmark (issue 6): one object (1 GiB by default) copied from the source bucket, read
 * with read-only STS (AssumeRole) credentials, to a bucket of another user with its own keys,
 * by `tea copy`, the aws-cli pipe, rclone and curl (single stream, the limit), on this machine
 * against the local radosgw. Run from the repo root:
 *
 *   set -a; eval "$(bash scripts/s3-stack.sh start .rgw)"; set +a
 *   npm run build      # so `tea copy` runs as built; otherwise the library is measured
 *   npx tsx bench/copy/run.ts [--runs 3] [--part-sizes 128,64] [--concurrency 4]
 *       [--size-mib 1024] [--tools tea,aws,rclone,curl] [--budget-seconds 600] [--no-write]
 *       [--tea-cpu-prof-dir DIR]   # V8 CPU profiles of each tea process, for findings
 *   npx tsx bench/copy/run.ts --render-only   # rewrite the results.md section from copy.json
 *
 * Rounds interleave the tools; every copy is verified (size + ETag, or read back), then the
 * destination is deleted and radosgw's GC run. Writes bench/results/copy.json and the section
 * "Copy: 1 GiB across credentials" of bench/results.md.
 */
import { execFileSync } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { cpus, loadavg, totalmem } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { S3Client } from '@aws-sdk/client-s3'
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts'
import { buildStamp } from './build-stamp.js'
import { measure, processCpuSeconds } from './measure.js'
import { summarize } from './report.js'
import type { RunRecord } from './report.js'
import { writeResultsSection } from './results-section.js'
import type { CopyBenchResult } from './results-section.js'
import { ensureSourceObject, prepareSourceFile } from './source-object.js'
import { startStubS3Credentials } from './stub-s3credentials.js'
import { TOOLS, writeSharedConfigs } from './tools.js'
import type { RunContext, SharedConfigs, Tool } from './tools.js'
import { cleanDest, collectGarbage, verifyCopy } from './verify.js'

const MiB = 1024 ** 2
const REPO = new URL('../..', import.meta.url).pathname.replace(/\/$/, '')
const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    'part-sizes': { type: 'string', default: '128,64' },
    concurrency: { type: 'string', default: '4' },
    'size-mib': { type: 'string', default: '1024' },
    tools: { type: 'string', default: 'tea,aws,rclone,curl' },
    'budget-seconds': { type: 'string', default: '600' },
    'timeout-seconds': { type: 'string', default: '120' },
    'work-dir': { type: 'string', default: '/tmp/tea-bench-copy' },
    'tea-mode': { type: 'string', default: 'auto' },
    'no-write': { type: 'boolean', default: false },
    'tea-cpu-prof-dir': { type: 'string' },
    'render-only': { type: 'boolean', default: false },
  },
})
const RUNS = Number(args.runs)
const PART_SIZES = args['part-sizes'].split(',').map(Number)
const CONCURRENCY = Number(args.concurrency)
const SIZE = Number(args['size-mib']) * MiB
const WANTED = args.tools.split(',')
const BUDGET_MS = Number(args['budget-seconds']) * 1000
const log = (line: string): void => void process.stderr.write(`bench/copy: ${line}\n`)

if (args['render-only']) {
  const saved = JSON.parse(
    await readFile(join(REPO, 'bench/results/copy.json'), 'utf8'),
  ) as CopyBenchResult
  await writeResultsSection(join(REPO, 'bench/results.md'), saved)
  process.exit(0)
}

function env(name: string): string {
  const value = process.env[name]
  if (!value)
    throw new Error(
      `${name} is not set: load the stack's env (see the header of bench/copy/run.ts)`,
    )
  return value
}
const endpoint = env('S3_ENDPOINT')
const rgwDataDir = env('RGW_DATA_DIR')
const s3 = (credentials: { accessKeyId: string; secretAccessKey: string }): S3Client =>
  new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    credentials,
  })
const tester = {
  accessKeyId: env('S3_ACCESS_KEY_ID'),
  secretAccessKey: env('S3_SECRET_ACCESS_KEY'),
}
const destCredentials = {
  accessKeyId: env('S3_DEST_ACCESS_KEY_ID'),
  secretAccessKey: env('S3_DEST_SECRET_ACCESS_KEY'),
}
const destClient = s3(destCredentials)
const SOURCE_KEY = `bench-copy/source-${SIZE / MiB}MiB.bin`
const DEST_BUCKET = env('S3_DEST_BUCKET')

async function assumeRole(): Promise<{
  credentials: Required<RunContext['source']['credentials']>
  expiration: Date
}> {
  const sts = new STSClient({ endpoint, region: 'us-east-1', credentials: tester })
  const { Credentials: c } = await sts.send(
    new AssumeRoleCommand({
      RoleArn: env('S3_ROLE_ARN'),
      RoleSessionName: 'bench-copy',
      DurationSeconds: 3600,
    }),
  )
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration)
    throw new Error('AssumeRole gave no credentials')
  return {
    credentials: {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
    },
    expiration: c.Expiration,
  }
}

function teaMode(): SharedConfigs['teaMode'] {
  if (args['tea-mode'] === 'cli' || args['tea-mode'] === 'library') return args['tea-mode']
  try {
    const help = execFileSync(
      process.execPath,
      [join(REPO, 'packages/cli/bin/tea.js'), 'copy', '--help'],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    )
    return help.includes('--part-size') ? 'cli' : 'library'
  } catch {
    return 'library'
  }
}

const serverPids = async (): Promise<number[]> => {
  const files = ['client.rgw.a.pid', 'client.rgw.b.pid', 'osd.0.pid']
  const pids = await Promise.all(
    files.map((f) => readFile(join(rgwDataDir, 'run', f), 'utf8').catch(() => '')),
  )
  return pids.map(Number).filter((p) => p > 0)
}
const serverCpu = async (): Promise<number> =>
  (await Promise.all((await serverPids()).map(processCpuSeconds))).reduce((a, b) => a + b, 0)

function parseToolReport(stdout: string): unknown {
  const last = stdout.trim().split('\n').at(-1) ?? ''
  try {
    return JSON.parse(last)
  } catch {
    return last.slice(0, 200) || undefined
  }
}

async function runOnce(
  tool: Tool,
  base: Omit<RunContext, 'dir'>,
  round: number,
  runDir: string,
): Promise<RunRecord> {
  const dir = await mkdtemp(join(runDir, 'run-'))
  const ctx: RunContext = { ...base, dir }
  const built = await tool.build(ctx)
  const loadAverage1m = loadavg()[0]!
  const cpuBefore = await serverCpu()
  const m = await measure(built.script, {
    env: built.env,
    cwd: REPO,
    dir,
    timedCount: built.timedCount,
    timeoutMs: Number(args['timeout-seconds']) * 1000,
  })
  const serverCpuSeconds = (await serverCpu()) - cpuBefore
  let problem = m.timedOut
    ? 'timed out'
    : m.exitCode !== 0
      ? `exit ${m.exitCode}: ${m.stderr.trim().slice(-300)}`
      : undefined
  let verification: Awaited<ReturnType<typeof verifyCopy>> | undefined
  if (!problem && built.destKey) {
    verification = await verifyCopy(
      destClient,
      DEST_BUCKET,
      built.destKey,
      { path: ctx.sourceFile, ...sourceSums },
      ctx.partSizeMiB,
    )
    problem = verification.problem
  } else if (!problem) {
    const got = m.stdout.trim()
    verification =
      got === String(SIZE)
        ? { ok: true, how: 'download-size' }
        : { ok: false, problem: `downloaded ${got} bytes, expected ${SIZE}` }
    problem = verification.problem
  }
  const { abortedUploads } = await cleanDest(destClient, DEST_BUCKET, 'bench-copy/', built.destKey)
  await collectGarbage(rgwDataDir)
  await rm(dir, { recursive: true, force: true })
  const rss = m.processes.map((p) => p.maxRssKiB / 1024)
  return {
    tool: tool.name === 'tea' && base.shared.teaMode === 'library' ? 'tea (library)' : tool.name,
    partSizeMiB: tool.multipart ? ctx.partSizeMiB : null,
    round,
    ok: problem === undefined,
    seconds: m.seconds,
    mibPerSec: SIZE / MiB / m.seconds,
    peakRssMiB: rss.reduce((a, b) => a + b, 0),
    rssByProcessMiB: rss.map((r) => Math.round(r)),
    cpuSeconds: m.processes.reduce((a, p) => a + p.userSeconds + p.systemSeconds, 0),
    serverCpuSeconds,
    loadAverage1m,
    ...(verification?.how ? { verified: verification.how, etag: verification.etag } : {}),
    abortedUploads,
    ...(problem ? { problem } : {}),
    ...(tool.name === 'tea' ? { toolReport: parseToolReport(m.stdout) } : {}),
  }
}

// ------------------------------------------------------------------ main
const started = performance.now()
await mkdir(args['work-dir'], { recursive: true, mode: 0o700 })
const runDir = await mkdtemp(join(args['work-dir'], 'session-'))
const sourceFile = await prepareSourceFile(join(args['work-dir'], 'source.bin'), SIZE, PART_SIZES)
const { path: _path, ...sourceSums } = sourceFile
log(
  `source object ${SOURCE_KEY}: ${await ensureSourceObject(s3(tester), env('S3_BUCKET'), SOURCE_KEY, sourceFile)}`,
)
const role = await assumeRole()
const stub = await startStubS3Credentials(role.credentials, role.expiration)
const mode = WANTED.includes('tea') ? teaMode() : 'library'
if (WANTED.includes('tea')) {
  log(
    `tea runs as: ${mode === 'cli' ? 'the built CLI (tea copy)' : 'the library (copyObject) in a child process'}`,
  )
}
const source = { bucket: env('S3_BUCKET'), key: SOURCE_KEY, credentials: role.credentials }
const dest = { bucket: DEST_BUCKET, credentials: destCredentials }
const shared = await writeSharedConfigs(
  runDir,
  { endpoint, source, dest, concurrency: CONCURRENCY },
  PART_SIZES,
  {
    s3credentialsUrl: stub.url,
    teaMode: mode,
    ...(args['tea-cpu-prof-dir']
      ? { teaNodeArgs: ['--cpu-prof', `--cpu-prof-dir=${args['tea-cpu-prof-dir']}`] }
      : {}),
  },
)
const baseEnv: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  HOME: runDir,
  LANG: 'C.UTF-8',
  TMPDIR: runDir,
}
const tools = TOOLS.filter((t) => WANTED.some((w) => t.name.toLowerCase().startsWith(w)))
// Asked before the runs: the tools get HOME=runDir (rclone creates ~/.config/rclone in it).
const version = (cmd: string, a: string[]): string =>
  execFileSync(cmd, a, { encoding: 'utf8', env: baseEnv }).split('\n')[0]!.trim()
const versions = {
  tea: execFileSync(
    'git',
    ['-C', REPO, 'log', '-1', '--format=%h', '--', 'packages/transfer', 'packages/cli'],
    {
      encoding: 'utf8',
    },
  ).trim(),
  aws: version('/usr/bin/aws', ['--version']),
  rclone: version('rclone', ['version']),
  curl: version('curl', ['--version']),
}
const stampAtStart = await buildStamp(REPO)
if (mode === 'cli' && stampAtStart.staleSources.length) {
  log(
    `warning: dist/ is older than ${stampAtStart.staleSources.join(', ')}: run npm run build first`,
  )
}
const loadAtStart = loadavg()
const records: RunRecord[] = []
const skipped: string[] = []
try {
  for (const [i, partSizeMiB] of PART_SIZES.entries()) {
    for (let round = 1; round <= RUNS; round++) {
      for (const tool of tools.filter((t) => t.multipart || i === 0)) {
        const label = `${tool.name}${tool.multipart ? ` ${partSizeMiB} MiB` : ''} #${round}`
        if (performance.now() - started > BUDGET_MS) {
          skipped.push(label)
          continue
        }
        const base = {
          endpoint,
          source,
          dest,
          size: SIZE,
          sourceFile: sourceFile.path,
          partSizeMiB,
          concurrency: CONCURRENCY,
          shared,
          baseEnv,
          repoRoot: REPO,
        }
        const r = await runOnce(tool, base, round, runDir)
        records.push(r)
        log(
          `${label}: ${r.ok ? `${r.mibPerSec.toFixed(0)} MiB/s` : `FAILED (${r.problem})`}, ${r.seconds.toFixed(2)} s, ` +
            `RSS ${r.peakRssMiB.toFixed(0)} MiB, CPU ${r.cpuSeconds.toFixed(1)} s, server CPU ${r.serverCpuSeconds.toFixed(1)} s, load ${r.loadAverage1m.toFixed(1)}`,
        )
      }
    }
  }
} finally {
  await stub.close()
  await rm(runDir, { recursive: true, force: true })
}
if (skipped.length) log(`over budget, skipped: ${skipped.join(', ')}`)
const summary = summarize(records, SIZE)
const result = {
  date: new Date().toISOString(),
  machine: {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memGiB: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
  },
  versions,
  config: {
    sizeBytes: SIZE,
    partSizesMiB: PART_SIZES,
    concurrency: CONCURRENCY,
    runs: RUNS,
    teaMode: mode,
  },
  build: { start: stampAtStart, end: await buildStamp(REPO) },
  loadAverage: { start: loadAtStart, end: loadavg() },
  wallSeconds: Math.round((performance.now() - started) / 1000),
  stubS3CredentialsHits: stub.hits(),
  summary,
  skipped,
  records,
}
if (!args['no-write']) {
  await writeFile(join(REPO, 'bench/results/copy.json'), `${JSON.stringify(result, null, 2)}\n`)
  await writeResultsSection(join(REPO, 'bench/results.md'), result)
  log('wrote bench/results/copy.json and bench/results.md')
}
process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`)
