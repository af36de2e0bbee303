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
  /**
   * UPSTREAM_TIMEOUT_SECONDS, in ms: the longest one call to EDL (API, key set), the blacklist
   * endpoint or STS (AssumeRole, retries included) may take.
   */
  readonly upstreamTimeoutMs: number
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
    /** S3_CREDENTIALS_RATE_LIMIT: requests per user per window; 0 turns the limit off. */
    readonly rateLimit: number
    /** S3_CREDENTIALS_RATE_LIMIT_WINDOW_SECONDS, in ms. */
    readonly rateLimitWindowMs: number
  }
  readonly bucketMap: {
    /** BUCKET_MAP_FILE */
    readonly file: string
    /** CONFIG_BUCKET; unset means BUCKET_MAP_FILE is a local path (docs/bucket-map.md). */
    readonly configBucket?: string | undefined
    /** BUCKETNAME_PREFIX, or TEA's default `gsfc-ngap-{first letter of MATURITY}-`. */
    readonly bucketnamePrefix: string
    /** USE_REVERSE_BUCKET_MAP: the download route passes it to resolvePath. */
    readonly reverse: boolean
    /**
     * Whether a map is configured at all (BUCKET_MAP_FILE or CONFIG_BUCKET set, or
     * ENABLE_S3_CREDENTIALS_ENDPOINT true): then the download routes and `/locate` are served.
     */
    readonly configured: boolean
  }
  /** The download path (`GET /{proxy+}`, docs/egress.md); meaningful when the map is configured. */
  readonly downloads: DownloadConfig
}

/** The download route's settings (TEA's `/{proxy+}` data path). */
export interface DownloadConfig {
  /** EGRESS_APP_DOWNLOAD_ROLE_ARN: signs URLs for callers outside the region (and checks objects). */
  readonly outOfRegionRoleArn?: string | undefined
  /** EGRESS_APP_DOWNLOAD_ROLE_INREGION_ARN: signs URLs for callers inside the region. */
  readonly inRegionRoleArn?: string | undefined
  /** AWS_REGION (else AWS_DEFAULT_REGION, else us-east-1): "in region" means this region. */
  readonly region: string
  /** AWS_IP_RANGES_URL: AWS's published ranges. */
  readonly ipRangesUrl: string
  /**
   * AWS_ENDPOINT_URL_S3: an S3-compatible endpoint (radosgw, MinIO) for local runs. When set,
   * presigned URLs are path-style on it; unset means AWS's regional virtual-hosted endpoints.
   */
  readonly s3Endpoint?: string | undefined
  /** SUPPRESS_HEAD: skip the HeadObject existence check. */
  readonly suppressHead: boolean
  /** CORS_ORIGIN: allowed origin host suffix (matched on a label boundary). */
  readonly corsOrigin?: string | undefined
  /** HTML_TEMPLATE_DIR: custom Jinja templates (in CONFIG_BUCKET, or a local directory). */
  readonly templateDir?: string | undefined
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
// An origin suffix as TEA's UseCorsCookieDomain passes it: a domain, with an optional leading dot.
const CORS_ORIGIN = { re: /^\.?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/, what: 'a domain name' }
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
  const edlJwksUrl = r.url('EDL_JWKS_URL', defaultJwksUrl(r, authBaseUrl)) ?? ''
  readSignatureVersion(r)
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
  const s3Credentials = readS3Credentials(r)
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
    upstreamTimeoutMs: Math.round(
      r.number('UPSTREAM_TIMEOUT_SECONDS', 5, { min: 0.1, max: 60 }) * 1000,
    ),
    port: r.number('PORT', 3000, { integer: true, min: 0, max: 65535 }),
    logLevel: readLogLevel(r),
    buildVersion: r.text('BUILD_VERSION', 'NOBUILD'),
    bump: r.optionalText('BUMP'),
    s3Credentials,
    bucketMap: {
      file: r.text('BUCKET_MAP_FILE', 'bucket_map.yaml'),
      configBucket: r.optionalText('CONFIG_BUCKET'),
      // TEA: set-but-empty means "no prefix", unset means the maturity-based default.
      bucketnamePrefix: env.BUCKETNAME_PREFIX ?? `gsfc-ngap-${maturity.slice(0, 1).toLowerCase()}-`,
      reverse: r.bool('USE_REVERSE_BUCKET_MAP', false),
      configured:
        r.raw('BUCKET_MAP_FILE') !== undefined ||
        r.raw('CONFIG_BUCKET') !== undefined ||
        s3Credentials.enabled,
    },
    downloads: readDownloads(r, env, s3Credentials.inRegionRoleArn),
  }
  // With /s3credentials on, the missing in-region role is already reported.
  if (
    config.bucketMap.configured &&
    !s3Credentials.enabled &&
    config.downloads.outOfRegionRoleArn === undefined
  ) {
    r.problem(
      'EGRESS_APP_DOWNLOAD_ROLE_ARN',
      'required when a bucket map is configured (downloads are signed with it)',
    )
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
    rateLimit: r.number('S3_CREDENTIALS_RATE_LIMIT', 60, { integer: true, min: 0, max: 1_000_000 }),
    rateLimitWindowMs:
      r.number('S3_CREDENTIALS_RATE_LIMIT_WINDOW_SECONDS', 60, {
        integer: true,
        min: 1,
        max: 86_400,
      }) * 1000,
  }
}

