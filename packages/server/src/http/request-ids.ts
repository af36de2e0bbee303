import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { AuxHeaders } from '../auth/edl-client.js'

// Echoed and forwarded to EDL, so keep it to a sane, printable token.
const ORIGIN_ID = /^[\x21-\x7e]{1,200}$/

/** The caller's `x-origin-request-id`, if it is a printable value of at most 200 characters. */
export function originRequestId(request: FastifyRequest): string | undefined {
  const value = request.headers['x-origin-request-id']
  return typeof value === 'string' && ORIGIN_ID.test(value) ? value : undefined
}

/**
 * TEA's `forward_origin_request_id`: every response carries `x-request-id` (ours; the Lambda
 * request id in Lambda) and echoes a valid `x-origin-request-id`.
 */
export function registerRequestIds(app: FastifyInstance): void {
  // Set as the response goes out (onSend, where the security headers are set too) rather than
  // in an onRequest hook: a route with no onRequest hook skips Fastify's onRequest hook runner.
  // Every response sent through Fastify gets them either way (errors, 404s, redirects).
  // A callback hook, not an async one: no promise to settle on every request.
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id)
    if (request.headers['x-origin-request-id'] !== undefined) {
      const origin = originRequestId(request)
      if (origin !== undefined) reply.header('x-origin-request-id', origin)
    }
    done(null, payload)
  })
}

/** Headers sent along on EDL calls for log correlation (TEA `get_aux_request_headers`). */
export function auxHeadersOf(request: FastifyRequest): AuxHeaders {
  const origin = originRequestId(request)
  return origin === undefined
    ? { 'x-request-id': request.id }
    : { 'x-request-id': request.id, 'x-origin-request-id': origin }
}
