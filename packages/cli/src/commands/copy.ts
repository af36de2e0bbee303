import { homedir } from 'node:os'
import { basename } from 'node:path'
import type { S3Client } from '@aws-sdk/client-s3'
import { fromIni, fromNodeProviderChain } from '@aws-sdk/credential-providers'
import { fileCredentialsStore } from '@tea-ts/client'
import {
  MAX_COPY_PART_SIZE,
  MAX_PART_SIZE,
  MIN_PART_SIZE,
  copyObject,
  copyPrefix,
  createDestClient,
  createSourceClient,
  formatBytes,
  parseByteSize,
  parseS3Url,
} from '@tea-ts/transfer'
import type { CopyPrefixResult, CopyResult, CopyTuning, RetryEvent, S3Url } from '@tea-ts/transfer'
import { SingleBar } from 'cli-progress'
import type { Command } from 'commander'
import type { CliDeps } from '../cli-deps.js'
import { UsageError } from '../cli-errors.js'
import { defaultCacheFile } from './credentials.js'

interface CopyFlags {
  endpoint?: string
  appName?: string
  edlHost?: string
  cache: boolean
  destProfile?: string
  partSize: string
  concurrency: string
  objectConcurrency: string
  sourceEndpointUrl?: string
  destEndpointUrl?: string
  sourceRegion: string
  destRegion?: string
  pathStyle?: boolean
  resume: boolean
  leavePartsOnError?: boolean
  json?: boolean
}

interface Plan {
  readonly source: S3Url
  readonly dest: S3Url
  readonly prefix: boolean
}

function s3Url(text: string, what: string): S3Url {
  try {
    return parseS3Url(text)
  } catch (err) {
    throw new UsageError(`${what}: ${(err as Error).message}`)
  }
}

/** Object → object, object → prefix/ (keeps the file name), prefix/ → prefix/. */
function planCopy(sourceText: string, destText: string): Plan {
  const source = s3Url(sourceText, 'source')
  const dest = s3Url(destText, 'destination')
  if (source.key === '' && !sourceText.endsWith('/')) {
    throw new UsageError(
      `source ${sourceText} has no key: give s3://${source.bucket}/<key>, or s3://${source.bucket}/ to copy the whole bucket`,
    )
  }
  if (source.isPrefix) {
    if (!dest.isPrefix) {
      throw new UsageError(
        `the source is a prefix (it ends in '/'), so the destination must be one too: s3://${dest.bucket}/${dest.key}/`,
      )
    }
    return { source, dest, prefix: true }
  }
  const key = dest.isPrefix ? dest.key + basename(source.key) : dest.key
  return { source, dest: { ...dest, key, isPrefix: false }, prefix: false }
}

function positiveInt(text: string, flag: string): number {
  const n = Number(text)
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1) {
    throw new UsageError(`${flag} must be a whole number ≥ 1, got ${JSON.stringify(text)}`)
  }
  return n
}

function partSizeOf(text: string): number {
  let bytes: number
  try {
    bytes = parseByteSize(text)
  } catch (err) {
    throw new UsageError(`--part-size: ${(err as Error).message}`)
  }
  if (bytes < MIN_PART_SIZE || bytes > MAX_PART_SIZE) {
    throw new UsageError(`--part-size must be from 5MiB to 5GiB, got ${text}`)
  }
  if (bytes > MAX_COPY_PART_SIZE) {
    throw new UsageError(
      `--part-size ${text} is above ${formatBytes(MAX_COPY_PART_SIZE)}, the largest buffer this Node.js allows`,
    )
  }
  return bytes
}

function sourceClient(flags: CopyFlags, deps: CliDeps): S3Client {
  try {
    return createSourceClient({
      credentialsEndpoint: flags.endpoint ?? deps.env.EARTHDATA_S3_CREDENTIALS_URL ?? '',
      s3: {
        region: flags.sourceRegion,
        forcePathStyle: flags.pathStyle === true,
        ...(flags.sourceEndpointUrl ? { endpoint: flags.sourceEndpointUrl } : {}),
      },
      credentials: {
        appName: flags.appName,
        edlHost: flags.edlHost,
        env: deps.env,
        homeDir: deps.env.HOME || homedir(),
        fetch: deps.fetch,
        store: flags.cache ? fileCredentialsStore(defaultCacheFile(deps.env)) : undefined,
        logger: { warn: (message) => deps.stderr.write(`warning: ${message}\n`) },
      },
    })
  } catch (err) {
    if (!(err instanceof TypeError)) throw err
    const message = err.message.replace(/^fromS3Credentials: /, '')
    throw new UsageError(
      /^endpoint is (required|not a URL)/.test(message) || message === ''
        ? '--endpoint (the /s3credentials URL) is required and must be a URL (or set EARTHDATA_S3_CREDENTIALS_URL)'
        : `--endpoint: ${message}`,
    )
  }
}

