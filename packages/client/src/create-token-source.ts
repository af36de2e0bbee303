import { createHash } from 'node:crypto'
import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { NoEdlTokenError } from './errors.js'
import { lookupNetrc } from './lookup-netrc.js'
import { readJwtClaims } from './read-jwt-claims.js'
import { requestEdlUserToken } from './request-edl-user-token.js'
import type { EdlUserToken } from './request-edl-user-token.js'
import type { ResolvedOptions } from './resolve-options.js'
import { withRetries } from './with-retries.js'

/** An EDL token, where it came from (for messages) and when it expires (JWT `exp`). */
export interface EdlToken extends EdlUserToken {
  readonly source: string
}

/** Supplies EDL tokens in the documented order of precedence. */
export interface TokenSource {
  /** A non-secret name for the EDL user (cache keys); no network call for password sources. */
  identity(): Promise<string>
  token(): Promise<EdlToken>
  /** After the endpoint refused `rejected`: a different token, or `undefined` if none can be had. */
  renew(rejected: EdlToken): Promise<EdlToken | undefined>
}

interface PasswordCredentials {
  readonly login: string
  readonly password: string
  readonly source: string
}

type Options = Pick<
  ResolvedOptions,
  | 'token'
  | 'env'
  | 'homeDir'
  | 'edlOrigin'
  | 'edlMachine'
  | 'tokenRenewBeforeMs'
  | 'fetch'
  | 'timeoutMs'
  | 'now'
  | 'logger'
  | 'maxAttempts'
  | 'baseDelayMs'
  | 'maxDelayMs'
  | 'random'
  | 'sleep'
>

async function loadPasswordCredentials(opts: Options): Promise<PasswordCredentials | undefined> {
  const { EARTHDATA_USERNAME: login, EARTHDATA_PASSWORD: password } = opts.env
  if (login && password) return { login, password, source: 'EARTHDATA_USERNAME/EARTHDATA_PASSWORD' }
  const path = opts.env.NETRC || join(opts.homeDir, '.netrc')
  const shown = opts.env.NETRC ? path : '~/.netrc'
  let text: string
  try {
    text = await readFile(path, 'utf8')
    if (((await stat(path)).mode & 0o077) !== 0) {
      opts.logger.warn(`${shown} is readable by other users; run chmod 600 ${shown}`)
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code !== 'ENOENT') opts.logger.warn(`could not read ${shown} (${String(code)})`)
    return undefined
  }
  const found = lookupNetrc(text, opts.edlMachine)
  return found && { ...found, source: `${shown} (machine ${opts.edlMachine})` }
}

function identityOf(edlOrigin: string, token: string): string {
  const uid = readJwtClaims(token)?.uid
  if (uid !== undefined) return `${edlOrigin}#uid:${uid}`
  return `${edlOrigin}#sha256:${createHash('sha256').update(token).digest('hex').slice(0, 32)}`
}

function staticToken(value: string, source: string): EdlToken {
  return { value, source, expiresAt: readJwtClaims(value)?.expiresAt }
}

/**
 * Resolves the EDL token in this order: the `token` option (string or function), then
 * `EARTHDATA_TOKEN`, then `EARTHDATA_USERNAME`/`EARTHDATA_PASSWORD`, then the `.netrc` entry
 * for the EDL host; a username and password are exchanged at EDL's `find_or_create_token`.
 * A static token whose JWT `exp` is within `tokenRenewBeforeMs` is replaced by one obtained
 * with a username and password when some are configured; so is a token the endpoint refused.
 */
export function createTokenSource(opts: Options): TokenSource {
  let passwordCredentials: Promise<PasswordCredentials | undefined> | undefined
  const credentials = (): Promise<PasswordCredentials | undefined> =>
    (passwordCredentials ??= loadPasswordCredentials(opts))
  let exchanged: EdlToken | undefined
  const fresh = (t: EdlUserToken): boolean =>
    t.expiresAt === undefined || t.expiresAt - opts.now() > opts.tokenRenewBeforeMs
  const exchange = (kind: 'findOrCreate' | 'create', c: PasswordCredentials) =>
    withRetries(() => requestEdlUserToken(kind, { ...opts, ...c, edlOrigin: opts.edlOrigin }), opts)

  async function fromPassword(c: PasswordCredentials, rejected?: string): Promise<EdlToken> {
    if (rejected === undefined && exchanged && fresh(exchanged)) return exchanged
    let t = await exchange('findOrCreate', c)
    // find_or_create hands back the newest valid token, which may be the refused or an
    // almost-expired one; then ask for a brand-new token (EDL allows two per user).
    if (t.value === rejected || !fresh(t)) {
      try {
        t = await exchange('create', c)
      } catch (err) {
        if (t.value === rejected || (t.expiresAt ?? Infinity) <= opts.now()) throw err
        opts.logger.warn(
          `could not create a new EDL token; using one that expires soon (${String((err as Error).message)})`,
        )
      }
    }
    exchanged = { ...t, source: c.source }
    return exchanged
  }

  async function fromFunction(fn: () => Promise<string>): Promise<EdlToken> {
    const value = await fn()
    if (typeof value !== 'string' || !/^\S+$/.test(value)) {
      throw new NoEdlTokenError(
        'The token function did not return an EDL token (a non-empty string)',
      )
    }
    return staticToken(value, 'the token function')
  }

  const explicit =
    typeof opts.token === 'string' ? staticToken(opts.token, 'the token option') : undefined
  const fromEnv = opts.env.EARTHDATA_TOKEN
    ? staticToken(opts.env.EARTHDATA_TOKEN, 'EARTHDATA_TOKEN')
    : undefined
  const fixed = explicit ?? fromEnv

  async function token(): Promise<EdlToken> {
    if (typeof opts.token === 'function') return fromFunction(opts.token)
    if (fixed && fresh(fixed)) return fixed
    const c = await credentials()
    if (c) return fromPassword(c)
    if (fixed) return fixed
    throw new NoEdlTokenError(
      'No Earthdata Login token: set EARTHDATA_TOKEN to an EDL user token, or set ' +
        'EARTHDATA_USERNAME and EARTHDATA_PASSWORD, or add ' +
        `"machine ${opts.edlMachine} login <user> password <password>" to ~/.netrc`,
    )
  }

  return {
    token,
    async identity() {
      if (typeof opts.token !== 'function' && !(fixed && fresh(fixed))) {
        const c = await credentials()
        if (c) return `${opts.edlOrigin}#uid:${c.login}`
      }
      return identityOf(opts.edlOrigin, (await token()).value)
    },
    async renew(rejected) {
      if (typeof opts.token === 'function') {
        const next = await fromFunction(opts.token)
        return next.value === rejected.value ? undefined : next
      }
      const c = await credentials()
      return c ? fromPassword(c, rejected.value) : undefined
    },
  }
}
