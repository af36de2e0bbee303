import type { FastifyRequest } from 'fastify'
import type { Config } from '../config.js'
import { BadRequestError } from '../errors.js'

type OriginConfig = Pick<Config, 'publicBaseUrl' | 'domainName'>

/**
 * This service's base URL as the caller sees it, ending in `/` (TEA `get_base_url`):
 * TEA_PUBLIC_URL, else `https://{DOMAIN_NAME}/`, else, in Lambda, API Gateway's
 * `https://{domainName}/{stage}/` (no stage segment for `$default`), else the request's own
 * scheme and Host (local `tea serve`).
 */
export function baseUrlOf(request: FastifyRequest, config: OriginConfig): string {
  if (config.publicBaseUrl !== undefined) return config.publicBaseUrl
  if (config.domainName !== undefined) return `https://${config.domainName}/`
  const context = lambdaRequestContext(request)
  if (context?.domainName !== undefined) {
    const stage =
      context.stage !== undefined && context.stage !== '$default' ? `${context.stage}/` : ''
    return `https://${context.domainName}/${stage}`
  }
  const host = request.host
  if (!/^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(host)) {
    throw new BadRequestError('Invalid Host header')
  }
  return `${request.protocol}://${host}/`
}

/**
 * The path (and query) the caller used, as seen from outside: the base URL's path followed by
 * the path the app routed. This is TEA's `requestContext.path` (the stage included when there
 * is no custom domain).
 */
export function clientPathOf(request: FastifyRequest, baseUrl: string): string {
  const prefix = new URL(baseUrl).pathname.replace(/\/$/, '')
  return `${prefix}${request.url}`
}

interface LambdaRequestContext {
  readonly domainName?: string
  readonly stage?: string
}

/**
 * API Gateway's request context, when @fastify/aws-lambda ran this request (it decorates
 * `request.awsLambda`; the event cannot be forged through headers). Undefined under Node.
 */
function lambdaRequestContext(request: FastifyRequest): LambdaRequestContext | undefined {
  const holder: unknown = (request as unknown as { awsLambda?: unknown }).awsLambda
  const event = isRecord(holder) ? holder.event : undefined
  const context = isRecord(event) ? event.requestContext : undefined
  if (!isRecord(context)) return undefined
  const domainName =
    typeof context.domainName === 'string' && context.domainName !== ''
      ? context.domainName
      : undefined
  const stage =
    typeof context.stage === 'string' && context.stage !== '' ? context.stage : undefined
  return { domainName, stage }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null
}
