import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsync } from 'fastify'

const HealthBody = Type.Object({ status: Type.Literal('ok') })

/**
 * `GET /healthz`: liveness for load balancers and containers. It checks nothing upstream, so an
 * EDL outage does not take every instance out of rotation (TEA's docs use `/version` for this,
 * which works too).
 */
export const healthRoute: FastifyPluginAsync = async (app) => {
  app.get('/healthz', { schema: { response: { 200: HealthBody } } }, async () => ({
    status: 'ok' as const,
  }))
}