// EDL publishes one key set per environment; UAT's is not OPS's (a UAT deployment with the OPS
// keys rejects every bearer token).
const EDL_JWKS: readonly { readonly host: string; readonly file: string }[] = [
  { host: 'urs.earthdata.nasa.gov', file: 'edl_ops_jwks.json' },
  { host: 'uat.urs.earthdata.nasa.gov', file: 'edl_uat_jwks.json' },
  { host: 'sit.urs.earthdata.nasa.gov', file: 'edl_sit_jwks.json' },
]

/**
 * EDL_JWKS_URL's default from AUTH_BASE_URL: EDL's published file for a known EDL host; for any
 * other host (the local emulator, a proxy) `/.well-known/edl_ops_jwks.json` on that host, which
 * the emulator serves. An EDL-looking host we do not know is an error naming the variable.
 */
function defaultJwksUrl(r: EnvReader, authBaseUrl: string): string | undefined {
  if (authBaseUrl === '') return undefined
  const host = new URL(authBaseUrl).hostname
  const known = EDL_JWKS.find((e) => e.host === host)
  if (known !== undefined) return `${authBaseUrl}/.well-known/${known.file}`
  if (host.endsWith('earthdata.nasa.gov') && r.raw('EDL_JWKS_URL') === undefined) {
    r.problem(
      'EDL_JWKS_URL',
      `required: no default is known for AUTH_BASE_URL host "${host}" (set it to that EDL's JWKS URL)`,
    )
    return undefined
  }
  return `${authBaseUrl}/.well-known/edl_ops_jwks.json`
}

// TEA passes S3_SIGNATURE_VERSION to boto; the AWS SDK v3 signs S3 with SigV4 only.
function readSignatureVersion(r: EnvReader): void {
  const raw = r.raw('S3_SIGNATURE_VERSION')
  if (raw !== undefined && !['s3v4', 'v4'].includes(raw.trim().toLowerCase())) {
    r.problem('S3_SIGNATURE_VERSION', `only "s3v4" (SigV4) is supported (got "${raw}")`)
  }
}

const REGION = { re: /^[a-z0-9-]+$/, what: 'an AWS region name' }

function readDownloads(
  r: EnvReader,
  env: Env,
  inRegionRoleArn: string | undefined,
): DownloadConfig {
  const outOfRegion = r.optionalText('EGRESS_APP_DOWNLOAD_ROLE_ARN', ROLE_ARN)
  return {
    // One role is enough for a local or single-role set-up: it then signs for everyone.
    outOfRegionRoleArn: outOfRegion ?? inRegionRoleArn,
    inRegionRoleArn: inRegionRoleArn ?? outOfRegion,
    region: r.text('AWS_REGION', env.AWS_DEFAULT_REGION || 'us-east-1', REGION),
    ipRangesUrl: r.url('AWS_IP_RANGES_URL', 'https://ip-ranges.amazonaws.com/ip-ranges.json') ?? '',
    s3Endpoint: r.url('AWS_ENDPOINT_URL_S3'),
    // TEA: any non-empty value turns the check off.
    suppressHead: r.raw('SUPPRESS_HEAD') !== undefined,
    corsOrigin: r.optionalText('CORS_ORIGIN', CORS_ORIGIN),
    templateDir: r.optionalText('HTML_TEMPLATE_DIR'),
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