/** The destination uses the user's own AWS credentials: `--dest-profile`, else the standard chain. */
function destClient(flags: CopyFlags, env: CliDeps['env']): S3Client {
  const files = {
    ...(env.AWS_SHARED_CREDENTIALS_FILE ? { filepath: env.AWS_SHARED_CREDENTIALS_FILE } : {}),
    ...(env.AWS_CONFIG_FILE ? { configFilepath: env.AWS_CONFIG_FILE } : {}),
  }
  const credentials = flags.destProfile
    ? fromIni({ profile: flags.destProfile, ...files })
    : fromNodeProviderChain(files)
  return createDestClient({
    region: flags.destRegion ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
    forcePathStyle: flags.pathStyle === true,
    ...(flags.destEndpointUrl ? { endpoint: flags.destEndpointUrl } : {}),
    credentials,
  })
}

/** Progress: a bar on a terminal, JSON lines (at most one per second) otherwise. */
function progressReporter(deps: CliDeps) {
  const started = Date.now()
  const tty = deps.stderr.isTTY === true
  let bar: SingleBar | undefined
  let lastLine = 0
  let lastBytes = -1
  const rate = (bytes: number): number => bytes / Math.max(0.001, (Date.now() - started) / 1000)
  const line = (o: Record<string, unknown>): void => {
    deps.stderr.write(`${JSON.stringify(o)}\n`)
  }
  return {
    update(bytes: number, totalBytes: number): void {
      if (tty) {
        bar ??= new SingleBar({
          stream: deps.stderr,
          format: '{bar} {percentage}% | {done} / {size} | {rate}/s | ETA {eta_formatted}',
          hideCursor: false,
          etaBuffer: 50,
        })
        const payload = {
          done: formatBytes(bytes),
          size: formatBytes(totalBytes),
          rate: formatBytes(Math.round(rate(bytes))),
        }
        if (bar.getTotal() !== totalBytes) bar.start(totalBytes, bytes, payload)
        else bar.update(bytes, payload)
        return
      }
      const now = Date.now()
      if (bytes === lastBytes || (now - lastLine < 1000 && bytes < totalBytes)) return
      lastLine = now
      lastBytes = bytes
      const seconds = (now - started) / 1000
      line({
        event: 'progress',
        bytes,
        totalBytes,
        seconds,
        bytesPerSecond: Math.round(rate(bytes)),
      })
    },
    retry(e: RetryEvent): void {
      if (tty) return
      const error = e.error instanceof Error ? e.error.name : String(e.error)
      line({
        event: 'retry',
        operation: e.operation,
        part: e.partNumber,
        attempt: e.attempt,
        error,
      })
    },
    stop(): void {
      bar?.stop()
    },
  }
}

function describeObject(plan: Plan, r: CopyResult): string {
  const rate = formatBytes(Math.round(r.bytes / Math.max(r.seconds, 0.001)))
  const resumed = r.resumed ? ` (resumed ${r.resumed.parts} parts)` : ''
  return (
    `copied s3://${plan.source.bucket}/${plan.source.key} to s3://${plan.dest.bucket}/${plan.dest.key}: ` +
    `${formatBytes(r.bytes)} in ${r.seconds} s (${rate}/s), ${r.parts} parts, ETag ${r.etag}${resumed}\n`
  )
}

function describePrefix(r: CopyPrefixResult): string {
  return `${r.copied} copied, ${r.skipped} skipped, ${r.failed} failed: ${formatBytes(r.bytes)} in ${r.seconds} s\n`
}

