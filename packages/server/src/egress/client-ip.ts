import type { FastifyRequest } from 'fastify'

/**
 * TEA's `get_user_ip`: the first `X-Forwarded-For` hop (spaces removed), else API Gateway's
 * `sourceIp` in Lambda, else the socket's address. The forwarded value is the client's word;
 * that is safe here because it only picks which role signs, and the in-region role's own
 * `aws:SourceIp` condition still decides where its URLs work.
 */
export function clientIp(request: FastifyRequest): string | undefined {
  const forwarded = request.headers['x-forwarded-for']
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)
    ?.replace(/ /g, '')
    .split(',')[0]
  if (first !== undefined && first !== '') return first
  return lambdaSourceIp(request) ?? request.socket.remoteAddress
}

function lambdaSourceIp(request: FastifyRequest): string | undefined {
  const holder = (request as unknown as { awsLambda?: { event?: unknown } }).awsLambda
  const context = (holder?.event as { requestContext?: Record<string, unknown> } | undefined)
    ?.requestContext
  const v1 = (context?.identity as { sourceIp?: unknown } | undefined)?.sourceIp
  const v2 = (context?.http as { sourceIp?: unknown } | undefined)?.sourceIp
  const ip = typeof v1 === 'string' ? v1 : v2
  return typeof ip === 'string' && ip !== '' ? ip : undefined
}
