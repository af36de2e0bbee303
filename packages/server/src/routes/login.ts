import type { FastifyPluginAsync } from 'fastify'
import { isBrowser } from '../auth/authorize-url.js'
import { fetchProfileWithFallback } from '../auth/fetch-profile-with-fallback.js'
import type { EdlClient, EdlTokenGrant, EdlUser } from '../auth/edl-client.js'
import { loginRedirectTarget } from '../auth/redirect-target.js'
import { AppError, LoginFailedError } from '../errors.js'
import { addLogFields } from '../http/access-log.js'

/**
 * `GET /login`: EDL's OAuth callback (TEA's do_login). Exchanges `code`, fetches the profile, sets
 * the session cookie and answers 301 to `state` when it is a path on this service (else the
 * base URL). A browser must bring the login-binding cookie set by `app.auth.startLogin`.
 * Each failure is TEA's `error.html` with TEA's status and text.
 */
export const loginRoute: FastifyPluginAsync<{ edl: EdlClient }> = async (app, { edl }) => {
  app.get('/login', async (request, reply) => {
    const query = request.query as Record<string, unknown>
    if (Object.keys(query).length === 0) throw new LoginFailedError(400, 'No params')
    const error = firstString(query.error)
    if (error !== undefined && error !== '') {
      // EDL sends access_denied when the user refuses the app or its EULA.
      if (error === 'access_denied')
        throw new LoginFailedError(401, 'Be sure to agree to the EULA.')
      throw new LoginFailedError(
        400,
        `An error occurred while trying to log into URS. URS says: "${error}". `,
      )
    }
    const code = firstString(query.code)
    if (code === undefined || code === '')
      throw new LoginFailedError(400, 'Did not get the required CODE from URS')
    const base = app.auth.baseUrl(request)
    const state = firstString(query.state)
    // Login CSRF: a browser must come back with the cookie set when it was sent to EDL.
    // Scripts without a cookie jar keep TEA's behaviour (see docs/decisions.md).
    const binding = app.auth.checkLoginBinding(request, reply, state)
    if (
      binding === 'mismatch' ||
      (binding === 'missing' && isBrowser(request.headers['user-agent']))
    )
      throw new LoginFailedError(
        400,
        'This login was not started in this browser, or it took too long. ',
        {
          link: { href: loginRedirectTarget(state, base), text: 'Log in again' },
        },
      )
    const aux = app.auth.auxHeaders(request)
    const grant = await step(
      () => edl.exchangeCode({ code, redirectUri: `${base}login` }, aux),
      'There was a problem talking to URS Login',
    )
    const edlUser = await step(
      () => fetchProfileWithFallback(edl, grant.userId, grant.accessToken, aux),
      'Could not get user profile from URS',
    )
    await app.auth.setSessionCookie(request, reply, toUser(grant, edlUser))
    addLogFields(request, { userId: grant.userId, login: true })
    return reply.code(301).header('location', loginRedirectTarget(state, base)).send()
  })
}

async function step<T>(run: () => Promise<T>, failure: string): Promise<T> {
  try {
    return await run()
  } catch (err) {
    if (err instanceof AppError) throw new LoginFailedError(400, failure, { cause: err })
    throw err
  }
}

function toUser(grant: EdlTokenGrant, edlUser: EdlUser) {
  return {
    userId: grant.userId,
    firstName: edlUser.firstName,
    lastName: edlUser.lastName,
    email: edlUser.email,
    groups: edlUser.groups,
    accessToken: grant.accessToken,
  }
}

function firstString(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  return Array.isArray(value) && typeof value[0] === 'string' ? value[0] : undefined
}
