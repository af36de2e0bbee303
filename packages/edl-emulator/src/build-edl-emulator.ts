import formbody from '@fastify/formbody'
import fastify from 'fastify'
import type { FastifyBaseLogger, FastifyError, FastifyInstance } from 'fastify'
import { randomBytes } from 'node:crypto'
import { parseEmulatorConfig } from './config/emulator-config.js'
import type { EmulatorConfig, ResolvedEmulatorConfig } from './config/emulator-config.js'
import { createAppDirectory } from './directory/app-directory.js'
import { createBrowserSessions } from './directory/browser-sessions.js'
import { createUserDirectory } from './directory/user-directory.js'
import type { EdlContext } from './edl-context.js'
import { EdlError, invalidRequest } from './errors.js'
import { onClientError, onFrameworkError } from './http/framework-errors.js'
import { requestIdFor } from './http/request-id.js'
import { approveAppRoute } from './routes/approve-app-route.js'
import { authorizeRoute } from './routes/authorize-route.js'
import { jwksRoute } from './routes/jwks-route.js'
import { logoutRoute } from './routes/logout-route.js'
import { profileRoute } from './routes/profile-route.js'
import { tokenRoute } from './routes/token-route.js'
import { tokenValidationRoute } from './routes/token-validation-route.js'
import { userTokensRoute } from './routes/user-tokens-route.js'
import { createAuthorizationCodes } from './tokens/authorization-codes.js'
import { createJwtSigner } from './tokens/jwt-signer.js'
import { createTokenService } from './tokens/token-service.js'

/** What the emulator needs from outside; everything has a default. */
export interface EdlEmulatorDeps {
  /** Clock in epoch milliseconds (codes, token `iat`/`exp`, expiry checks). Default: `Date.now`. */
  readonly now?: () => number
  /** Random ids for codes, refresh tokens and `jti`. Default: 24 random bytes, base64url. */
  readonly randomId?: () => string
  /** PKCS#8 PEM RSA key to sign with. Default: one 2048-bit key generated per process. */
  readonly privateKeyPem?: string
  /** Fastify logger. Default: false (silent). */
  readonly logger?: boolean | FastifyBaseLogger
}

/** Options for `issueUserToken`. */
export interface IssueUserTokenOptions {
  /** Lifetime from now; ≤ 0 gives an already-expired token. Default: 3600. */
  readonly expiresInSeconds?: number
  /** The `client_id` claim. Default: none (as user-API tokens). */
  readonly clientId?: string
}

/** A built, not listening, emulator. */
export interface EdlEmulator {
  readonly app: FastifyInstance
  readonly config: ResolvedEmulatorConfig
  /** Mints a signed User token for `uid` (throws TypeError for an unknown uid). */
  issueUserToken(uid: string, options?: IssueUserTokenOptions): Promise<string>
}

const BODY_LIMIT = 64 * 1024

/**
 * Builds the emulator as a Fastify app that never listens (use `app.inject()` or
 * `startEdlEmulator`). Validates `config` (throws `EmulatorConfigError`).
 *
 * @example
 * const { app } = await buildEdlEmulator(loadEmulatorConfig('users.yaml'), { now: () => t })
 */
export async function buildEdlEmulator(
  config: EmulatorConfig,
  deps: EdlEmulatorDeps = {},
): Promise<EdlEmulator> {
  const resolved = parseEmulatorConfig(config)
  const now = deps.now ?? Date.now
  const randomId = deps.randomId ?? (() => randomBytes(24).toString('base64url'))
  const signer = await createJwtSigner({
    issuer: resolved.issuer,
    keyId: resolved.keyId,
    now,
    privateKeyPem: deps.privateKeyPem,
  })
  const ctx: EdlContext = {
    config: resolved,
    users: createUserDirectory(resolved.users),
    apps: createAppDirectory(resolved.apps),
    sessions: createBrowserSessions(randomId),
    codes: createAuthorizationCodes({ now, randomId }),
    tokens: createTokenService({ signer, now, randomId }),
    signer,
    now,
  }
  const app = await createApp(ctx, deps.logger ?? false)
  return {
    app,
    config: resolved,
    issueUserToken: async (uid, options = {}) => {
      if (ctx.users.get(uid) === undefined) throw new TypeError(`unknown uid "${uid}"`)
      const issued = await ctx.tokens.mintUserToken(
        uid,
        options.expiresInSeconds ?? 3600,
        options.clientId,
      )
      return issued.token
    },
  }
}

async function createApp(
  ctx: EdlContext,
  logger: boolean | FastifyBaseLogger,
): Promise<FastifyInstance> {
  const app = fastify({
    ...(typeof logger === 'boolean' ? { logger } : { loggerInstance: logger }),
    genReqId: requestIdFor,
    requestIdHeader: false,
    bodyLimit: BODY_LIMIT,
    routerOptions: { maxParamLength: 200 },
    frameworkErrors: onFrameworkError,
    clientErrorHandler: onClientError,
  })
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id)
  })
  registerBodyParsers(app)
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof EdlError) {
      return reply.code(err.statusCode).headers(err.headers).send(err.toBody())
    }
    const status = err.statusCode ?? 500
    if (status >= 400 && status < 500) {
      return reply.code(status).send(invalidRequest(clientMessage(status)).toBody())
    }
    req.log.error({ err }, 'unhandled error')
    return reply.code(500).send({ error: 'server_error', error_description: 'Internal error' })
  })
  app.setNotFoundHandler((_req, reply) =>
    reply.code(404).send({ error: 'not_found', error_description: 'No such endpoint' }),
  )
  for (const route of [
    authorizeRoute,
    tokenRoute,
    tokenValidationRoute,
    profileRoute,
    userTokensRoute,
    jwksRoute,
    approveAppRoute,
    logoutRoute,
  ]) {
    await app.register(route, { ctx })
  }
  return app
}

/** Forms, lenient JSON (an empty body is no body), and any other body ignored rather than 415. */
function registerBodyParsers(app: FastifyInstance): void {
  void app.register(formbody, { bodyLimit: BODY_LIMIT })
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8')
    if (text.trim() === '') return done(null, undefined)
    try {
      done(null, JSON.parse(text))
    } catch {
      done(invalidRequest('The request body is not valid JSON'), undefined)
    }
  })
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, _body, done) => done(null, undefined))
}

function clientMessage(status: number): string {
  if (status === 413) return 'The request body is too large'
  if (status === 415) return 'Unsupported media type'
  return 'Bad request'
}
