import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { presignUrl } from './presign.js'
import type { StaticCredentials } from './presign.js'
import { timed } from './measure.js'

/** Everything a tool needs for one run. */
export interface RunContext {
  readonly endpoint: string
  readonly source: {
    readonly bucket: string
    readonly key: string
    readonly credentials: StaticCredentials
  }
  readonly dest: { readonly bucket: string; readonly credentials: StaticCredentials }
  readonly size: number
  readonly sourceFile: string
  readonly partSizeMiB: number
  readonly concurrency: number
  /** Holds this run's config and `/usr/bin/time` files. */
  readonly dir: string
  /** Shared configs written once by {@link writeSharedConfigs}. */
  readonly shared: SharedConfigs
  /** Plain environment (PATH, HOME, no AWS_* variables) every tool starts from. */
  readonly baseEnv: NodeJS.ProcessEnv
  readonly repoRoot: string
}

/** One run of one tool, as a `bash -c` script. */
export interface ToolRun {
  readonly script: string
  readonly timedCount: number
  readonly env: NodeJS.ProcessEnv
  /** Destination key written (verified afterwards); absent for download-only runs. */
  readonly destKey?: string
}

export interface SharedConfigs {
  readonly awsConfig: string
  readonly awsCredentials: string
  readonly rcloneConfig: string
  /** The stub /s3credentials URL for `tea copy`. */
  readonly s3credentialsUrl: string
  /** How `tea` runs: the built CLI, or the library fallback. */
  readonly teaMode: 'cli' | 'library'
  /** Extra node arguments for tea only (e.g. `--cpu-prof --cpu-prof-dir=…` to profile it). */
  readonly teaNodeArgs?: readonly string[]
}

export interface Tool {
  readonly name: string
  /** Uses part size and concurrency (run once per part size), or not (run once). */
  readonly multipart: boolean
  build(ctx: RunContext): Promise<ToolRun>
}

