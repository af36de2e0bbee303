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
    if (creds.startSession)
      reply.header('set-cookie', sessionCookie(ctx.sessions.create(creds.user.uid)))
    return grant(ctx, reply, params, client, creds.user)
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
    .send(loginPage(params, client.name ?? client.client_id, error))
}

/** The app, or why the request cannot be redirected back to the client (shown, not redirected). */
function checkClient(ctx: EdlContext, params: Params): EmulatorApp | string {
  const { client_id: clientId, redirect_uri: redirectUri, response_type: responseType } = params
  if (clientId === undefined) return 'Missing required parameter: client_id'
  if (redirectUri === undefined) return 'Missing required parameter: redirect_uri'
  const client = ctx.apps.get(clientId)
  if (client === undefined) return 'Invalid client_id: no such application'
  if (!ctx.apps.allowsRedirect(client, redirectUri)) {
    return 'The redirect_uri is not registered for this application'
  }
  if (responseType !== 'code') return 'Unsupported response_type: only "code" is supported'
  return client
}

function credentials(ctx: EdlContext, headers: IncomingHttpHeaders, form: Params): Credentials {
  let auth: Authorization = parseAuthorization(headers.authorization)
  const fromForm = auth.scheme === 'none' && form.username !== undefined
  if (auth.scheme === 'none' && form.credentials !== undefined) auth = parseBasic(form.credentials)
  if (fromForm && form.password !== undefined) {
    auth = { scheme: 'basic', user: form.username ?? '', password: form.password }
  }
  if (auth.scheme === 'none') {
    const user = ctx.users.get(ctx.sessions.uidFor(headers.cookie) ?? '')
    return user === undefined ? { kind: 'none' } : { kind: 'ok', user, startSession: false }
  }
  if (auth.scheme !== 'basic') return { kind: 'bad' }
  const user = ctx.users.authenticate(auth.user, auth.password)
  return user === undefined ? { kind: 'bad' } : { kind: 'ok', user, startSession: fromForm }
}

function grant(
  ctx: EdlContext,
  reply: FastifyReply,
  params: Params,
  client: EmulatorApp,
  user: EmulatorUser,
): FastifyReply {
  // checkClient guaranteed an absolute http(s) redirect_uri.
  const target = new URL(params.redirect_uri as string)
  if (!ctx.users.hasAcceptedEula(user.uid, client.client_id)) {
    target.searchParams.set('error', 'access_denied')
  } else {
    const code = ctx.codes.issue({
      uid: user.uid,
      clientId: client.client_id,
      redirectUri: params.redirect_uri as string,
    })
    target.searchParams.set('code', code)
  }
  if (params.state !== undefined) target.searchParams.set('state', params.state)
  return reply.header('cache-control', 'no-store').redirect(target.href, 302)
}
