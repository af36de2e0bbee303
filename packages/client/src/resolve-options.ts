import { homedir } from 'node:os'
import type { CredentialsStore } from './credentials-store.js'
import { S3CredentialsOptionError } from './errors.js'

/** Where warnings go (a failed background refresh, a store that cannot be written). */
export interface S3CredentialsLogger {
  warn(message: string): void
}

/** Options of {@link fromS3Credentials}. Every field is optional; defaults are listed. */
export interface FromS3CredentialsOptions {
  /**
   * URL of the `/s3credentials` endpoint. HTTPS, or HTTP to a loopback host (tests, tunnels).
   * Default: `env.EARTHDATA_S3_CREDENTIALS_URL`; one of the two is required.
   */
  readonly endpoint?: string | URL
  /**
   * The Earthdata Login user token, or a function returning one (called at each refresh, and
   * once more after a 401; with a `store`, also to name the user). It owns the token's
   * lifecycle. Default: `EARTHDATA_TOKEN`, else a token exchanged
   * for `EARTHDATA_USERNAME`/`EARTHDATA_PASSWORD`, else for the `.netrc` entry of the EDL host.
   */
  readonly token?: string | (() => Promise<string>)
  /**
   * Earthdata Login host (`uat.urs.earthdata.nasa.gov`) or origin (`http://127.0.0.1:3001`, for
   * an emulator; plain HTTP only to loopback). Default: `env.EARTHDATA_HOST`, else
   * `urs.earthdata.nasa.gov`.
   */
  readonly edlHost?: string
  /** Sent as the `app-name` header (TEA puts it in the role session name). `[\w+=,.@-]{1,64}`. Default: not sent. */
  readonly appName?: string
  /** Refresh in the background when less than this remains. Default: 900_000 (15 min), capped at half the lifetime. */
  readonly advisoryRefreshMs?: number
  /** Callers wait for a refresh when less than this remains. Default: 300_000 (5 min), capped at half the advisory window. */
  readonly mandatoryRefreshMs?: number
  /** Credentials with less than this left are never handed out. Default: 60_000 (1 min). */
  readonly minLifetimeMs?: number
  /** Both windows move by one random offset in ±jitterMs per generation. Default: 30_000, capped at a quarter of the mandatory window. */
  readonly jitterMs?: number
  /** Per-attempt timeout (headers and body). Default: 15_000. */
  readonly timeoutMs?: number
  /** Attempts per fetch for 429, 5xx, network errors and timeouts. Default: 4. */
  readonly maxAttempts?: number
  /** Exponential backoff base; attempt n waits random(0, min(maxDelayMs, base·2ⁿ⁻¹)). Default: 250. */
  readonly baseDelayMs?: number
  /** Longest wait between attempts; a `Retry-After` above it ends the retries. Default: 10_000. */
  readonly maxDelayMs?: number
  /** Renew an EDL token exchanged for a username/password when its JWT `exp` is this close. Default: 3_600_000 (1 h). */
  readonly tokenRenewBeforeMs?: number
  /** Default: `globalThis.fetch`. */
  readonly fetch?: typeof globalThis.fetch
  /** Local clock in epoch ms. Default: `Date.now`. */
  readonly now?: () => number
  /** Uniform [0, 1) for jitter. Default: `Math.random`. */
  readonly random?: () => number
  /** Waits between attempts. Default: a `setTimeout` promise. */
  readonly sleep?: (ms: number) => Promise<void>
  /** Environment to read `EARTHDATA_*` and `NETRC` from. Default: `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>
  /** Home directory holding `.netrc` (unless `env.NETRC` names the file). Default: `os.homedir()`. */
  readonly homeDir?: string
  /** Shares credentials across processes (e.g. {@link fileCredentialsStore}). Default: none. */
  readonly store?: CredentialsStore
  /** Receives warnings; never secrets. Default: none (silent). */
  readonly logger?: S3CredentialsLogger
}

export interface ResolvedOptions {
  readonly endpoint: URL
  readonly edlOrigin: string
  readonly edlMachine: string
  readonly appName: string | undefined
  readonly token: string | (() => Promise<string>) | undefined
  readonly advisoryRefreshMs: number
  readonly mandatoryRefreshMs: number
  readonly minLifetimeMs: number
  readonly jitterMs: number
  readonly timeoutMs: number
  readonly maxAttempts: number
  readonly baseDelayMs: number
  readonly maxDelayMs: number
  readonly tokenRenewBeforeMs: number
  readonly fetch: typeof globalThis.fetch
  readonly now: () => number
  readonly random: () => number
  readonly sleep: (ms: number) => Promise<void>
  readonly env: Readonly<Record<string, string | undefined>>
  readonly homeDir: string
  readonly store: CredentialsStore | undefined
  readonly logger: S3CredentialsLogger
}

