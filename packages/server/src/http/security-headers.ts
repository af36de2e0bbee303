import type { FastifyInstance, FastifyReply } from 'fastify'

/**
 * Our pages are static HTML with one inline stylesheet and no scripts, so the policy allows
 * nothing else; `frame-ancestors 'none'` (and X-Frame-Options for older browsers) stops
 * clickjacking of the login and logout links.
 */
export const HTML_CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; " +
  "form-action 'none'; frame-ancestors 'none'"

/** Two years, the value browsers' preload lists ask for. */
export const HSTS = 'max-age=63072000'

export interface SecurityHeadersOptions {
  /** The service's public base URL (TEA_PUBLIC_URL); HSTS is sent only when it is https. */
  readonly publicBaseUrl?: string | undefined
}

/**
 * Sets the security headers on every response, in one `onSend` hook so routes added later
 * (and the error and 404 handlers) get them without doing anything:
 * - `X-Content-Type-Options: nosniff` and `Referrer-Policy: no-referrer` everywhere (the
 *   `/login` URL carries the OAuth code, which must not leak through a Referer);
 * - on HTML, a Content-Security-Policy without scripts and `X-Frame-Options: DENY`;
 * - `Cache-Control: no-store` on any response that sets a cookie, unless the route chose one;
 * - HSTS when TEA_PUBLIC_URL is https (behind API Gateway the scheme is always https, but only
 *   an explicit public URL tells us the operator serves nothing over plain http).
 */
/** Whether responses carry HSTS: only when TEA_PUBLIC_URL is https. */
export function wantsHsts(options: SecurityHeadersOptions): boolean {
  return options.publicBaseUrl?.startsWith('https://') === true
}

/**
 * The headers every response gets. For the few replies Fastify sends without running hooks
 * (`frameworkErrors`); everything else gets them from the hook.
 */
export function setCommonSecurityHeaders(reply: FastifyReply, hsts: boolean): void {
  reply.header('x-content-type-options', 'nosniff')
  reply.header('referrer-policy', 'no-referrer')
  if (hsts) reply.header('strict-transport-security', HSTS)
}

export function registerSecurityHeaders(
  app: FastifyInstance,
  options: SecurityHeadersOptions,
): void {
  const hsts = wantsHsts(options)
  // A callback hook, not an async one: nothing here awaits, so no promise per response.
  app.addHook('onSend', (_request, reply, payload, done) => {
    setCommonSecurityHeaders(reply, hsts)
    const type = reply.getHeader('content-type')
    if (typeof type === 'string' && type.startsWith('text/html')) {
      reply.header('content-security-policy', HTML_CONTENT_SECURITY_POLICY)
      reply.header('x-frame-options', 'DENY')
    }
    if (reply.hasHeader('set-cookie') && !reply.hasHeader('cache-control')) {
      reply.header('cache-control', 'no-store')
    }
    done(null, payload)
  })
}
