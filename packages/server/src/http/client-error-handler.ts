import { randomUUID } from 'node:crypto'
import type { Socket } from 'node:net'
import { errorBody } from './error-handler.js'
import { STATUS_CODES } from './status-codes.js'

/**
 * Requests Node's HTTP parser refuses before Fastify sees them: headers over Node's
 * `maxHeaderSize` (16 KiB) get 431, a header timeout 408, any other parse error 400, all in our
 * JSON error shape with an `x-request-id`. Never 500.
 */
export function clientErrorHandler(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return
  const status =
    err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400
  const message =
    status === 431
      ? 'Request headers are too large'
      : status === 408
        ? 'Request timed out'
        : 'Malformed HTTP request'
  const body = JSON.stringify(errorBody(status, 'ERR_BAD_REQUEST', message))
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        'X-Content-Type-Options: nosniff\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\nx-request-id: ${randomUUID()}\r\nConnection: close\r\n\r\n${body}`,
    )
  }
  socket.destroy(err)
}
