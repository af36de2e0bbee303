import { readFile } from 'node:fs/promises'
import type { JwtAlgorithm } from './auth/session.js'
import { EnvReader } from './config/env-reader.js'
import type { Env } from './config/env-reader.js'
import { loadJwtKeys, loadUrsCredentials } from './config/load-secrets.js'
import type { JwtKeyText, SecretIo, UrsCredentials } from './config/load-secrets.js'
import { ConfigError } from './errors.js'
import type { SecretReader } from './secrets/secret-reader.js'

export type { JwtKeyText, UrsCredentials } from './config/load-secrets.js'
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'

/** The service's configuration: validated once, then frozen. Names follow TEA's variables. */
export interface Config {
  /** AUTH_BASE_URL without a trailing slash. */
  readonly authBaseUrl: string
  /** EDL_JWKS_URL: EDL's public keys for bearer tokens. */
  readonly edlJwksUrl: string
  readonly urs: UrsCredentials
  readonly session: {
    /** JWT_ALGO */
    readonly algorithm: JwtAlgorithm
    /** JWT_COOKIENAME */
    readonly cookieName: string
    /** TEA's `int(SESSION_TTL_HRS * 3600)`. */
    readonly ttlSeconds: number
    readonly keys: JwtKeyText
  }
  readonly cookie: {
    /** COOKIE_DOMAIN */
    readonly domain?: string | undefined
    /** COOKIE_SECURE */
    readonly secure: boolean
  }
  /** DOMAIN_NAME: public host; the base URL becomes `https://{DOMAIN_NAME}/`. */
  readonly domainName?: string | undefined
  /** STAGE_NAME: stripped from the `state` path when DOMAIN_NAME is set. */
  readonly stageName: string
  /** TEA_PUBLIC_URL: explicit base URL (ends with `/`); wins over DOMAIN_NAME. */
  readonly publicBaseUrl?: string | undefined
  /** MATURITY: `DEV` shows the profile on `/`. */
  readonly maturity: string
  /** BLACKLIST_ENDPOINT */
  readonly blacklistEndpoint?: string | undefined
  /** PORT for `tea serve`. */
  readonly port: number
  /** LOGLEVEL, as a pino level. */
  readonly logLevel: LogLevel
  /** BUILD_VERSION: `/version`'s `version_id`. */
  readonly buildVersion: string
  /** BUMP: `/version`'s `last_flush`. */
  readonly bump?: string | undefined
  readonly s3Credentials: {
    /** ENABLE_S3_CREDENTIALS_ENDPOINT */
    readonly enabled: boolean
    /** EGRESS_APP_DOWNLOAD_ROLE_INREGION_ARN (required when enabled). */
    readonly inRegionRoleArn?: string | undefined
    /** S3_CREDENTIALS_DURATION_SECONDS */
    readonly durationSeconds: number
    /** S3_CREDENTIALS_REUSE */
    readonly reuse: boolean
  }
  readonly bucketMap: {
    /** BUCKET_MAP_FILE */
    readonly file: string
    /** CONFIG_BUCKET; unset means BUCKET_MAP_FILE is a local path (docs/bucket-map.md). */
    readonly configBucket?: string | undefined
    /** BUCKETNAME_PREFIX, or TEA's default `gsfc-ngap-{first letter of MATURITY}-`. */
    readonly bucketnamePrefix: string
    /** USE_REVERSE_BUCKET_MAP */
    readonly reverse: boolean
  }
}

/** What loadConfig touches besides `env`; tests pass their own. */
export interface ConfigIo {
  /** Reads `*_SECRET_FILE`s. Default: `fs.readFile(path, 'utf8')`. */
  readonly readFile?: (path: string) => Promise<string>
  /** Reads `*_SECRET_NAME`s. Default: AWS Secrets Manager, created only when needed. */
  readonly secrets?: SecretReader
}

const HOST = { re: /^[A-Za-z0-9.-]+(:\d{1,5})?$/, what: 'a host name, optionally with :port' }
const COOKIE_DOMAIN = { re: /^\.?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/, what: 'a domain name' }
// RFC 6265 cookie-name = RFC 7230 token.
const COOKIE_NAME = { re: /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, what: 'a cookie name (RFC 7230 token)' }
const STAGE = { re: /^[A-Za-z0-9_-]+$/, what: 'letters, digits, "_" or "-"' }
const ROLE_ARN = { re: /^arn:[a-z-]+:iam::\d*:role\/[\w+=,.@/-]+$/, what: 'an IAM role ARN' }
const LOG_LEVELS: Readonly<Record<string, LogLevel>> = {
  critical: 'fatal',
  fatal: 'fatal',
  error: 'error',
  warning: 'warn',
  warn: 'warn',
  info: 'info',
  debug: 'debug',
  trace: 'trace',
  silent: 'silent',
}

/**
 * Reads and validates the whole configuration from TEA's environment variables (the only place
 * that reads the environment), including the URS and JWT secrets. Every problem is collected and
 * thrown as one ConfigError naming each variable.
 *
 * @example
 * const config = await loadConfig({ URS_CREDS_SECRET_FILE: 'urs.json', JWT_KEY_SECRET_FILE: 'jwt.json' })
 */
