import { describeFetchFailure } from './describe-fetch-failure.js'
import { EdlTokenError, S3CredentialsUnavailableError } from './errors.js'
import { parseRetryAfter } from './parse-retry-after.js'
import { readBody } from './read-body.js'
import { readJwtClaims } from './read-jwt-claims.js'
import { serverMessage } from './server-message.js'

/** An EDL user token with what the client knows about its lifetime. */
export interface EdlUserToken {
  readonly value: string
  /** From the JWT `exp`; `undefined` for opaque tokens. */
  readonly expiresAt: number | undefined
}

export interface EdlUserTokenRequest {
  readonly edlOrigin: string
  readonly login: string
  readonly password: string
  /** Where the login came from, for messages (e.g. `~/.netrc (machine urs.earthdata.nasa.gov)`). */
  readonly source: string
  readonly fetch: typeof globalThis.fetch
  readonly timeoutMs: number
  readonly now: () => number
}

const PATHS = {
  findOrCreate: '/api/users/find_or_create_token',
  create: '/api/users/token',
} as const

/**
 * One attempt at EDL's user-token API with Basic user credentials: `findOrCreate` returns an
 * existing valid token or makes one; `create` always makes one (EDL allows 2 per user).
 * 429/5xx/network failures are retryable; other failures are `EdlTokenError`.
 */
export async function requestEdlUserToken(
  kind: keyof typeof PATHS,
  req: EdlUserTokenRequest,
): Promise<EdlUserToken> {
  const what = `Earthdata Login (${req.edlOrigin})`
  let res: Response
  let body: string
  try {
    res = await req.fetch(`${req.edlOrigin}${PATHS[kind]}`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${req.login}:${req.password}`).toString('base64')}`,
        accept: 'application/json',
      },
      // Never let a redirect carry the Basic credentials anywhere else.
      redirect: 'manual',
      signal: AbortSignal.timeout(req.timeoutMs),
    })
    body = await readBody(res)
  } catch (err) {
    throw describeFetchFailure(err, what, req.timeoutMs)
  }
  const quoted = serverMessage(body, [req.password])
  const reason = quoted === undefined ? '' : `: ${quoted}`
  if (res.status === 429 || res.status >= 500) {
    const serverDate = Date.parse(res.headers.get('date') ?? '')
    throw new S3CredentialsUnavailableError(`${what} answered ${res.status}${reason}`, {
      status: res.status,
      retryAfterMs: parseRetryAfter(
        res.headers.get('retry-after'),
        Number.isNaN(serverDate) ? undefined : serverDate,
        req.now(),
      ),
    })
  }
  if (res.status === 401) {
    throw new EdlTokenError(
      `${what} rejected the username and password from ${req.source} (401${reason}); ` +
        'check them, or set EARTHDATA_TOKEN to a user token instead',
      { status: 401 },
    )
  }
  if (res.status !== 200) {
    throw new EdlTokenError(
      `${what} did not issue a user token (${kind === 'create' ? 'create' : 'find_or_create'}` +
        ` answered ${res.status}${reason})`,
      { status: res.status },
    )
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    parsed = undefined
  }
  const token = (parsed as { access_token?: unknown } | undefined)?.access_token
  if (typeof token !== 'string' || !/^\S+$/.test(token)) {
    throw new EdlTokenError(`${what} answered 200 without an access_token`, { status: 200 })
  }
  return { value: token, expiresAt: readJwtClaims(token)?.expiresAt }
}
