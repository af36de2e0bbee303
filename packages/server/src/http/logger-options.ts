import { stdSerializers } from 'pino'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { LogLevel } from '../config.js'
import { capHeader } from './access-log.js'
import { redactUrl } from './redact-url.js'

export { redactUrl } from './redact-url.js'

/** Where logs go. Default: stdout. */
export interface LogDestination {
  write(line: string): void
}

/**
 * Redaction by serializers: the keys that could carry a request's secrets are serialized to
 * fields that cannot. pino runs a serializer only when its key is in a line, so unlike
 * wildcard redact paths (which wrap every key of every line) this costs nothing on lines
 * without them. Nothing in the service logs headers, cookies, tokens or credential objects; the
 * log audit in `npm test` checks that no secret minted in a test run reaches any log.
 */
export const serializers = {
  /** No headers, no body: the method, the redacted URL and capped header values. */
  req: (request: FastifyRequest) => ({
    method: request.method,
    url: redactUrl(request.url),
    remoteAddress: request.ip,
    originRequestId: capHeader(request.headers['x-origin-request-id']),
    userAgent: capHeader(request.headers['user-agent']),
  }),
  /** The status only (never `Set-Cookie`). */
  res: (reply: FastifyReply) => ({ statusCode: reply.statusCode }),
  err: stdSerializers.err,
}

/**
 * Fastify `logger` options: pino JSON at `level` to `stream` (stdout by default), with the
 * serializers above. The request's access line is written by `AccessLogController`.
 */
export function loggerOptions(level: LogLevel, stream?: LogDestination): Record<string, unknown> {
  return {
    level,
    serializers,
    ...(stream === undefined ? {} : { stream }),
  }
}