const APP_NAME = /^[\w+=,.@-]{1,64}$/
const DEFAULT_EDL_HOST = 'urs.earthdata.nasa.gov'

// Looked up at call time so that code replacing globalThis.fetch later is honoured.
const defaultFetch: typeof globalThis.fetch = (input, init) => globalThis.fetch(input, init)

/** The message starts with the option's name, so a CLI can say it with its flag's name. */
function misuse(option: string, problem: string): never {
  throw new S3CredentialsOptionError(option, problem)
}

/** True for hosts that never leave the machine, where plain HTTP leaks nothing. */
export function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname)
}

function secureUrl(raw: string, what: string): URL {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    misuse(what, `is not a URL`)
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
    misuse(what, `must use https (plain http is allowed only to a loopback host)`)
  }
  if (url.username || url.password) misuse(what, `must not contain credentials`)
  url.hash = ''
  return url
}

function duration(value: number | undefined, fallback: number, name: string, min = 0): number {
  if (value === undefined) return fallback
  if (!Number.isFinite(value) || value < min) misuse(name, `must be a finite number ≥ ${min}`)
  return value
}

function resolveEdl(host: string): { edlOrigin: string; edlMachine: string } {
  const url = secureUrl(host.includes('://') ? host : `https://${host}`, 'edlHost')
  if (url.pathname !== '/' || url.search) misuse('edlHost', 'must be a host name or an origin')
  return { edlOrigin: url.origin, edlMachine: url.hostname.replace(/^\[|\]$/g, '') }
}

function resolveToken(token: FromS3CredentialsOptions['token']): ResolvedOptions['token'] {
  if (token === undefined || typeof token === 'function') return token
  if (typeof token !== 'string' || !/^\S+$/.test(token)) {
    misuse('token', 'must be a non-empty string without spaces, or a function')
  }
  return token
}

/**
 * Checks the caller's options once, fills in defaults and freezes the result.
 *
 * @throws S3CredentialsOptionError (`ERR_INVALID_OPTION`) on misuse (no endpoint, a bad URL, a bad `appName`, a negative duration).
 */
export function resolveOptions(options: FromS3CredentialsOptions = {}): Readonly<ResolvedOptions> {
  const env = options.env ?? process.env
  const rawEndpoint = options.endpoint ?? env.EARTHDATA_S3_CREDENTIALS_URL
  if (rawEndpoint === undefined || rawEndpoint === '') {
    misuse('endpoint', 'is required (or set EARTHDATA_S3_CREDENTIALS_URL)')
  }
  const endpoint = secureUrl(String(rawEndpoint), 'endpoint')
  if (options.appName !== undefined && !APP_NAME.test(options.appName)) {
    misuse('appName', 'must be 1-64 characters from [A-Za-z0-9_+=,.@-]')
  }
  const advisoryRefreshMs = duration(options.advisoryRefreshMs, 900_000, 'advisoryRefreshMs')
  const mandatoryRefreshMs = duration(options.mandatoryRefreshMs, 300_000, 'mandatoryRefreshMs')
  if (mandatoryRefreshMs > advisoryRefreshMs) {
    misuse('mandatoryRefreshMs', 'must not exceed advisoryRefreshMs')
  }
  const maxAttempts = duration(options.maxAttempts, 4, 'maxAttempts', 1)
  if (!Number.isInteger(maxAttempts)) misuse('maxAttempts', 'must be an integer ≥ 1')
  return Object.freeze({
    endpoint,
    ...resolveEdl(options.edlHost ?? env.EARTHDATA_HOST ?? DEFAULT_EDL_HOST),
    appName: options.appName,
    token: resolveToken(options.token),
    advisoryRefreshMs,
    mandatoryRefreshMs,
    minLifetimeMs: duration(options.minLifetimeMs, 60_000, 'minLifetimeMs'),
    jitterMs: duration(options.jitterMs, 30_000, 'jitterMs'),
    timeoutMs: duration(options.timeoutMs, 15_000, 'timeoutMs', 1),
    maxAttempts,
    baseDelayMs: duration(options.baseDelayMs, 250, 'baseDelayMs'),
    maxDelayMs: duration(options.maxDelayMs, 10_000, 'maxDelayMs'),
    tokenRenewBeforeMs: duration(options.tokenRenewBeforeMs, 3_600_000, 'tokenRenewBeforeMs'),
    fetch: options.fetch ?? defaultFetch,
    now: options.now ?? Date.now,
    random: options.random ?? Math.random,
    sleep: options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms))),
    env,
    homeDir: options.homeDir ?? homedir(),
    store: options.store,
    logger: options.logger ?? { warn: () => {} },
  })
}
