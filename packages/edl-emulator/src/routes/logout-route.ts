import type { FastifyPluginAsync } from 'fastify'
import { sessionCookie } from '../directory/browser-sessions.js'
import type { EdlContext } from '../edl-context.js'
import { messagePage } from '../html/pages.js'

/** `GET /logout`: ends the browser session, so the next authorize shows the login form. */
export const logoutRoute: FastifyPluginAsync<{ ctx: EdlContext }> = async (app, { ctx }) => {
  app.get('/logout', async (req, reply) => {
    ctx.sessions.end(req.headers.cookie)
    return reply
      .header('set-cookie', sessionCookie(undefined))
      .type('text/html; charset=utf-8')
      .send(messagePage('Logged out', 'You are logged out of Earthdata Login.'))
  })
}
