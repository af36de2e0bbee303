import {
  EdlRejectedError,
  EulaNotAcceptedError,
  UpstreamFailedError,
  UpstreamTimeoutError,
} from '../errors.js'
import { toGroups } from './user-profile.js'
import type { EdlGroup } from './user-profile.js'

/** Headers forwarded to EDL for log correlation (TEA `get_aux_request_headers`). */
export type AuxHeaders = Readonly<Record<string, string>>

/** The result of the OAuth code exchange. */
export interface EdlTokenGrant {
  readonly accessToken: string
  /** The last path segment of the grant's `endpoint` (`/api/users/<uid>`). */
  readonly userId: string
}

/** The fields of EDL's `/api/users/<uid>` that TEA uses. */
export interface EdlUser {
  readonly uid: string
  readonly firstName: string
  readonly lastName: string
  readonly email: string
  readonly groups: readonly EdlGroup[]
}

/**
 * A narrow port over Earthdata Login. Every method rejects with an AppError: EulaNotAccepted
 * (401/403 mentioning the EULA), EdlRejected (any other HTTP error, EDL's status and JSON),
 * UpstreamTimeout or UpstreamFailed (unreachable, or a body that is not the expected JSON).
 */
export interface EdlClient {
  /** `POST /oauth/token` grant_type=authorization_code, Basic app credentials. */
  exchangeCode(
    input: { readonly code: string; readonly redirectUri: string },
    aux?: AuxHeaders,
  ): Promise<EdlTokenGrant>
  /** `GET /api/users/<uid>?client_id=<UrsId>` with `Authorization: Bearer <token>`. */
  getProfile(
    input: { readonly userId: string; readonly token: string },
    aux?: AuxHeaders,
  ): Promise<EdlUser>
  /** `POST /oauth/token` grant_type=client_credentials: an app token (TEA's profile fallback). */
  getAppToken(aux?: AuxHeaders): Promise<string>
}

export interface EdlClientOptions {
  /** AUTH_BASE_URL, no trailing slash. */
  readonly baseUrl: string
  readonly clientId: string
  /** UrsAuth: base64 "client_id:password". */
  readonly basicAuth: string
  readonly fetch: typeof globalThis.fetch
  /** Per-request timeout (UPSTREAM_TIMEOUT_SECONDS). Default: 10_000 ms. */
  readonly timeoutMs?: number
}

/**
 * The fetch-based EdlClient. EDL's JSON enters as `unknown` and is narrowed here.
 *
 * @example
 * const edl = createEdlClient({ baseUrl: config.authBaseUrl, clientId: config.urs.clientId, basicAuth: config.urs.basicAuth, fetch })
 * const grant = await edl.exchangeCode({ code, redirectUri })
 */
export function createEdlClient(options: EdlClientOptions): EdlClient {
  const call = edlCaller(options)
  const basic = { authorization: `Basic ${options.basicAuth}` }
  const tokenRequest = (
    form: Record<string, string>,
    aux?: AuxHeaders,
  ): Promise<Record<string, unknown>> =>
    call('/oauth/token', {
      method: 'POST',
      headers: { ...aux, ...basic, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    })
  return {
    async exchangeCode({ code, redirectUri }, aux) {
      const json = await tokenRequest(
        { grant_type: 'authorization_code', code, redirect_uri: redirectUri },
        aux,
      )
      const userId = typeof json.endpoint === 'string' ? (json.endpoint.split('/').pop() ?? '') : ''
      if (typeof json.access_token !== 'string' || json.access_token === '' || userId === '') {
        throw new UpstreamFailedError(
          'Earthdata Login sent a token response without access_token or endpoint',
        )
      }
      return { accessToken: json.access_token, userId: decodeURIComponent(userId) }
    },
    async getProfile({ userId, token }, aux) {
      const query = new URLSearchParams({ client_id: options.clientId })
      const json = await call(`/api/users/${encodeURIComponent(userId)}?${query}`, {
        method: 'GET',
        headers: { ...aux, authorization: `Bearer ${token}` },
      })
      return toEdlUser(json)
    },
    async getAppToken(aux) {
      const json = await tokenRequest({ grant_type: 'client_credentials' }, aux)
      if (typeof json.access_token !== 'string' || json.access_token === '') {
        throw new UpstreamFailedError(
          'Earthdata Login sent a client_credentials response without access_token',
        )
      }
      return json.access_token
    },
  }
}

type Caller = (
  path: string,
  init: { method: string; headers: Record<string, string>; body?: string },
) => Promise<Record<string, unknown>>

function edlCaller(options: EdlClientOptions): Caller {
  const timeoutMs = options.timeoutMs ?? 10_000
  return async (path, init) => {
    let response: Response
    try {
      response = await options.fetch(`${options.baseUrl}${path}`, {
        ...init,
        headers: { accept: 'application/json', ...init.headers },
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      })
    } catch (err) {
      if (err instanceof Error && err.name === 'TimeoutError') {
        throw new UpstreamTimeoutError('Earthdata Login did not answer in time', { cause: err })
      }
      throw new UpstreamFailedError('Earthdata Login could not be reached', { cause: err })
    }
    const json = await readJson(response)
    if (response.ok && json !== undefined) return json
    if (response.ok)
      throw new UpstreamFailedError(
        `Earthdata Login answered ${response.status} without a JSON object`,
      )
    throw edlError(response.status, json ?? {})
  }
}

/** TEA edl.py: a 401/403 whose error_description mentions the EULA is a EULA refusal. */
export function edlError(
  status: number,
  body: Record<string, unknown>,
): EulaNotAcceptedError | EdlRejectedError {
  const description = typeof body.error_description === 'string' ? body.error_description : ''
  if ((status === 401 || status === 403) && description.toLowerCase().includes('eula')) {
    return new EulaNotAcceptedError(description, body)
  }
  return new EdlRejectedError(status, body)
}

async function readJson(response: Response): Promise<Record<string, unknown> | undefined> {
  try {
    const json: unknown = await response.json()
    return typeof json === 'object' && json !== null && !Array.isArray(json)
      ? (json as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

function toEdlUser(json: Record<string, unknown>): EdlUser {
  if (typeof json.uid !== 'string' || json.uid === '') {
    throw new UpstreamFailedError('Earthdata Login sent a profile without uid')
  }
  const text = (value: unknown): string => (typeof value === 'string' ? value : '')
  return {
    uid: json.uid,
    firstName: text(json.first_name),
    lastName: text(json.last_name),
    email: text(json.email_address),
    groups: toGroups(json.user_groups),
  }
}
