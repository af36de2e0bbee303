import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance, FastifyRequest, RouteShorthandOptions } from 'fastify'
import { RateLimitedError } from '../errors.js'

export interface PerUserRateLimitOptions {
  /** Requests per user per window (S3_CREDENTIALS_RATE_LIMIT); 0 turns the limit off. */
  readonly max: number
  /** The window in ms (S3_CREDENTIALS_RATE_LIMIT_WINDOW_SECONDS). */
  readonly windowMs: number
  /** Most users counted at once (an LRU: the least recent are forgotten). Default: 10_000. */
  readonly maxUsers?: number
}

/**
 * A per-user request limit for routes behind `app.requireUser`: @fastify/rate-limit (fixed
 * window, in-memory LRU store) keyed by the authenticated EDL user id instead of the client IP,
 * and run as a preHandler after requireUser, so unauthenticated requests (sent to EDL) are not
 * counted and one user behind a shared NAT cannot starve the others. Over the limit: 429
 * ERR_RATE_LIMITED with Retry-After. Counters live in this process (one Lambda instance, one
 * `tea serve`): the limit is per instance, a brake on a runaway script, not a quota.
 *
 * Registers the plugin on `app` and returns the route options that apply it (empty when off).
 *
 * @example
 * const limited = await registerPerUserRateLimit(app, { max: 60, windowMs: 60_000 })
 * app.get('/s3credentials', { ...limited, preHandler: app.requireUser }, handler)
 */
export async function registerPerUserRateLimit(
  app: FastifyInstance,
  options: PerUserRateLimitOptions,
): Promise<Pick<RouteShorthandOptions, 'config'>> {
  if (options.max === 0) return {}
  await app.register(rateLimit, {
    global: false,
    hook: 'preHandler',
    cache: options.maxUsers ?? 10_000,
    keyGenerator: userKey,
    errorResponseBuilder: (_request, context) =>
      new RateLimitedError(
        `Too many requests for this user: at most ${context.max} per ${windowText(options.windowMs)}; retry after ${context.after}`,
        Math.max(1, Math.ceil(context.ttl / 1000)),
      ),
  })
  return { config: { rateLimit: { max: options.max, timeWindow: options.windowMs } } }
}

function userKey(request: FastifyRequest): string {
  // requireUser has run (this is a later preHandler) and answered already when there is no user.
  return request.user === null ? `ip:${request.ip}` : `user:${request.user.userId}`
}

function windowText(ms: number): string {
  const s = ms / 1000
  if (s % 3600 === 0) return s === 3600 ? 'hour' : `${s / 3600} hours`
  if (s % 60 === 0) return s === 60 ? 'minute' : `${s / 60} minutes`
  return s === 1 ? 'second' : `${s} seconds`
}
