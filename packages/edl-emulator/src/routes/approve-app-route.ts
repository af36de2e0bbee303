import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import type { EdlContext } from '../edl-context.js'
import { approvePage, messagePage } from '../html/pages.js'
import { readParams } from '../http/params.js'

/**
 * `GET|POST /approve_app?client_id=`: the page a EULA failure's `resolution_url` points to.
 * Posting valid credentials records the user's acceptance of that app's EULA.
 */
export const approveAppRoute: FastifyPluginAsync<{ ctx: EdlContext }> = async (app, { ctx }) => {
  const html = (reply: FastifyReply, status: number, body: string): FastifyReply =>
    reply.code(status).type('text/html; charset=utf-8').send(body)
  app.get('/approve_app', async (req, reply) => {
    const client = ctx.apps.get(readParams(req.query).client_id ?? '')
    if (client === undefined)
      return html(reply, 400, messagePage('Invalid request', 'Unknown client_id'))
    return html(reply, 200, approvePage(client.client_id, client.name ?? client.client_id))
  })
  app.post('/approve_app', async (req, reply) => {
    const params = readParams(req.query, req.body)
    const client = ctx.apps.get(params.client_id ?? '')
    if (client === undefined)
      return html(reply, 400, messagePage('Invalid request', 'Unknown client_id'))
    const name = client.name ?? client.client_id
    const user = ctx.users.authenticate(params.username ?? '', params.password ?? '')
    if (user === undefined) {
      return html(reply, 401, approvePage(client.client_id, name, 'Invalid username or password.'))
    }
    ctx.users.acceptEula(user.uid, client.client_id)
    return html(
      reply,
      200,
      messagePage('Application approved', `You accepted the EULA of ${name}.`),
    )
  })
}
