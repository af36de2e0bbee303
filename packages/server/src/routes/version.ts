import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsync } from 'fastify'
import type { Config } from '../config.js'

const VersionBody = Type.Object({
  version_id: Type.String(),
  last_flush: Type.Optional(Type.String()),
})

/** `GET /version`: `{"version_id": BUILD_VERSION}` plus `last_flush` when BUMP is set. */
export const versionRoute: FastifyPluginAsync<{ config: Config }> = async (app, { config }) => {
  const body =
    config.bump === undefined
      ? { version_id: config.buildVersion }
      : { version_id: config.buildVersion, last_flush: config.bump }
  app.get('/version', { schema: { response: { 200: VersionBody } } }, async () => body)
}