const MiB = 1024 ** 2
const q = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`
const destKey = (tool: string): string => `bench-copy/dst-${tool}`

/** aws-cli profiles (one source/dest pair per part size) and the rclone remotes. */
export async function writeSharedConfigs(
  dir: string,
  ctx: Pick<RunContext, 'endpoint' | 'source' | 'dest' | 'concurrency'>,
  partSizesMiB: readonly number[],
  extra: Pick<SharedConfigs, 's3credentialsUrl' | 'teaMode' | 'teaNodeArgs'>,
): Promise<SharedConfigs> {
  const s3 = (mib: number): string =>
    `s3 =\n  multipart_chunksize = ${mib}MB\n  max_concurrent_requests = ${ctx.concurrency}\n  addressing_style = path\n`
  const profiles = partSizesMiB.flatMap((mib) =>
    ['src', 'dst'].map((side) => `[profile ${side}-${mib}]\nregion = us-east-1\n${s3(mib)}`),
  )
  const creds = (name: string, c: StaticCredentials): string =>
    `[${name}]\naws_access_key_id = ${c.accessKeyId}\naws_secret_access_key = ${c.secretAccessKey}\n` +
    (c.sessionToken ? `aws_session_token = ${c.sessionToken}\n` : '')
  const credentialSections = partSizesMiB.flatMap((mib) => [
    creds(`src-${mib}`, ctx.source.credentials),
    creds(`dst-${mib}`, ctx.dest.credentials),
  ])
  const remote = (name: string, c: StaticCredentials): string =>
    `[${name}]\ntype = s3\nprovider = Ceph\nendpoint = ${ctx.endpoint}\nregion = us-east-1\n` +
    `force_path_style = true\naccess_key_id = ${c.accessKeyId}\nsecret_access_key = ${c.secretAccessKey}\n` +
    (c.sessionToken ? `session_token = ${c.sessionToken}\n` : '')
  const shared: SharedConfigs = {
    awsConfig: join(dir, 'aws-config'),
    awsCredentials: join(dir, 'aws-credentials'),
    rcloneConfig: join(dir, 'rclone.conf'),
    ...extra,
  }
  await writeFile(shared.awsConfig, profiles.join('\n'), { mode: 0o600 })
  await writeFile(shared.awsCredentials, credentialSections.join('\n'), { mode: 0o600 })
  await writeFile(
    shared.rcloneConfig,
    `${remote('src', ctx.source.credentials)}\n${remote('dst', ctx.dest.credentials)}`,
    { mode: 0o600 },
  )
  return shared
}

/** Inputs of the library-based children (tea-lib-copy.ts, proto-stream-copy.ts). */
function libraryEnv(ctx: RunContext, key: string): NodeJS.ProcessEnv {
  return {
    BENCH_ENDPOINT: ctx.endpoint,
    BENCH_SRC_BUCKET: ctx.source.bucket,
    BENCH_SRC_KEY: ctx.source.key,
    BENCH_SRC_ACCESS_KEY_ID: ctx.source.credentials.accessKeyId,
    BENCH_SRC_SECRET_ACCESS_KEY: ctx.source.credentials.secretAccessKey,
    BENCH_SRC_SESSION_TOKEN: ctx.source.credentials.sessionToken ?? '',
    BENCH_DST_BUCKET: ctx.dest.bucket,
    BENCH_DST_KEY: key,
    BENCH_DST_ACCESS_KEY_ID: ctx.dest.credentials.accessKeyId,
    BENCH_DST_SECRET_ACCESS_KEY: ctx.dest.credentials.secretAccessKey,
    BENCH_PART_SIZE: String(ctx.partSizeMiB * MiB),
    BENCH_CONCURRENCY: String(ctx.concurrency),
  }
}

const teaCli: Tool = {
  name: 'tea',
  multipart: true,
  async build(ctx) {
    const key = destKey('tea')
    const common = { ...ctx.baseEnv, NODE_NO_WARNINGS: '1' }
    const node = [process.execPath, ...(ctx.shared.teaNodeArgs ?? [])].map(q).join(' ')
    if (ctx.shared.teaMode === 'library') {
      const script = join(ctx.repoRoot, 'bench/copy/tea-lib-copy.ts')
      return {
        script: `${timed(ctx.dir, 0)} ${node} --conditions=@tea-ts/source --import tsx ${q(script)}`,
        timedCount: 1,
        destKey: key,
        env: { ...common, ...libraryEnv(ctx, key) },
      }
    }
    const bin = join(ctx.repoRoot, 'packages/cli/bin/tea.js')
    const args = [
      'copy',
      `s3://${ctx.source.bucket}/${ctx.source.key}`,
      `s3://${ctx.dest.bucket}/${key}`,
      '--endpoint',
      ctx.shared.s3credentialsUrl,
      '--part-size',
      String(ctx.partSizeMiB * MiB),
      '--concurrency',
      String(ctx.concurrency),
      '--source-endpoint-url',
      ctx.endpoint,
      '--dest-endpoint-url',
      ctx.endpoint,
      '--source-region',
      'us-east-1',
      '--path-style',
      '--no-cache',
      '--json',
    ]
    return {
      script: `${timed(ctx.dir, 0)} ${node} ${q(bin)} ${args.map(q).join(' ')}`,
      timedCount: 1,
      destKey: key,
      env: {
        ...common,
        EARTHDATA_TOKEN: 'bench',
        AWS_ACCESS_KEY_ID: ctx.dest.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: ctx.dest.credentials.secretAccessKey,
        AWS_REGION: 'us-east-1',
      },
    }
  },
}

const awsPipe: Tool = {
  name: 'aws-cli pipe',
  multipart: true,
  async build(ctx) {
    const key = destKey('aws')
    const aws = (n: number, side: string): string =>
      `${timed(ctx.dir, n)} /usr/bin/aws --profile ${side}-${ctx.partSizeMiB} --endpoint-url ${q(ctx.endpoint)} --only-show-errors`
    const script =
      `${aws(0, 'src')} s3 cp ${q(`s3://${ctx.source.bucket}/${ctx.source.key}`)} - | ` +
      `${aws(1, 'dst')} s3 cp - ${q(`s3://${ctx.dest.bucket}/${key}`)}`
    return {
      script,
      timedCount: 2,
      destKey: key,
      env: {
        ...ctx.baseEnv,
        AWS_CONFIG_FILE: ctx.shared.awsConfig,
        AWS_SHARED_CREDENTIALS_FILE: ctx.shared.awsCredentials,
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_PAGER: '',
      },
    }
  },
}

