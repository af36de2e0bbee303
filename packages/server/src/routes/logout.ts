import type { FastifyPluginAsync } from 'fastify'
import { builtInPages } from '../html/page-renderer.js'
import type { PageRenderer } from '../html/page-renderer.js'

/** `GET /logout`: expires the cookie (no EDL call) and shows TEA's "Logged Out" page. */
export const logoutRoute: FastifyPluginAsync<{ pages?: PageRenderer }> = async (
  app,
  { pages = builtInPages },
) => {
  app.get('/logout', async (request, reply) => {
    const session = await app.auth.readSession(request)
    app.auth.clearSessionCookie(reply)
    const page = pages.root({
      title: 'Logged Out',
      loginUrl: app.auth.startLogin(request, reply),
      logoutUrl: `${app.auth.baseUrl(request)}logout`,
      content: session === null ? 'No active login found.' : 'You are logged out.',
      requestId: request.id,
    })
    return reply.type('text/html; charset=utf-8').send(page)
  })
}
