import type { FastifyPluginAsync } from 'fastify'
import type { EmulatorUser } from '../config/emulator-config.js'
import type { EdlContext } from '../edl-context.js'
import { EdlError, invalidRequest, invalidUserCredentials } from '../errors.js'
import { parseAuthorization } from '../http/authorization-header.js'
import { readParams } from '../http/params.js'
import type { IssuedToken } from '../tokens/token-service.js'

/**
 * EDL's user-token API, authenticated with Basic *user* credentials: create (at most 2 valid
 * tokens per user, 60 days each), list, revoke and find-or-create.
 */
export const userTokensRoute: FastifyPluginAsync<{ ctx: EdlContext }> = async (app, { ctx }) => {
  app.post('/api/users/token', async (req) => {
    const user = requireUser(ctx, req.headers.authorization)
    const issued = await ctx.tokens.createUserToken(user.uid)
    if (issued === undefined) {
      throw new EdlError(
        403,
        'max_token_limit',
        'You already have the maximum number of valid tokens (2); revoke one to create another',
      )
    }
    return created(issued)
  })
  app.post('/api/users/find_or_create_token', async (req) => {
    const user = requireUser(ctx, req.headers.authorization)
    return created(await ctx.tokens.findOrCreateUserToken(user.uid))
  })
  app.get('/api/users/tokens', async (req) => {
    const user = requireUser(ctx, req.headers.authorization)
    return ctx.tokens.listUserTokens(user.uid).map((t) => ({
      access_token: t.token,
      expiration_date: usDate(t.exp),
    }))
  })
  app.post('/api/users/revoke_token', async (req) => {
    const user = requireUser(ctx, req.headers.authorization)
    const { token } = readParams(req.query, req.body)
    if (token === undefined || token === '')
      throw invalidRequest('Missing required parameter: token')
    if (!ctx.tokens.revoke(user.uid, token)) {
      throw new EdlError(400, 'invalid_token', 'The token is either malformed or does not exist')
    }
    return { message: 'Token successfully revoked' }
  })
}

function requireUser(ctx: EdlContext, header: string | undefined): EmulatorUser {
  const auth = parseAuthorization(header)
  const user =
    auth.scheme === 'basic' ? ctx.users.authenticate(auth.user, auth.password) : undefined
  if (user === undefined) throw invalidUserCredentials()
  return user
}

const created = (t: IssuedToken) => ({
  access_token: t.token,
  token_type: 'Bearer',
  expiration_date: usDate(t.exp),
})

/** EDL's `expiration_date`: the UTC date of `exp` as `MM/DD/YYYY`. */
export function usDate(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000)
  const pad = (n: number): string => String(n).padStart(2, '0')
  return `${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${d.getUTCFullYear()}`
}
