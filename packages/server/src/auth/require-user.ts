import fp from 'fastify-plugin'
import type { FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify'
import type { Config } from '../config.js'
import { addLogFields } from '../http/access-log.js'
import { auxHeadersOf } from '../http/request-ids.js'
import { baseUrlOf, clientPathOf } from '../http/request-origin.js'
import type { Authenticator } from './authenticator.js'
import { buildAuthorizeUrl } from './authorize-url.js'
import {
  MAX_COOKIE_BYTES,
  loginBindingSetCookie,
  logoutSetCookie,
  readCookie,
  sessionSetCookie,
} from './cookies.js'
import type { AuxHeaders } from './edl-client.js'
import { LOGIN_BINDING_COOKIE, LOGIN_BINDING_TTL_SECONDS } from './login-binding.js'
import type { LoginBinding, LoginBindingCheck } from './login-binding.js'
import { statePath } from './redirect-target.js'
import type { Session, SessionCodec } from './session.js'
import type { UserProfile } from './user-profile.js'

type HookDone = (err?: Error) => void

/** Login plumbing shared by the routes, decorated on the app as `app.auth`. */
export interface AuthService {
  /** The session in the cookie only, or null (TEA's `get_profile_from_headers`). */
  readSession(request: FastifyRequest): Promise<Session | null>
  /** Mints a session for `user` and appends its `Set-Cookie` to the reply. */
  setSessionCookie(request: FastifyRequest, reply: FastifyReply, user: UserProfile): Promise<void>
  /** Appends TEA's logout `Set-Cookie`. */
  clearSessionCookie(reply: FastifyReply): void
  /** This service's base URL as the caller sees it, ending in `/`. */
  baseUrl(request: FastifyRequest): string
  /**
   * Starts a login: EDL's authorize URL (with `returnHere`, `state` is this request's path, TEA
   * `do_auth_and_return`), and on `reply` the cookie binding that login to this browser.
   */
  startLogin(
    request: FastifyRequest,
    reply: FastifyReply,
    options?: { readonly returnHere?: boolean },
  ): string
  /**
   * Whether this `/login` callback came back to the browser that started it. When the request
   * carried a binding cookie, `reply` gets the Set-Cookie that removes it.
   */
  checkLoginBinding(
    request: FastifyRequest,
    reply: FastifyReply,
    state: string | undefined,
  ): LoginBindingCheck
  /** `x-request-id` / `x-origin-request-id` to forward to EDL. */
  auxHeaders(request: FastifyRequest): AuxHeaders
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `app.requireUser`; null on routes without it. */
    user: UserProfile | null
  }
  interface FastifyInstance {
    /**
     * preHandler for protected routes: cookie, then bearer token, else 302 to EDL. On success
     * `request.user` is set, and a bearer-authenticated response already carries the new
     * session `Set-Cookie` (as TEA does, on error responses too).
     */
    requireUser: preHandlerHookHandler
    /** `requireUser` for a route handler to await itself (the download route's private data). */
    authenticateUser(request: FastifyRequest, reply: FastifyReply): Promise<void>
    auth: AuthService
  }
}

export interface RequireUserOptions {
  readonly config: Config
  readonly authenticator: Authenticator
  readonly codec: SessionCodec
  readonly loginBinding: LoginBinding
}

/**
 * Decorates `app.requireUser`, `app.auth` and `request.user`. Wrapped in fastify-plugin so the
 * decorators reach the sibling route plugins.
 */
export const requireUserPlugin = fp<RequireUserOptions>(
  async (app, { config, authenticator, codec, loginBinding }) => {
    const cookieAttrs = { domain: config.cookie.domain, secure: config.cookie.secure }
    const bindingCookie = (request: FastifyRequest, value: string, maxAge: number): string =>
      loginBindingSetCookie(
        LOGIN_BINDING_COOKIE,
        value,
        `${new URL(baseUrlOf(request, config)).pathname}login`,
        maxAge,
        config.cookie.secure,
      )
    const auth: AuthService = {
      readSession: (request) => authenticator.readSession(request.headers.cookie),
      async setSessionCookie(request, reply, user) {
        const { token, expiresAt } = await codec.mint(user)
        const cookie = sessionSetCookie(config.session.cookieName, token, expiresAt, cookieAttrs)
        const bytes = Buffer.byteLength(cookie)
        if (bytes > MAX_COOKIE_BYTES) {
          request.log.warn(
            { bytes, groups: user.groups.length },
            'session cookie exceeds 4096 bytes; browsers may drop it',
          )
        }
        reply.header('set-cookie', cookie)
      },
      clearSessionCookie: (reply) =>
        void reply.header('set-cookie', logoutSetCookie(config.session.cookieName, cookieAttrs)),
      baseUrl: (request) => baseUrlOf(request, config),
      startLogin(request, reply, options) {
        const base = baseUrlOf(request, config)
        const state =
          options?.returnHere === true ? statePath(clientPathOf(request, base), config) : undefined
        const value = loginBinding.issue(state)
        reply.header('set-cookie', bindingCookie(request, value, LOGIN_BINDING_TTL_SECONDS))
        return buildAuthorizeUrl({
          authBaseUrl: config.authBaseUrl,
          clientId: config.urs.clientId,
          redirectUri: `${base}login`,
          state,
          userAgent: request.headers['user-agent'],
        })
      },
      checkLoginBinding(request, reply, state) {
        const value = readCookie(request.headers.cookie, LOGIN_BINDING_COOKIE)
        if (value !== undefined) reply.header('set-cookie', bindingCookie(request, '', 0))
        return loginBinding.check(value, state)
      },
      auxHeaders: auxHeadersOf,
    }
    app.decorate('auth', auth)
    app.decorateRequest('user', null)
    const accept = (request: FastifyRequest, user: UserProfile, via: 'cookie' | 'bearer'): void => {
      request.user = user
      addLogFields(request, { userId: user.userId, via })
    }
    /** Cookie, then bearer token (with a new session cookie), else a 302 to EDL. */
    const authenticateUser = async (
      request: FastifyRequest,
      reply: FastifyReply,
    ): Promise<void> => {
      const outcome = await authenticator.authenticate({
        cookieHeader: request.headers.cookie,
        authorization: request.headers.authorization,
        userAgent: request.headers['user-agent'],
        aux: auxHeadersOf(request),
      })
      if (outcome.kind === 'login') {
        void reply
          .code(302)
          .header('location', auth.startLogin(request, reply, { returnHere: true }))
          .send()
        return
      }
      accept(request, outcome.user, outcome.via)
      if (outcome.via === 'bearer') await auth.setSessionCookie(request, reply, outcome.user)
    }
    app.decorate('authenticateUser', authenticateUser)
    // A callback hook: a repeat caller's cookie is answered in this turn, with no promise for
    // Fastify to wait on (most /s3credentials calls; bench/results.md).
    app.decorate(
      'requireUser',
      function requireUser(request: FastifyRequest, reply: FastifyReply, done: HookDone): void {
        const user = authenticator.rememberedUser(request.headers.cookie)
        if (user !== undefined) {
          accept(request, user, 'cookie')
          done()
          return
        }
        // After a 302 Fastify skips the rest of the request on its own (reply.sent).
        authenticateUser(request, reply).then(() => done(), done)
      },
    )
  },
  { name: 'tea-require-user', fastify: '5.x' },
)