async function runCopy(
  sourceText: string,
  destText: string,
  flags: CopyFlags,
  deps: CliDeps,
): Promise<number> {
  const plan = planCopy(sourceText, destText)
  const tuning: CopyTuning = {
    partSize: partSizeOf(flags.partSize),
    concurrency: positiveInt(flags.concurrency, '--concurrency'),
    resume: flags.resume,
    leavePartsOnError: flags.leavePartsOnError === true,
  }
  const objectConcurrency = positiveInt(flags.objectConcurrency, '--object-concurrency')
  const source = sourceClient(flags, deps)
  const dest = destClient(flags, deps.env)
  const controller = new AbortController()
  void deps.untilSignal().then(() => controller.abort())
  const progress = progressReporter(deps)
  const common = { ...tuning, signal: controller.signal, onRetry: progress.retry }
  const from = { bucket: plan.source.bucket, key: plan.source.key, client: source }
  const to = { bucket: plan.dest.bucket, key: plan.dest.key, client: dest }
  try {
    if (!plan.prefix) {
      const onProgress = (p: { bytes: number; totalBytes: number }): void =>
        progress.update(p.bytes, p.totalBytes)
      const result = await copyObject({ ...common, source: from, dest: to, onProgress })
      progress.stop()
      deps.stdout.write(flags.json ? `${JSON.stringify(result)}\n` : describeObject(plan, result))
      return 0
    }
    const result = await copyPrefix({
      ...common,
      objectConcurrency,
      source: from,
      dest: to,
      onProgress: (p) => progress.update(p.bytes, p.totalBytes),
    })
    progress.stop()
    deps.stdout.write(flags.json ? `${JSON.stringify(result)}\n` : describePrefix(result))
    for (const e of result.errors) deps.stderr.write(`Error: ${e.message} (${e.code})\n`)
    return result.failed > 0 ? 1 : 0
  } finally {
    progress.stop()
  }
}

/**
 * `tea copy SOURCE DEST`: copies S3 objects between buckets that need different credentials,
 * reading with credentials from an Earthdata `/s3credentials` endpoint and writing with the
 * user's own AWS credentials. `s3://b/key` copies one object; `s3://b/prefix/` copies every
 * object under it. Misuse exits 2; failures exit 1 (`Error: <message> (<code>)`).
 */
export function registerCopy(
  program: Command,
  deps: CliDeps,
  setExit: (code: number) => void,
): void {
  program
    .command('copy')
    .description('copy S3 objects: read with /s3credentials credentials, write with your own')
    .argument('<source>', 's3://bucket/key, or s3://bucket/prefix/ for every object under it')
    .argument('<dest>', 's3://bucket/key, or s3://bucket/prefix/')
    .option('--endpoint <url>', 'the /s3credentials URL (default: $EARTHDATA_S3_CREDENTIALS_URL)')
    .option('--app-name <name>', 'sent as the app-name header to the /s3credentials endpoint')
    .option('--edl-host <host>', 'Earthdata Login host or origin (default: urs.earthdata.nasa.gov)')
    .option('--no-cache', 'do not share /s3credentials credentials through the cache file')
    .option(
      '--dest-profile <name>',
      'AWS profile for the destination (default: the standard chain)',
    )
    .option('--part-size <size>', 'part size, 5MiB..5GiB (e.g. 128MiB, 1GiB, bytes)', '128MiB')
    .option('--concurrency <n>', 'parts in flight (memory ≈ part size × n)', '4')
    .option('--object-concurrency <n>', 'objects in flight, for prefixes', '8')
    .option('--source-endpoint-url <url>', 'S3-compatible endpoint for the source')
    .option('--dest-endpoint-url <url>', 'S3-compatible endpoint for the destination')
    .option('--source-region <region>', 'region of the source bucket', 'us-west-2')
    .option(
      '--dest-region <region>',
      'region of the destination (default: $AWS_REGION, else us-east-1)',
    )
    .option('--path-style', 'path-style S3 URLs (for endpoints without bucket DNS)')
    .option('--no-resume', 'do not continue an interrupted copy, start over')
    .option(
      '--leave-parts-on-error',
      'on failure or Ctrl-C keep uploaded parts, so a re-run resumes',
    )
    .option('--json', 'print the result as JSON on stdout')
    .action(async (source: string, dest: string, flags: CopyFlags) => {
      setExit(await runCopy(source, dest, flags, deps))
    })
}
