import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import type { EdlContext } from '../edl-context.js'
import { EdlError, invalidClient, invalidRequest } from '../errors.js'
import { parseAuthorization } from '../http/authorization-header.js'
import { readParams } from '../http/params.js'
import type { Params } from '../http/params.js'

/**
 * `POST /oauth/tokens/user`: an app asks whose `token` this is → `{ uid }`. Client auth is
 * either Basic app credentials (Cumulus: form `client_id`, `token`, `on_behalf_of`) or a
 * Bearer app token from `client_credentials` (Harmony: query `client_id`, `token`).
 * `on_behalf_of` is accepted and not enforced (Cumulus sends a literal placeholder).
 */
export const tokenValidationRoute: FastifyPluginAsync<{ ctx: EdlContext }> = async (
  app,
  { ctx },
) => {
  app.post('/oauth/tokens/user', async (req) => {
    const params = readParams(req.query, req.body)
    await requireApp(ctx, req, params)
    const token = params.token
    if (token === undefined || token === '') {
      throw invalidRequest('Missing required parameter: token')
    }
    const check = await ctx.tokens.check(token)
    if (!check.ok && check.reason === 'expired') {
      throw new EdlError(403, 'token_expired', 'The token has expired')
    }
    if (!check.ok || check.token.uid === undefined) {
      throw new EdlError(403, 'invalid_token', 'The token is either malformed or does not exist')
    }
    return { uid: check.token.uid }
  })
}

async function requireApp(ctx: EdlContext, req: FastifyRequest, params: Params): Promise<void> {
  const auth = parseAuthorization(req.headers.authorization)
  let clientId: string | undefined
  if (auth.scheme === 'basic') {
    clientId = ctx.apps.authenticate(auth.user, auth.password)?.client_id
  } else if (auth.scheme === 'bearer') {
    const check = await ctx.tokens.check(auth.token)
    if (check.ok && check.token.type === 'App') clientId = check.token.clientId
  }
  if (clientId === undefined) throw invalidClient()
  if (params.client_id !== undefined && params.client_id !== clientId) throw invalidClient()
}
