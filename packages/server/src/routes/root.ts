import type { FastifyPluginAsync } from 'fastify'
import type { Config } from '../config.js'
import { builtInPages } from '../html/page-renderer.js'
import type { PageRenderer } from '../html/page-renderer.js'

/**
 * `GET /`: TEA's welcome page. Anonymous callers get the EDL login link (no `state`); a valid
 * cookie gives "Welcome URS user First Last." and, with MATURITY=DEV, the profile.
 */
export const rootRoute: FastifyPluginAsync<{ config: Config; pages?: PageRenderer }> = async (
  app,
  { config, pages = builtInPages },
) => {
  app.get('/', async (request, reply) => {
    const session = await app.auth.readSession(request)
    const base = app.auth.baseUrl(request)
    const page = pages.root({
      title: 'Welcome',
      loginUrl: session === null ? app.auth.startLogin(request, reply) : undefined,
      logoutUrl: `${base}logout`,
      user: session?.user,
      showProfile: config.maturity === 'DEV',
      requestId: request.id,
    })
    return reply.type('text/html; charset=utf-8').send(page)
  })
}
