import { describe, expect, it } from 'vitest'
import {
  EdlRejectedError,
  EulaNotAcceptedError,
  UpstreamFailedError,
  UpstreamTimeoutError,
} from '../errors.js'
import { createEdlClient } from './edl-client.js'

interface Recorded {
  url: string
  method: string
  headers: Record<string, string>
  body: string | undefined
  redirect: string | undefined
}

function recordingFetch(respond: (req: Recorded) => Response | Promise<Response>) {
  const requests: Recorded[] = []
  const fetch = (async (url: string | URL | Request, init?: RequestInit) => {
    const req: Recorded = {
      url: String(url),
      method: init?.method ?? 'GET',
      headers: Object.fromEntries(new Headers(init?.headers).entries()),
      body: typeof init?.body === 'string' ? init.body : undefined,
      redirect: init?.redirect,
    }
    requests.push(req)
    return respond(req)
  }) as typeof globalThis.fetch
  return { fetch, requests }
}

const basicAuth = Buffer.from('tea-client:pw').toString('base64')
const client = (fetch: typeof globalThis.fetch, timeoutMs?: number) =>
  createEdlClient({
    baseUrl: 'https://edl.example',
    clientId: 'tea-client',
    basicAuth,
    fetch,
    timeoutMs,
  })
const aux = { 'x-request-id': 'req-1', 'x-origin-request-id': 'origin-1' }

describe('createEdlClient', () => {
  it('exchanges a code: POST /oauth/token with Basic app auth, form body and aux headers', async () => {
    const { fetch, requests } = recordingFetch(() =>
      Response.json({
        access_token: 'user-token',
        token_type: 'Bearer',
        expires_in: 3600,
        endpoint: '/api/users/jdoe',
      }),
    )
    expect(
      await client(fetch).exchangeCode(
        { code: 'abc&1', redirectUri: 'https://tea.example/login' },
        aux,
      ),
    ).toEqual({
      accessToken: 'user-token',
      userId: 'jdoe',
    })
    expect(requests).toEqual([
      {
        url: 'https://edl.example/oauth/token',
        method: 'POST',
        headers: {
          accept: 'application/json',
          authorization: `Basic ${basicAuth}`,
          'content-type': 'application/x-www-form-urlencoded',
          'x-request-id': 'req-1',
          'x-origin-request-id': 'origin-1',
        },
        body: 'grant_type=authorization_code&code=abc%261&redirect_uri=https%3A%2F%2Ftea.example%2Flogin',
        redirect: 'manual',
      },
    ])
  })

  it('fetches a profile with the bearer token and client_id, and narrows it', async () => {
    const { fetch, requests } = recordingFetch(() =>
      Response.json({
        uid: 'jdoe',
        first_name: 'Jane',
        last_name: null,
        email_address: 'jane@example.com',
        user_groups: [{ client_id: 'tea-client', name: 'g', group_id: 'id' }, { bogus: true }],
        country: 'X',
      }),
    )
    expect(await client(fetch).getProfile({ userId: 'jdoe', token: 'user-token' })).toEqual({
      uid: 'jdoe',
      firstName: 'Jane',
      lastName: '',
      email: 'jane@example.com',
      groups: [{ client_id: 'tea-client', name: 'g', group_id: 'id' }],
    })
    expect(requests[0]).toMatchObject({
      url: 'https://edl.example/api/users/jdoe?client_id=tea-client',
      method: 'GET',
      headers: { authorization: 'Bearer user-token', accept: 'application/json' },
    })
  })

  it('gets an app token with client_credentials', async () => {
    const { fetch, requests } = recordingFetch(() => Response.json({ access_token: 'app-token' }))
    expect(await client(fetch).getAppToken()).toBe('app-token')
    expect(requests[0]?.body).toBe('grant_type=client_credentials')
  })

  it.each([
    [
      401,
      {
        error: 'invalid_token',
        error_description: 'EULA Acceptance Failure',
        resolution_url: 'https://edl/approve',
      },
    ],
    [403, { status_code: 403, error_description: 'You must accept the eula first' }],
  ])('turns a %i mentioning the EULA into EulaNotAccepted', async (status, body) => {
    const { fetch } = recordingFetch(() => Response.json(body, { status }))
    const err = await client(fetch)
      .getProfile({ userId: 'jdoe', token: 't' })
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(EulaNotAcceptedError)
    expect(err).toMatchObject({
      statusCode: 403,
      code: 'ERR_EULA_NOT_ACCEPTED',
      body: { ...body, status_code: 403 },
    })
  })

  it.each([
    [401, { error: 'invalid_token', error_description: 'The token has expired' }, 401],
    [500, { error_description: 'EULA service down' }, 500],
    [404, 'not json', 404],
    [302, '', 302],
  ])('turns HTTP %i into EdlRejected with the status and body', async (status, body, expected) => {
    const { fetch } = recordingFetch(() =>
      typeof body === 'string'
        ? new Response(body, { status, headers: status === 302 ? { location: '/x' } : {} })
        : Response.json(body, { status }),
    )
    const err = await client(fetch)
      .getProfile({ userId: 'jdoe', token: 't' })
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(EdlRejectedError)
    expect(err).toMatchObject({
      code: 'ERR_EDL_REJECTED',
      edlStatus: expected,
      body: typeof body === 'string' ? {} : body,
    })
  })

  it('reports unreachable EDL, timeouts and malformed answers as upstream failures', async () => {
    const down = recordingFetch(() => {
      throw new TypeError('fetch failed')
    })
    await expect(client(down.fetch).getAppToken()).rejects.toThrow(
      new UpstreamFailedError('Earthdata Login could not be reached'),
    )
    // Never answers; only the client's own timeout ends the request.
    const slowFetch = ((_url: string | URL | Request, init?: RequestInit) =>
      new Promise<Response>((_, reject) =>
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
      )) as typeof globalThis.fetch
    await expect(client(slowFetch, 10).getAppToken()).rejects.toBeInstanceOf(UpstreamTimeoutError)
    const html = recordingFetch(() => new Response('<html>', { status: 200 }))
    await expect(client(html.fetch).getProfile({ userId: 'u', token: 't' })).rejects.toThrow(
      new UpstreamFailedError('Earthdata Login answered 200 without a JSON object'),
    )
    const noUid = recordingFetch(() => Response.json({ first_name: 'x' }))
    await expect(client(noUid.fetch).getProfile({ userId: 'u', token: 't' })).rejects.toThrow(
      'Earthdata Login sent a profile without uid',
    )
    const noEndpoint = recordingFetch(() => Response.json({ access_token: 'x' }))
    await expect(
      client(noEndpoint.fetch).exchangeCode({ code: 'c', redirectUri: 'r' }),
    ).rejects.toBeInstanceOf(UpstreamFailedError)
  })
})
