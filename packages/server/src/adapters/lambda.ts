import awsLambdaFastify from '@fastify/aws-lambda'
import type { Context } from 'aws-lambda'
import { buildApp } from '../app.js'
import type { AppDeps, BuildAppOptions } from '../app.js'
import { buildDeps } from '../build-deps.js'
import { loadConfig } from '../config.js'
import type { Config } from '../config.js'
import { errorBody } from '../http/error-handler.js'

/** The Lambda proxy result: API Gateway REST (v1) and HTTP API / Function URL (v2) shapes. */
export interface LambdaResult {
  statusCode: number
  headers: Record<string, string>
  multiValueHeaders?: Record<string, string[]>
  cookies?: string[]
  body: string
  isBase64Encoded?: boolean
}

export type LambdaHandler = (event: unknown, context: Context) => Promise<LambdaResult>

export interface LambdaHandlerOptions {
  /** Default: `loadConfig()` from the Lambda environment. */
  readonly loadConfig?: () => Promise<Config>
  /** Default: `buildDeps(config)`. */
  readonly deps?: (config: Config) => AppDeps
  /** Extra plugins for the app (see BuildAppOptions.plugins). */
  readonly plugins?: BuildAppOptions['plugins']
}

// The Lambda request id travels in this header, which we overwrite on every event, so a
// client can never choose its own id.
const REQUEST_ID_HEADER = 'x-tea-lambda-request-id'

/**
 * A Lambda handler for API Gateway REST (v1), HTTP API (v2) and Function URL events. The app
 * is built once per cold start; responses carry `x-request-id` = the Lambda request id (as
 * TEA); several `Set-Cookie`s come back as `multiValueHeaders` (v1) or `cookies` (v2).
 *
 * @example export const handler = createLambdaHandler()
 */
export function createLambdaHandler(options: LambdaHandlerOptions = {}): LambdaHandler {
  let proxy: Promise<(event: unknown, context: Context) => Promise<LambdaResult>> | undefined
  const start = async () => {
    const config = await (options.loadConfig ?? (() => loadConfig()))()
    const app = await buildApp(config, (options.deps ?? buildDeps)(config), {
      requestIdHeader: REQUEST_ID_HEADER,
      plugins: options.plugins,
    })
    const handler = awsLambdaFastify<Record<string, unknown>>(app)
    await app.ready()
    return handler as unknown as (event: unknown, context: Context) => Promise<LambdaResult>
  }
  return async (event, context) => {
    if (!isHttpEvent(event)) return badEvent(context)
    proxy ??= start().catch((err: unknown) => {
      proxy = undefined
      throw err
    })
    return (await proxy)(prepareEvent(event, context), context)
  }
}

interface HttpEvent {
  headers?: Record<string, string | undefined> | null
  multiValueHeaders?: Record<string, string[] | undefined> | null
  rawPath?: string
  requestContext?: { stage?: string; http?: { method?: string } }
  httpMethod?: string
  [key: string]: unknown
}

function isHttpEvent(event: unknown): event is HttpEvent {
  if (typeof event !== 'object' || event === null) return false
  const e = event as HttpEvent
  return typeof e.httpMethod === 'string' || typeof e.requestContext?.http?.method === 'string'
}

/** Sets the trusted request id; strips an HTTP API stage prefix @fastify/aws-lambda leaves in. */
function prepareEvent(event: HttpEvent, context: Context): HttpEvent {
  const headers: Record<string, string | undefined> = {}
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (name.toLowerCase() !== REQUEST_ID_HEADER) headers[name] = value
  }
  headers[REQUEST_ID_HEADER] = context.awsRequestId
  const multi = event.multiValueHeaders
    ? Object.fromEntries(
        Object.entries(event.multiValueHeaders).filter(
          ([name]) => name.toLowerCase() !== REQUEST_ID_HEADER,
        ),
      )
    : event.multiValueHeaders
  const stage = event.requestContext?.stage
  let rawPath = event.rawPath
  if (typeof rawPath === 'string' && stage !== undefined && stage !== '$default') {
    if (rawPath === `/${stage}`) rawPath = '/'
    else if (rawPath.startsWith(`/${stage}/`)) rawPath = rawPath.slice(stage.length + 1)
  }
  return {
    ...event,
    headers,
    multiValueHeaders: multi,
    ...(rawPath === undefined ? {} : { rawPath }),
  }
}

function badEvent(context: Context): LambdaResult {
  return {
    statusCode: 400,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'x-request-id': context.awsRequestId,
    },
    body: JSON.stringify(
      errorBody(400, 'ERR_BAD_REQUEST', 'Not an API Gateway or Function URL HTTP event'),
    ),
  }
}

/**
 * The handler for a Lambda configured from its environment (handler setting `index.handler` in a bundle). Nothing
 * is read or built until the first event.
 */
export const handler: LambdaHandler = createLambdaHandler()
