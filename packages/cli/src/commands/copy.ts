import type { Command } from 'commander'
import { copyObject, copyPrefix, enableYoungGcWhileStreaming } from '@tea-ts/transfer'
import type { CliDeps } from '../cli-deps.js'
import { usageErrorFrom } from '../cli-errors.js'
import { destClient, sourceClient } from '../copy/copy-clients.js'
import { COPY_OPTION_FLAGS } from '../copy/copy-flags.js'
import type { CopyFlags } from '../copy/copy-flags.js'
import { copyTuning } from '../copy/copy-tuning.js'
import { describeObject, describePrefix } from '../copy/describe-result.js'
import { planCopy } from '../copy/plan-copy.js'
import { progressReporter } from '../copy/progress-reporter.js'

/**
 * Copies as planned. Option ranges are checked by the libraries; their `ERR_INVALID_OPTION` is
 * reported with the flag's name and exit code 2.
 */
async function runCopy(
  sourceText: string,
  destText: string,
  flags: CopyFlags,
  deps: CliDeps,
): Promise<number> {
  const plan = planCopy(sourceText, destText)
  const { objectConcurrency, ...tuning } = copyTuning(flags)
  const progress = progressReporter(deps)
  enableYoungGcWhileStreaming()
  try {
    const source = sourceClient(flags, deps)
    const dest = destClient(flags, deps.env)
    const controller = new AbortController()
    void deps.untilSignal().then(() => controller.abort())
    const common = { ...tuning, signal: controller.signal, onRetry: progress.retry }
    const from = { bucket: plan.source.bucket, key: plan.source.key, client: source }
    const to = { bucket: plan.dest.bucket, key: plan.dest.key, client: dest }
    const onProgress = (p: { bytes: number; totalBytes: number }): void =>
      progress.update(p.bytes, p.totalBytes)
    if (!plan.prefix) {
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
      onProgress,
    })
    progress.stop()
    deps.stdout.write(flags.json ? `${JSON.stringify(result)}\n` : describePrefix(result))
    for (const e of result.errors) deps.stderr.write(`Error: ${e.message} (${e.code})\n`)
    return result.failed > 0 ? 1 : 0
  } catch (err) {
    throw usageErrorFrom(err, COPY_OPTION_FLAGS)
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
