import type { FastifyPluginAsync } from 'fastify'

/** `GET /profile`: TEA's stub. */
export const profileRoute: FastifyPluginAsync = async (app) => {
  app.get('/profile', async (_request, reply) =>
    reply.type('text/plain; charset=utf-8').send('Profile not available.'),
  )
}
