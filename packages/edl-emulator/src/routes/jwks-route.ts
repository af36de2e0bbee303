import type { FastifyPluginAsync } from 'fastify'
import type { EdlContext } from '../edl-context.js'

/**
 * The public key set. EDL publishes one file per environment; all three names are served so a
 * verifier configured for UAT or SIT also works against the emulator.
 */
export const jwksRoute: FastifyPluginAsync<{ ctx: EdlContext }> = async (app, { ctx }) => {
  for (const env of ['ops', 'uat', 'sit']) {
    app.get(`/.well-known/edl_${env}_jwks.json`, async (_req, reply) =>
      reply.header('cache-control', 'public, max-age=300').send(ctx.signer.jwks),
    )
  }
}
