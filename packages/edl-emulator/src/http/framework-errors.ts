import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'

/**
 * Fastify `frameworkErrors`: URLs rejected before routing (bad percent-encoding, an over-long
 * path parameter) get EDL's error shape and the request id instead of Fastify's body.
 */
export function onFrameworkError(
  err: FastifyError,
  req: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const tooLong = err.code === 'FST_ERR_MAX_PARAM_LENGTH'
  return reply
    .code(tooLong ? 414 : 400)
    .header('x-request-id', req.id)
    .send({
      error: 'invalid_request',
      error_description: tooLong ? 'A path segment is too long' : 'Malformed URL',
    })
}

/**
 * Fastify `clientErrorHandler`: requests Node's parser rejects (headers over 16 KiB, bad
 * framing) still get an EDL-shaped JSON body, mirroring Fastify's default handler otherwise.
 */
export function onClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return
  const [status, description] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'The request headers are too large']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request timeout']
        : [400, 'Malformed HTTP request']
  const body = JSON.stringify({ error: 'invalid_request', error_description: description })
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Content-Type: application/json\r\nConnection: close\r\n\r\n${body}`,
    )
  }
  socket.destroy(err)
}
