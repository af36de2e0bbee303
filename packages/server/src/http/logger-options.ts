import type { FastifyRequest } from 'fastify'
import type { LogLevel } from '../config.js'

/** Where logs go. Default: stdout. */
export interface LogDestination {
  write(line: string): void
}

/**
 * Paths pino replaces with "[REDACTED]". Fastify's request serializer (below) logs no headers
 * and no bodies; these catch anything that is logged by hand: cookies, Authorization, tokens,
 * EDL app credentials and AWS secrets.
 */
export const REDACT_PATHS: readonly string[] = [
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  'headers.cookie',
  'headers.authorization',
  'headers["set-cookie"]',
  '*.cookie',
  '*.authorization',
  '*.token',
  '*.accessToken',
  '*.access_token',
  '*["urs-access-token"]',
  '*.secretAccessKey',
  '*.SecretAccessKey',
  '*.sessionToken',
  '*.SessionToken',
  '*.basicAuth',
  '*.password',
  '*.privateKey',
  'user.accessToken',
]

// Query values that must not reach logs: the OAuth code, and anything named like a token.
const SECRET_PARAM = /^(code|.*token.*|.*secret.*|password)$/i

/** The URL with secret query values replaced, for logging. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?')
  if (q < 0) return url
  const params = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=')
      const name = eq < 0 ? pair : pair.slice(0, eq)
      let decoded = name
      try {
        decoded = decodeURIComponent(name)
      } catch {
        // keep the raw name
      }
      return eq >= 0 && SECRET_PARAM.test(decoded) ? `${name}=[REDACTED]` : pair
    })
  return `${url.slice(0, q)}?${params.join('&')}`
}

/** Fastify `logger` options: pino JSON at `level`, redaction, and a header-free request line. */
export function loggerOptions(level: LogLevel, stream?: LogDestination): Record<string, unknown> {
  return {
    level,
    redact: { paths: [...REDACT_PATHS], censor: '[REDACTED]' },
    serializers: {
      req: (request: FastifyRequest) => ({
        method: request.method,
        url: redactUrl(request.url),
        remoteAddress: request.ip,
        originRequestId: request.headers['x-origin-request-id'],
        userAgent: request.headers['user-agent'],
      }),
    },
    ...(stream === undefined ? {} : { stream }),
  }
}
