import type { EdlToken } from './create-token-source.js'
import { describeFetchFailure } from './describe-fetch-failure.js'
import {
  EulaNotAcceptedError,
  S3CredentialsForbiddenError,
  S3CredentialsAuthError,
  S3CredentialsConfigError,
  S3CredentialsResponseError,
  S3CredentialsUnavailableError,
} from './errors.js'
import { parseRetryAfter } from './parse-retry-after.js'
import { parseS3Credentials } from './parse-s3-credentials.js'
import type { S3Credentials } from './parse-s3-credentials.js'
import { readBody } from './read-body.js'
import type { ResolvedOptions } from './resolve-options.js'
import { serverMessage } from './server-message.js'

type Options = Pick<
  ResolvedOptions,
  'endpoint' | 'appName' | 'edlMachine' | 'fetch' | 'timeoutMs' | 'now'
>

interface Answer {
  readonly status: number
  readonly headers: Headers
  readonly body: string
  readonly receivedAt: number
  readonly serverDate: number | undefined
}

function authError(opts: Options, token: EdlToken, what: string, status: number): never {
  const expired =
    token.expiresAt !== undefined && token.expiresAt <= opts.now()
      ? ` The token expired at ${new Date(token.expiresAt).toISOString()}.`
      : ''
  throw new S3CredentialsAuthError(
    `${describeEndpoint(opts.endpoint)} did not accept the Earthdata Login token from ` +
      `${token.source}: ${what}.${expired} Use a valid EDL user token (EARTHDATA_TOKEN), or ` +
      'EARTHDATA_USERNAME and EARTHDATA_PASSWORD, or a ' +
      `"machine ${opts.edlMachine}" entry in ~/.netrc.`,
    { status },
  )
}

/** The endpoint without its query string, which could carry something private. */
export function describeEndpoint(endpoint: URL): string {
  return `The credentials endpoint ${describeUrl(endpoint)}`
}

function describeUrl(url: URL): string {
  return `${url.origin}${url.pathname}`
}

function classify(opts: Options, token: EdlToken, a: Answer): S3Credentials {
  const what = describeEndpoint(opts.endpoint)
  const quoted = serverMessage(a.body, [token.value])
  const reason = quoted === undefined ? '' : `: ${quoted}`
  const { status } = a
  if (status >= 300 && status < 400) {
    let host = 'elsewhere'
    try {
      host = new URL(a.headers.get('location') ?? '', opts.endpoint).host
    } catch {
      // keep "elsewhere": a malformed Location still means "not accepted"
    }
    authError(opts, token, `it redirected (${status}) to ${host}, i.e. to a login`, status)
  }
  if (status === 401) authError(opts, token, `it answered 401${reason}`, status)
  if (status === 403) {
    const url = eulaUrl(a.body)
    if (url !== undefined) {
      throw new EulaNotAcceptedError(
        `${quoted === undefined ? '' : `${quoted}: `}Earthdata Login requires accepting an ` +
          `application's EULA before credentials are vended by ${describeUrl(opts.endpoint)}. ` +
          `Accept it at ${url} and try again.`,
        url,
        { status },
      )
    }
    throw new S3CredentialsForbiddenError(
      `${what} refused access (403)${reason || ': the EDL user may have no data permission'}`,
      { status },
    )
  }
  if (status === 400 || status === 404) {
    throw new S3CredentialsConfigError(
      `${what} rejected the request (${status})${reason}; check the endpoint URL` +
        (opts.appName === undefined ? '' : ' and the app name (app-name header)'),
      { status },
    )
  }
  if (status === 429 || status >= 500) {
    throw new S3CredentialsUnavailableError(`${what} answered ${status}${reason}`, {
      status,
      retryAfterMs: parseRetryAfter(a.headers.get('retry-after'), a.serverDate, a.receivedAt),
    })
  }
  if (status !== 200) {
    throw new S3CredentialsResponseError(`${what} answered an unexpected ${status}`, { status })
  }
  const type = a.headers.get('content-type') ?? ''
  if (/html/i.test(type) || /^\s*</.test(a.body)) {
    authError(opts, token, 'it answered with an HTML page (a login page?) instead of JSON', status)
  }
  let json: unknown
  try {
    json = JSON.parse(a.body)
  } catch {
    throw new S3CredentialsResponseError(`${what} answered 200 with a body that is not JSON`, {
      status,
    })
  }
  return parseS3Credentials(json, a)
}

function eulaUrl(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body)
    const url = (parsed as { resolution_url?: unknown } | null)?.resolution_url
    if (typeof url === 'string' && /^https?:\/\/\S+$/.test(url) && url.length < 2048) return url
  } catch {
    // not JSON: not a EULA answer
  }
  return undefined
}

/**
 * One `GET` of the `/s3credentials` endpoint with `Authorization: Bearer <EDL token>`, an
 * optional `app-name`, `redirect: 'manual'` (a redirect to EDL means "token refused": following
 * it would only fetch a login page) and a per-attempt timeout. Maps every answer to credentials
 * or a typed error.
 */
export async function requestS3Credentials(opts: Options, token: EdlToken): Promise<S3Credentials> {
  const headers: Record<string, string> = {
    authorization: `Bearer ${token.value}`,
    accept: 'application/json',
  }
  if (opts.appName !== undefined) headers['app-name'] = opts.appName
  let answer: Answer
  try {
    const res = await opts.fetch(opts.endpoint, {
      method: 'GET',
      headers,
      redirect: 'manual',
      signal: AbortSignal.timeout(opts.timeoutMs),
    })
    const receivedAt = opts.now()
    const body = await readBody(res)
    const serverDate = Date.parse(res.headers.get('date') ?? '')
    answer = {
      status: res.status,
      headers: res.headers,
      body,
      receivedAt,
      serverDate: Number.isNaN(serverDate) ? undefined : serverDate,
    }
  } catch (err) {
    throw describeFetchFailure(err, describeEndpoint(opts.endpoint), opts.timeoutMs)
  }
  return classify(opts, token, answer)
}
