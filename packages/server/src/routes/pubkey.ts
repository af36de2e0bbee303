import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsync } from 'fastify'
import type { Config } from '../config.js'

const PubkeyBody = Type.Object({
  rsa_pub_key: Type.Union([Type.String(), Type.Null()]),
  algorithm: Type.String(),
})

/**
 * `GET /pubkey`: the cookie's verification key and algorithm, so other services can read TEA
 * cookies. Under HS256 that "key" is the shared secret, so we publish `null` instead.
 */
export const pubkeyRoute: FastifyPluginAsync<{ config: Config }> = async (app, { config }) => {
  const body = {
    rsa_pub_key: config.session.algorithm === 'RS256' ? config.session.keys.publicKey : null,
    algorithm: config.session.algorithm,
  }
  app.get('/pubkey', { schema: { response: { 200: PubkeyBody } } }, async () => body)
}
