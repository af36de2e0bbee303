import type { FastifyPluginAsync } from 'fastify'
import type { EdlContext } from '../edl-context.js'
import { EdlError, invalidRequest } from '../errors.js'
import { readParams } from '../http/params.js'
import type { Params } from '../http/params.js'
import type { IssuedToken } from '../tokens/token-service.js'
import { requireAppBasic } from './client-auth.js'

type TokenBody = Record<string, string | number>

/**
 * `POST /oauth/token` with Basic app credentials: `authorization_code` (code + the same
 * redirect_uri), `refresh_token` and `client_credentials` grants. Refresh tokens are not
 * rotated: the same one keeps working.
 */
export const tokenRoute: FastifyPluginAsync<{ ctx: EdlContext }> = async (app, { ctx }) => {
  app.post('/oauth/token', async (req, reply) => {
    const client = requireAppBasic(ctx, req.headers.authorization)
    const params = readParams(req.query, req.body)
    const body = await grant(ctx, client.client_id, params)
    return reply.header('cache-control', 'no-store').header('pragma', 'no-cache').send(body)
  })
}

async function grant(ctx: EdlContext, clientId: string, params: Params): Promise<TokenBody> {
  switch (params.grant_type) {
    case undefined:
      throw invalidRequest('Missing required parameter: grant_type')
    case 'authorization_code': {
      const code = required(params, 'code')
      const redeemed = ctx.codes.redeem(code, clientId, params.redirect_uri)
      if (redeemed === undefined) throw invalidGrant('Invalid, expired or already used code')
      return userTokens(
        ctx,
        redeemed.uid,
        clientId,
        ctx.tokens.issueRefreshToken(redeemed.uid, clientId),
      )
    }
    case 'refresh_token': {
      const refreshToken = required(params, 'refresh_token')
      const redeemed = ctx.tokens.redeemRefreshToken(refreshToken, clientId)
      if (redeemed === undefined) throw invalidGrant('Invalid refresh token')
      return userTokens(ctx, redeemed.uid, clientId, refreshToken)
    }
    case 'client_credentials': {
      const issued = await ctx.tokens.issueAppToken(clientId)
      return {
        access_token: issued.token,
        token_type: 'Bearer',
        expires_in: expiresIn(ctx, issued),
      }
    }
    default:
      throw new EdlError(400, 'unsupported_grant_type', 'Unsupported grant_type')
  }
}

async function userTokens(
  ctx: EdlContext,
  uid: string,
  clientId: string,
  refreshToken: string,
): Promise<TokenBody> {
  const issued = await ctx.tokens.issueAccessToken(uid, clientId)
  return {
    access_token: issued.token,
    token_type: 'Bearer',
    expires_in: expiresIn(ctx, issued),
    refresh_token: refreshToken,
    endpoint: `/api/users/${uid}`,
  }
}

const expiresIn = (ctx: EdlContext, issued: IssuedToken): number =>
  issued.exp - Math.floor(ctx.now() / 1000)

const invalidGrant = (description: string): EdlError =>
  new EdlError(400, 'invalid_grant', description)

function required(params: Params, name: string): string {
  const value = params[name]
  if (value === undefined || value === '')
    throw invalidRequest(`Missing required parameter: ${name}`)
  return value
}
