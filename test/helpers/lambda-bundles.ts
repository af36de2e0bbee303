import { execFile } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import yauzl from 'yauzl'
import { startEdlEmulator } from '@tea-ts/edl-emulator'
import type { RunningEdlEmulator } from '@tea-ts/edl-emulator'
import { createSessionCodec, loadConfig } from '@tea-ts/server'
import type { UserProfile } from '@tea-ts/server'
import { packageLambdas } from '../../scripts/package-lambdas.js'
import type { LambdaName, PackagedLambda } from '../../scripts/package-lambdas.js'
import { TEST_CLIENT_ID, TEST_CLIENT_PASSWORD } from '@tea-ts/server/testing'
import { EGRESS_USERS } from './egress-stack.js'
import type { S3Env } from './s3-env.js'

/**
 * The Lambda packages as Lambda runs them: built by `npm run package`'s code into a temporary
 * directory, unzipped, and invoked in a fresh Node process (scripts/lambda/invoke.mjs) with
 * nothing but the environment a function would have. For the bundle tests and
 * `npm run bench:cold-start`.
 */

const REPO = fileURLToPath(new URL('../..', import.meta.url))
const INVOKE = join(REPO, 'scripts', 'lambda', 'invoke.mjs')

export interface UnzippedLambdas {
  readonly packaged: Readonly<Record<LambdaName, PackagedLambda>>
  /** The directory each zip was extracted to. */
  readonly dirs: Readonly<Record<LambdaName, string>>
  /** A scratch directory for secrets and reports, removed by close(). */
  readonly work: string
  close(): Promise<void>
}

/** Runs the packaging and extracts each zip (the zip, not the build directory, is what ships). */
export async function buildAndUnzipLambdas(): Promise<UnzippedLambdas> {
  const work = await mkdtemp(join(tmpdir(), 'tea-lambda-'))
  const packaged = await packageLambdas(join(work, 'build'))
  const dirs: Partial<Record<LambdaName, string>> = {}
  const byName: Partial<Record<LambdaName, PackagedLambda>> = {}
  for (const p of packaged) {
    dirs[p.name] = join(work, 'unzipped', p.name)
    byName[p.name] = p
    await extractZip(p.zip, dirs[p.name] as string)
  }
  return {
    packaged: byName as Record<LambdaName, PackagedLambda>,
    dirs: dirs as Record<LambdaName, string>,
    work,
    close: () => rm(work, { recursive: true, force: true }),
  }
}

/**
 * Extracts every file entry of `zipPath` under `dir` (entry names are checked to stay inside);
 * returns the entries in zip order with their timestamps.
 */
export async function extractZip(
  zipPath: string,
  dir: string,
): Promise<{ name: string; modified: Date }[]> {
  const zip = await new Promise<yauzl.ZipFile>((ok, fail) =>
    yauzl.open(zipPath, { lazyEntries: true }, (err, z) => (err ? fail(err) : ok(z))),
  )
  const entries: { name: string; modified: Date }[] = []
  await new Promise<void>((ok, fail) => {
    zip.on('error', fail)
    zip.on('end', () => ok())
    zip.on('entry', (entry: yauzl.Entry) => {
      const name = entry.fileName
      if (name.startsWith('/') || name.split('/').includes('..')) {
        fail(new Error(`zip entry escapes the directory: ${name}`))
        return
      }
      entries.push({ name, modified: entry.getLastModDate() })
      zip.openReadStream(entry, (err, stream) => {
        if (err) return fail(err)
        const chunks: Buffer[] = []
        stream.on('data', (c: Buffer) => chunks.push(c))
        stream.on('error', fail)
        stream.on('end', () => {
          const target = join(dir, name)
          mkdir(dirname(target), { recursive: true })
            .then(() => writeFile(target, Buffer.concat(chunks)))
            .then(() => zip.readEntry(), fail)
        })
      })
    })
    zip.readEntry()
  })
  return entries
}

export interface Invocation {
  readonly ms: number
  readonly cpuMs: number
  readonly result?: unknown
  readonly error?: { name?: string; message?: string; code?: string }
}

export interface InvokeReport {
  /** The Node version of the fresh process. */
  readonly node: string
  /** Module initialisation: import of index.mjs until `handler` exists. */
  readonly importMs: number
  readonly importCpuMs: number
  readonly invocations: readonly Invocation[]
  /** The function's log output. */
  readonly stdout: string
  readonly stderr: string
}

