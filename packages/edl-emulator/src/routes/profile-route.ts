import type { FastifyPluginAsync } from 'fastify'
import { toUserProfile } from '../directory/user-profile.js'
import type { EdlContext } from '../edl-context.js'
import { EdlError } from '../errors.js'
import { parseAuthorization } from '../http/authorization-header.js'
import { readParams } from '../http/params.js'
import type { IssuedToken } from '../tokens/token-service.js'

/**
 * `GET /api/users/<uid>?client_id=<app>` with a Bearer user token (own uid only) or app token
 * (any uid). A user who has not accepted `client_id`'s EULA gets EDL's 403 with a
 * `resolution_url`; without `client_id` the token's own client_id is checked.
 */
export const profileRoute: FastifyPluginAsync<{ ctx: EdlContext }> = async (app, { ctx }) => {
  app.get('/api/users/:uid', async (req) => {
    const { uid } = readParams(req.params)
    const token = await requireBearer(ctx, req.headers.authorization)
    if (token.type === 'User' && token.uid !== uid) {
      throw new EdlError(403, 'invalid_token', 'The token does not grant access to this user')
    }
    const user = uid === undefined ? undefined : ctx.users.get(uid)
    if (user === undefined) throw new EdlError(404, 'not_found', 'User not found')
    const clientId = readParams(req.query).client_id ?? token.clientId
    if (clientId !== undefined && !ctx.users.hasAcceptedEula(user.uid, clientId)) {
      throw new EdlError(403, 'invalid_token', 'EULA Acceptance Failure', {
        extra: {
          status_code: 403,
          resolution_url: `${req.protocol}://${req.host}/approve_app?client_id=${encodeURIComponent(clientId)}`,
        },
      })
    }
    return toUserProfile(user, ctx.apps)
  })
}

/** The live token in `Authorization: Bearer …`; throws EDL's 401 `invalid_token` otherwise. */
export async function requireBearer(
  ctx: EdlContext,
  header: string | undefined,
): Promise<IssuedToken> {
  const auth = parseAuthorization(header)
  if (auth.scheme !== 'bearer') {
    throw new EdlError(401, 'invalid_token', 'Missing or malformed Bearer token', {
      headers: { 'www-authenticate': 'Bearer' },
    })
  }
  const check = await ctx.tokens.check(auth.token)
  if (check.ok) return check.token
  const description = {
    malformed: 'The token is either malformed or does not exist',
    expired: 'The token has expired',
    revoked: 'The token has been revoked',
  }[check.reason]
  throw new EdlError(401, 'invalid_token', description, {
    headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
  })
}
