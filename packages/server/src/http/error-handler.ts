import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { isBrowser } from '../auth/authorize-url.js'
import { AppError, MethodNotAllowedError, NotFoundError } from '../errors.js'
import type { AppErrorCode } from '../errors.js'
import { builtInPages } from '../html/page-renderer.js'
import type { PageRenderer } from '../html/page-renderer.js'
import { addLogFields } from './access-log.js'
import { setCommonSecurityHeaders } from './security-headers.js'
import { STATUS_CODES } from './status-codes.js'

/** The one JSON error shape (Fastify's default plus our stable `code`). */
export interface ErrorBody {
  readonly statusCode: number
  readonly code: AppErrorCode
  readonly error: string
  readonly message: string
}

export function errorBody(statusCode: number, code: AppErrorCode, message: string): ErrorBody {
  return { statusCode, code, error: STATUS_CODES[statusCode] ?? 'Error', message }
}

/**
 * Maps errors to responses in one place. An AppError keeps its status, headers and message;
 * its TEA page (for browsers, or for everyone on `/login`) or TEA JSON body replaces the
 * standard shape where it has one. Fastify's own 4xx errors (bad media type, body too large…)
 * keep their status. Anything else is a 500 with a fixed message; the error goes to the log.
 * Unknown paths get a JSON 404, known paths with another method a 405 with `Allow`.
 */
export function registerErrorHandling(
  app: FastifyInstance,
  pages: PageRenderer = builtInPages,
): void {
  const routes = routeTable(app)
  app.setErrorHandler((err: FastifyError, request, reply) =>
    sendError(toAppErrorOrNull(err), err, request, reply, pages),
  )
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?', 1)[0] ?? '/'
    const allowed = routes.methodsFor(path)
    const err =
      allowed.length > 0
        ? new MethodNotAllowedError(request.method, path, allowed)
        : new NotFoundError(`Route ${request.method} ${path} not found`)
    return sendError(err, err, request, reply, pages)
  })
}

function toAppErrorOrNull(err: FastifyError): AppError | null {
  if (err instanceof AppError) return err
  return null
}

function sendError(
  appError: AppError | null,
  raw: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
  pages: PageRenderer,
): FastifyReply {
  if (appError === null) return sendOtherError(raw, request, reply)
  if (appError.statusCode >= 500) request.log.error({ err: appError }, appError.message)
  else {
    const cause =
      appError.cause instanceof Error
        ? `${appError.cause.name}: ${appError.cause.message}`
        : undefined
    addLogFields(request, { errorCode: appError.code, errorMessage: appError.message, cause })
  }
  reply.code(appError.statusCode).headers(appError.headers)
  const page = appError.page
  if (
    page !== undefined &&
    (page.audience === 'everyone' || isBrowser(request.headers['user-agent']))
  ) {
    const body = pages.error({
      statusCode: appError.statusCode,
      title: page.title,
      content: page.content,
      requestId: request.id,
    })
    return reply.type('text/html; charset=utf-8').send(body)
  }
  const body = appError.body ?? errorBody(appError.statusCode, appError.code, appError.message)
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(body))
}

function sendOtherError(raw: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const status = (raw as { statusCode?: unknown } | null)?.statusCode
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // Fastify's own request errors (media type, body size, parsing): safe messages, keep the status.
    const message = raw instanceof Error ? raw.message : 'Bad Request'
    const code: AppErrorCode =
      status === 404
        ? 'ERR_NOT_FOUND'
        : status === 405
          ? 'ERR_METHOD_NOT_ALLOWED'
          : 'ERR_BAD_REQUEST'
    addLogFields(request, { errorCode: code, errorMessage: message })
    return reply
      .code(status)
      .type('application/json; charset=utf-8')
      .send(JSON.stringify(errorBody(status, code, message)))
  }
  request.log.error({ err: raw }, 'unhandled error')
  const body = errorBody(500, 'ERR_INTERNAL', 'An internal server error occurred.')
  return reply.code(500).type('application/json; charset=utf-8').send(JSON.stringify(body))
}

/**
 * Fastify's `frameworkErrors`: requests its router refuses before any hook runs (a path that
 * is not valid percent-encoding, FST_ERR_BAD_URL; an over-long parameter). Answered in our
 * JSON error shape with a fixed message (Fastify's echoes the path), our request id and the
 * security headers, which the hooks would otherwise have added.
 */
export function frameworkErrorHandler(options: {
  readonly hsts: boolean
}): (err: FastifyError, request: FastifyRequest, reply: FastifyReply) => void {
  return (err, request, reply) => {
    const status = typeof err.statusCode === 'number' ? err.statusCode : 500
    const client = status >= 400 && status < 500
    const message =
      err.code === 'FST_ERR_BAD_URL'
        ? 'The URL path is not valid percent-encoding'
        : client
          ? `${STATUS_CODES[status] ?? 'Bad Request'}`
          : 'An internal server error occurred.'
    // Fastify answers these without the access line (no response hooks run): log one here.
    if (client) request.log.info({ statusCode: status, code: err.code }, message)
    else request.log.error({ err }, 'framework error')
    reply.header('x-request-id', request.id)
    setCommonSecurityHeaders(reply, options.hsts)
    void reply
      .code(client ? status : 500)
      .type('application/json; charset=utf-8')
      .send(
        JSON.stringify(
          errorBody(client ? status : 500, client ? 'ERR_BAD_REQUEST' : 'ERR_INTERNAL', message),
        ),
      )
  }
}

/** Records every route's method and URL pattern so the 404 handler can tell a 405. */
function routeTable(app: FastifyInstance): { methodsFor(path: string): string[] } {
  const routes: { pattern: RegExp; methods: string[] }[] = []
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? [...route.method] : [route.method]
    routes.push({ pattern: patternOf(route.url), methods: methods.map(String) })
  })
  return {
    methodsFor(path) {
      const allowed = new Set<string>()
      for (const route of routes)
        if (route.pattern.test(path)) route.methods.forEach((m) => allowed.add(m))
      if (allowed.has('GET')) allowed.add('HEAD')
      return [...allowed].sort()
    },
  }
}

// find-my-way patterns: `:name` is one segment, `*` the rest of the path.
function patternOf(url: string): RegExp {
  const source = url
    .split(/(\*|:[A-Za-z0-9_]+)/)
    .map((part) =>
      part === '*'
        ? '.*'
        : part.startsWith(':')
          ? '[^/]+'
          : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('')
  return new RegExp(`^${source}$`)
}