const rclone: Tool = {
  name: 'rclone',
  multipart: true,
  async build(ctx) {
    const key = destKey('rclone')
    const args = [
      '--config',
      ctx.shared.rcloneConfig,
      'copyto',
      `src:${ctx.source.bucket}/${ctx.source.key}`,
      `dst:${ctx.dest.bucket}/${key}`,
      '--s3-chunk-size',
      `${ctx.partSizeMiB}M`,
      '--s3-upload-concurrency',
      String(ctx.concurrency),
      '--s3-no-check-bucket',
      '-q',
    ]
    // baseEnv has no AWS_CA_BUNDLE, which makes rclone 1.60 fail (local-s3-stack.md pitfall 17).
    return {
      script: `${timed(ctx.dir, 0)} rclone ${args.map(q).join(' ')}`,
      timedCount: 1,
      destKey: key,
      env: ctx.baseEnv,
    }
  },
}

/** A curl config holding a presigned URL, so no secret is on a command line. */
async function curlConfig(ctx: RunContext, name: string, url: string): Promise<string> {
  const path = join(ctx.dir, `${name}.curl`)
  await writeFile(path, `url = "${url}"\nsilent\nshow-error\nfail\n`, { mode: 0o600 })
  return path
}

function presign(
  ctx: RunContext,
  method: 'GET' | 'PUT',
  side: 'source' | 'dest',
  key: string,
): string {
  const bucket = side === 'source' ? ctx.source.bucket : ctx.dest.bucket
  return presignUrl({
    method,
    url: `${ctx.endpoint}/${bucket}/${key}`,
    credentials: ctx[side].credentials,
  })
}

const curlGet: Tool = {
  name: 'curl GET',
  multipart: false,
  async build(ctx) {
    const get = await curlConfig(ctx, 'get', presign(ctx, 'GET', 'source', ctx.source.key))
    return {
      script: `${timed(ctx.dir, 0)} curl -K ${q(get)} -o /dev/null -w '%{size_download}'`,
      timedCount: 1,
      env: ctx.baseEnv,
    }
  },
}

const curlPut: Tool = {
  name: 'curl PUT',
  multipart: false,
  async build(ctx) {
    const key = destKey('curl-put')
    const put = await curlConfig(ctx, 'put', presign(ctx, 'PUT', 'dest', key))
    return {
      script: `${timed(ctx.dir, 0)} curl -K ${q(put)} -T ${q(ctx.sourceFile)} -o /dev/null`,
      timedCount: 1,
      destKey: key,
      env: ctx.baseEnv,
    }
  },
}

const curlPipe: Tool = {
  name: 'curl GET|PUT',
  multipart: false,
  async build(ctx) {
    const key = destKey('curl-pipe')
    const get = await curlConfig(ctx, 'get', presign(ctx, 'GET', 'source', ctx.source.key))
    const put = await curlConfig(ctx, 'put', presign(ctx, 'PUT', 'dest', key))
    // A non-chunked PUT needs Content-Length; the emptied Transfer-Encoding stops curl from
    // sending stdin chunked (radosgw rejects that). The URL is presigned, so headers are free.
    const script =
      `${timed(ctx.dir, 0)} curl -K ${q(get)} | ` +
      `${timed(ctx.dir, 1)} curl -K ${q(put)} -T - -H 'Content-Length: ${ctx.size}' -H 'Transfer-Encoding:' -o /dev/null`
    return { script, timedCount: 2, destKey: key, env: ctx.baseEnv }
  },
}

/** Not a product: the streamed-parts prototype behind bench-copy-findings.md (`--tools …,proto`). */
const protoStream: Tool = {
  name: 'proto stream',
  multipart: true,
  async build(ctx) {
    const key = destKey('proto')
    const script = join(ctx.repoRoot, 'bench/copy/proto-stream-copy.ts')
    return {
      script: `${timed(ctx.dir, 0)} ${q(process.execPath)} --conditions=@tea-ts/source --import tsx ${q(script)}`,
      timedCount: 1,
      destKey: key,
      env: { ...ctx.baseEnv, NODE_NO_WARNINGS: '1', BENCH_MODE: 'stream', ...libraryEnv(ctx, key) },
    }
  },
}

/** Every tool, in the order each round runs them. */
export const TOOLS: readonly Tool[] = [
  teaCli,
  awsPipe,
  rclone,
  protoStream,
  curlGet,
  curlPut,
  curlPipe,
]
