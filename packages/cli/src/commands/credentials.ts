import { homedir } from 'node:os'
import { fileCredentialsStore, fromS3Credentials } from '@tea-ts/client'
import type { RefreshableCredentialsProvider } from '@tea-ts/client'
import { Option } from 'commander'
import type { Command } from 'commander'
import type { CliDeps } from '../cli-deps.js'
import { PROVIDER_OPTION_FLAGS, defaultCacheFile } from '../provider-options.js'
import { UsageError, usageErrorFrom } from '../cli-errors.js'

type Format = 'json' | 'env' | 'process'
type AwsCredentialIdentity = Awaited<ReturnType<RefreshableCredentialsProvider>>

interface CredentialsFlags {
  endpoint?: string
  appName?: string
  format: Format
  cacheFile?: string
  cache: boolean
  edlHost?: string
}

/** Single-quotes a value for POSIX shells. */
const shellQuote = (value: string): string => `'${value.replaceAll("'", `'\\''`)}'`

function render(creds: AwsCredentialIdentity, format: Format): string {
  const expiration = creds.expiration?.toISOString() ?? ''
  const sessionToken = creds.sessionToken ?? ''
  switch (format) {
    case 'process':
      // https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-sourcing-external.html
      return `${JSON.stringify(
        {
          Version: 1,
          AccessKeyId: creds.accessKeyId,
          SecretAccessKey: creds.secretAccessKey,
          SessionToken: sessionToken,
          Expiration: expiration,
        },
        null,
        2,
      )}\n`
    case 'env':
      return [
        ['AWS_ACCESS_KEY_ID', creds.accessKeyId],
        ['AWS_SECRET_ACCESS_KEY', creds.secretAccessKey],
        ['AWS_SESSION_TOKEN', sessionToken],
        ['AWS_CREDENTIAL_EXPIRATION', expiration],
      ]
        .map(([name, value]) => `export ${name}=${shellQuote(value ?? '')}\n`)
        .join('')
    case 'json':
      return `${JSON.stringify(
        {
          accessKeyId: creds.accessKeyId,
          secretAccessKey: creds.secretAccessKey,
          sessionToken,
          expiration,
        },
        null,
        2,
      )}\n`
  }
}

function buildProvider(flags: CredentialsFlags, deps: CliDeps): RefreshableCredentialsProvider {
  if (flags.cacheFile !== undefined && !flags.cache) {
    throw new UsageError('--cache-file and --no-cache cannot be used together')
  }
  try {
    return fromS3Credentials({
      endpoint: flags.endpoint,
      appName: flags.appName,
      edlHost: flags.edlHost,
      env: deps.env,
      homeDir: deps.env.HOME || homedir(),
      fetch: deps.fetch,
      store: flags.cache
        ? fileCredentialsStore(flags.cacheFile ?? defaultCacheFile(deps.env))
        : undefined,
      logger: { warn: (message) => deps.stderr.write(`warning: ${message}\n`) },
    })
  } catch (err) {
    throw usageErrorFrom(err, PROVIDER_OPTION_FLAGS)
  }
}

/**
 * `tea credentials`: prints S3 credentials from an Earthdata `/s3credentials` endpoint, as TEA's
 * JSON, shell `export` lines, or the AWS `credential_process` document. With the cache (the
 * default), repeated runs reuse credentials until they enter the 15-minute advisory window, so
 * aws-cli and boto3, which re-run the process when their own 15-minute window opens, get fresh
 * ones then and no fetch in between. Failures exit 1 (`Error: <message> (<code>)`), misuse 2.
 */
export function registerCredentials(
  program: Command,
  deps: CliDeps,
  setExit: (code: number) => void,
): void {
  program
    .command('credentials')
    .description('print S3 credentials from an Earthdata /s3credentials endpoint')
    .option('--endpoint <url>', 'the /s3credentials URL (default: $EARTHDATA_S3_CREDENTIALS_URL)')
    .option('--app-name <name>', 'sent as the app-name header ([A-Za-z0-9_+=,.@-], ≤ 64)')
    .addOption(
      new Option('--format <format>', 'output format')
        .choices(['json', 'env', 'process'])
        .default('json'),
    )
    .option(
      '--cache-file <path>',
      'credentials cache file (default: ~/.cache/tea-ts/s3credentials.json)',
    )
    .option('--no-cache', 'neither read nor write the cache')
    .option(
      '--edl-host <host>',
      'Earthdata Login host or origin (default: $EARTHDATA_HOST or urs.earthdata.nasa.gov)',
    )
    .action(async (flags: CredentialsFlags) => {
      const provider = buildProvider(flags, deps)
      deps.stdout.write(render(await provider(), flags.format))
      setExit(0)
    })
}
