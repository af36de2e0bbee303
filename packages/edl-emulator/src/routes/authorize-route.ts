import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import type { IncomingHttpHeaders } from 'node:http'
import type { EmulatorApp, EmulatorUser } from '../config/emulator-config.js'
import { sessionCookie } from '../directory/browser-sessions.js'
import type { EdlContext } from '../edl-context.js'
import { BASIC_CHALLENGE } from '../errors.js'
import { messagePage, loginPage } from '../html/pages.js'
import { parseAuthorization, parseBasic } from '../http/authorization-header.js'
import type { Authorization } from '../http/authorization-header.js'
import { readParams } from '../http/params.js'
import type { Params } from '../http/params.js'

type Credentials =
  | { readonly kind: 'none' }
  | { readonly kind: 'bad' }
  | { readonly kind: 'ok'; readonly user: EmulatorUser; readonly startSession: boolean }

/**
 * `GET|POST /oauth/authorize`: the authorization-code entry point. Valid user credentials
 * (Basic header, the login form's fields, Cumulus's `credentials=base64(user:pass)` form field,
 * or the browser session a form login started) redirect to `redirect_uri` with `code` and
 * `state`; `app_type=401` turns the login page into a Basic challenge for scripted clients.
 */
export const authorizeRoute: FastifyPluginAsync<{ ctx: EdlContext }> = async (app, { ctx }) => {
  app.get('/oauth/authorize', async (req, reply) => {
    const params = readParams(req.query)
    return authorize(ctx, reply, params, credentials(ctx, req.headers, {}))
  })
  app.post('/oauth/authorize', async (req, reply) => {
    const form = readParams(req.body)
    const params = readParams(req.query, req.body)
    return authorize(ctx, reply, params, credentials(ctx, req.headers, form))
  })
}

interface Client {
  readonly app: EmulatorApp
  readonly redirectUri: string
}

function authorize(
  ctx: EdlContext,
  reply: FastifyReply,
  params: Params,
  creds: Credentials,
): FastifyReply {
  const client = checkClient(ctx, params)
  if (typeof client === 'string') {
    return reply
      .code(400)
      .type('text/html; charset=utf-8')
      .send(messagePage('Invalid request', client))
  }
  if (creds.kind === 'ok') {
    if (creds.startSession) {
      reply.header('set-cookie', sessionCookie(ctx.sessions.create(creds.user.uid)))
    }
    return grant(ctx, reply, params.state, client, creds.user)
  }
  if (params.app_type === '401') {
    return reply
      .code(401)
      .header('www-authenticate', BASIC_CHALLENGE)
      .type('text/plain; charset=utf-8')
      .send('HTTP Basic: Access denied.\n')
  }
  const error = creds.kind === 'bad' ? 'Invalid username or password.' : undefined
  return reply
    .code(creds.kind === 'bad' ? 401 : 200)
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(loginPage(params, client.app.name ?? client.app.client_id, error))
}

/** The client, or why the request cannot be redirected back to it (shown, not redirected). */
function checkClient(ctx: EdlContext, params: Params): Client | string {
  const { client_id: clientId, redirect_uri: redirectUri, response_type: responseType } = params
  if (clientId === undefined) return 'Missing required parameter: client_id'
  if (redirectUri === undefined) return 'Missing required parameter: redirect_uri'
  const app = ctx.apps.get(clientId)
  if (app === undefined) return 'Invalid client_id: no such application'
  if (!ctx.apps.allowsRedirect(app, redirectUri)) {
    return 'The redirect_uri is not registered for this application'
  }
  if (responseType !== 'code') return 'Unsupported response_type: only "code" is supported'
  return { app, redirectUri }
}

/** Who is logging in: the Basic header first, then the form, then the browser session. */
function credentials(ctx: EdlContext, headers: IncomingHttpHeaders, form: Params): Credentials {
  const header = parseAuthorization(headers.authorization)
  if (header.scheme !== 'none') return check(ctx, header, false)
  if (form.username !== undefined || form.password !== undefined) {
    const fields = { user: form.username ?? '', password: form.password ?? '' }
    return check(ctx, { scheme: 'basic', ...fields }, true)
  }
  if (form.credentials !== undefined) return check(ctx, parseBasic(form.credentials), false)
  const user = ctx.users.get(ctx.sessions.uidFor(headers.cookie) ?? '')
  return user === undefined ? { kind: 'none' } : { kind: 'ok', user, startSession: false }
}

function check(ctx: EdlContext, auth: Authorization, startSession: boolean): Credentials {
  const user =
    auth.scheme === 'basic' ? ctx.users.authenticate(auth.user, auth.password) : undefined
  return user === undefined ? { kind: 'bad' } : { kind: 'ok', user, startSession }
}

function grant(
  ctx: EdlContext,
  reply: FastifyReply,
  state: string | undefined,
  client: Client,
  user: EmulatorUser,
): FastifyReply {
  const target = new URL(client.redirectUri)
  if (!ctx.users.hasAcceptedEula(user.uid, client.app.client_id)) {
    target.searchParams.set('error', 'access_denied')
  } else {
    const grantFor = {
      uid: user.uid,
      clientId: client.app.client_id,
      redirectUri: client.redirectUri,
    }
    target.searchParams.set('code', ctx.codes.issue(grantFor))
  }
  if (state !== undefined) target.searchParams.set('state', state)
  return reply.header('cache-control', 'no-store').redirect(target.href, 302)
}