/**
 * Imports `<dir>/index.mjs` in a new Node process (this one's binary) and calls `handler` with
 * each event in turn. The process sees only `env` plus PATH, and a HOME without AWS config.
 */
export async function invokeInFreshProcess(
  dir: string,
  events: readonly unknown[],
  env: Readonly<Record<string, string>>,
  work: string,
): Promise<InvokeReport> {
  const run = await mkdtemp(join(work, 'run-'))
  const reportFile = join(run, 'report.json')
  const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((ok, fail) => {
    const child = execFile(
      process.execPath,
      [INVOKE, dir, reportFile],
      { env: { PATH: process.env.PATH ?? '', HOME: run, ...env }, maxBuffer: 16 * 1024 * 1024 },
      (err, out, errOut) =>
        err
          ? fail(Object.assign(err, { stderr: errOut, stdout: out }))
          : ok({ stdout: out, stderr: errOut }),
    )
    child.stdin?.end(JSON.stringify(events))
  })
  const report = JSON.parse(await readFile(reportFile, 'utf8')) as Omit<
    InvokeReport,
    'stdout' | 'stderr'
  >
  await rm(run, { recursive: true, force: true })
  return { ...report, stdout, stderr }
}

const DEMO_MAP = join(REPO, 'packages/server/src/bucket-map/examples/bucket-map.demo.yaml')

export interface EgressLambdaEnv {
  readonly edl: RunningEdlEmulator
  /** The function's environment: TEA's variables, radosgw for STS, secrets in files. */
  readonly env: Readonly<Record<string, string>>
  /** A `cookie` header value with a session for `alice`, group science (as /login would set it). */
  readonly aliceCookie: string
  close(): Promise<void>
}

/**
 * The egress function's configuration against the local stack: the EDL emulator, STS on
 * radosgw (AWS_ENDPOINT_URL_STS, the stack user's keys as the function's role), secrets as
 * `*_SECRET_FILE`s in `work`, the demo bucket map.
 */
export async function egressLambdaEnv(s3: S3Env, work: string): Promise<EgressLambdaEnv> {
  const edl = await startEdlEmulator({
    config: {
      users: [...EGRESS_USERS],
      apps: [{ client_id: TEST_CLIENT_ID, password: TEST_CLIENT_PASSWORD }],
    },
  })
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const b64 = (text: string | Buffer): string => Buffer.from(text).toString('base64')
  const ursFile = join(work, 'urs.json')
  const jwtFile = join(work, 'jwt.json')
  await writeFile(
    ursFile,
    JSON.stringify({
      UrsId: TEST_CLIENT_ID,
      UrsAuth: b64(`${TEST_CLIENT_ID}:${TEST_CLIENT_PASSWORD}`),
    }),
  )
  await writeFile(
    jwtFile,
    JSON.stringify({
      rsa_priv_key: b64(privateKey.export({ type: 'pkcs1', format: 'pem' })),
      rsa_pub_key: b64(publicKey.export({ type: 'spki', format: 'pem' })),
    }),
  )
  const env: Record<string, string> = {
    URS_CREDS_SECRET_FILE: ursFile,
    JWT_KEY_SECRET_FILE: jwtFile,
    AUTH_BASE_URL: edl.url,
    BUILD_VERSION: 'lambda-bundle-test',
    ENABLE_S3_CREDENTIALS_ENDPOINT: 'true',
    EGRESS_APP_DOWNLOAD_ROLE_INREGION_ARN: s3.roleArn,
    BUCKET_MAP_FILE: DEMO_MAP,
    BUCKETNAME_PREFIX: '',
    AWS_REGION: s3.region,
    AWS_ENDPOINT_URL_STS: s3.endpoint,
    AWS_ACCESS_KEY_ID: s3.user.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3.user.secretAccessKey,
  }
  const config = await loadConfig(env)
  const codec = createSessionCodec({
    algorithm: config.session.algorithm,
    publicKey: config.session.keys.publicKey,
    privateKey: config.session.keys.privateKey,
    ttlSeconds: config.session.ttlSeconds,
  })
  const alice: UserProfile = {
    userId: 'alice',
    firstName: 'Alice',
    lastName: 'Science',
    email: 'alice@example.com',
    groups: [{ client_id: TEST_CLIENT_ID, name: 'science' }],
    accessToken: 'not-used',
  }
  const { token } = await codec.mint(alice)
  return {
    edl,
    env,
    aliceCookie: `${config.session.cookieName}=${token}`,
    close: () => edl.close(),
  }
}
