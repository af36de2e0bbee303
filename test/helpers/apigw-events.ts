import { readFileSync } from 'node:fs'

/**
 * API Gateway proxy events for a GET, from the recorded fixtures in test/fixtures/lambda/:
 * REST API (v1), HTTP API (v2) and Function URL (v2 shape).
 */

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(
    readFileSync(new URL(`../fixtures/lambda/${name}`, import.meta.url), 'utf8'),
  ) as Record<string, unknown>

export interface Request {
  readonly path: string
  readonly query?: Record<string, string>
  readonly headers?: Record<string, string>
  readonly cookies?: string[]
}

export function v1Event(
  { path, query, headers = {}, cookies }: Request,
  stage = 'DEV',
): Record<string, unknown> {
  const event = fixture('apigw-v1-event.json')
  const all: Record<string, string> = { ...(event.headers as Record<string, string>), ...headers }
  if (cookies) all.Cookie = cookies.join('; ')
  return {
    ...event,
    path,
    pathParameters: { proxy: path.slice(1) },
    headers: all,
    multiValueHeaders: Object.fromEntries(Object.entries(all).map(([k, v]) => [k, [v]])),
    queryStringParameters: query ?? null,
    multiValueQueryStringParameters: query
      ? Object.fromEntries(Object.entries(query).map(([k, v]) => [k, [v]]))
      : null,
    requestContext: { ...(event.requestContext as object), path: `/${stage}${path}`, stage },
  }
}

export function v2Event(
  { path, query, headers = {}, cookies }: Request,
  file = 'apigw-v2-event.json',
  stage = '$default',
): Record<string, unknown> {
  const event = fixture(file)
  const rawPath = stage === '$default' ? path : `/${stage}${path}`
  const ctx = event.requestContext as Record<string, unknown>
  return {
    ...event,
    rawPath,
    rawQueryString: new URLSearchParams(query).toString(),
    ...(query ? { queryStringParameters: query } : {}),
    ...(cookies ? { cookies } : {}),
    headers: {
      ...(event.headers as object),
      ...Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
    },
    requestContext: { ...ctx, stage, http: { ...(ctx.http as object), path: rawPath } },
  }
}