export async function loadConfig(
  env: Env = process.env,
  io: ConfigIo = {},
): Promise<Readonly<Config>> {
  const r = new EnvReader(env)
  const authBaseUrl = r.url('AUTH_BASE_URL', 'https://urs.earthdata.nasa.gov') ?? ''
  const jwksDefault =
    authBaseUrl === '' ? undefined : `${authBaseUrl}/.well-known/edl_ops_jwks.json`
  const edlJwksUrl = r.url('EDL_JWKS_URL', jwksDefault) ?? ''
  const algorithm = r.oneOf<JwtAlgorithm>('JWT_ALGO', ['RS256', 'HS256'], 'RS256')
  const ttlHours = r.number('SESSION_TTL_HRS', 24, { exclusiveMin: 0, max: 24 * 366 * 10 })
  const ttlSeconds = Math.trunc(ttlHours * 3600)
  if (ttlSeconds < 1) r.problem('SESSION_TTL_HRS', 'must be at least one second (1/3600 hour)')
  const maturity = r.text('MATURITY', 'DEV')
  const secretIo = resolveIo(io)
  const [urs, keys] = [
    await loadUrsCredentials(r, secretIo),
    await loadJwtKeys(r, secretIo, algorithm),
  ]
  const publicUrl = r.url('TEA_PUBLIC_URL')
  const config: Config = {
    authBaseUrl,
    edlJwksUrl,
    urs: urs ?? { clientId: '', basicAuth: '' },
    session: {
      algorithm,
      cookieName: r.text('JWT_COOKIENAME', 'asf-urs', COOKIE_NAME),
      ttlSeconds,
      keys: keys ?? { publicKey: '', privateKey: '' },
    },
    cookie: {
      domain: r.optionalText('COOKIE_DOMAIN', COOKIE_DOMAIN),
      secure: r.bool('COOKIE_SECURE', true),
    },
    domainName: r.optionalText('DOMAIN_NAME', HOST),
    stageName: r.text('STAGE_NAME', 'DEV', STAGE),
    publicBaseUrl: publicUrl === undefined ? undefined : `${publicUrl}/`,
    maturity,
    blacklistEndpoint: r.url('BLACKLIST_ENDPOINT'),
    port: r.number('PORT', 3000, { integer: true, min: 0, max: 65535 }),
    logLevel: readLogLevel(r),
    buildVersion: r.text('BUILD_VERSION', 'NOBUILD'),
    bump: r.optionalText('BUMP'),
    s3Credentials: readS3Credentials(r),
    bucketMap: {
      file: r.text('BUCKET_MAP_FILE', 'bucket_map.yaml'),
      configBucket: r.optionalText('CONFIG_BUCKET'),
      // TEA: set-but-empty means "no prefix", unset means the maturity-based default.
      bucketnamePrefix: env.BUCKETNAME_PREFIX ?? `gsfc-ngap-${maturity.slice(0, 1).toLowerCase()}-`,
      reverse: r.bool('USE_REVERSE_BUCKET_MAP', false),
    },
  }
  if (r.problems.length > 0) throw new ConfigError(r.problems)
  return deepFreeze(config)
}

function readS3Credentials(r: EnvReader): Config['s3Credentials'] {
  const enabled = r.bool('ENABLE_S3_CREDENTIALS_ENDPOINT', false)
  const inRegionRoleArn = r.optionalText('EGRESS_APP_DOWNLOAD_ROLE_INREGION_ARN', ROLE_ARN)
  if (enabled && r.raw('EGRESS_APP_DOWNLOAD_ROLE_INREGION_ARN') === undefined) {
    r.problem(
      'EGRESS_APP_DOWNLOAD_ROLE_INREGION_ARN',
      'required when ENABLE_S3_CREDENTIALS_ENDPOINT is true',
    )
  }
  return {
    enabled,
    inRegionRoleArn,
    durationSeconds: r.number('S3_CREDENTIALS_DURATION_SECONDS', 3600, {
      integer: true,
      min: 900,
      max: 43200,
    }),
    reuse: r.bool('S3_CREDENTIALS_REUSE', false),
  }
}

function readLogLevel(r: EnvReader): LogLevel {
  const raw = r.raw('LOGLEVEL')
  if (raw === undefined) return 'info'
  const level = LOG_LEVELS[raw.trim().toLowerCase()]
  if (level === undefined)
    r.problem('LOGLEVEL', `must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL (got "${raw}")`)
  return level ?? 'info'
}

function resolveIo(io: ConfigIo): SecretIo {
  let secrets = io.secrets
  return {
    readFile: io.readFile ?? ((path) => readFile(path, 'utf8')),
    // Loaded on first use only: local runs with *_SECRET_FILE never load the AWS SDK.
    secrets: async () =>
      (secrets ??= (await import('./secrets/secrets-manager-reader.js')).secretsManagerReader()),
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child)
    Object.freeze(value)
  }
  return value
}
