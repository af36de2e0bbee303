import type { FastifyRequest } from 'fastify'
import { describe, expect, it } from 'vitest'
import { clientIp } from './client-ip.js'

const request = (
  headers: Record<string, string>,
  awsLambda?: unknown,
  socketAddress = '127.0.0.1',
): FastifyRequest =>
  ({ headers, awsLambda, socket: { remoteAddress: socketAddress } }) as unknown as FastifyRequest

describe('clientIp (TEA get_user_ip)', () => {
  it('takes the first X-Forwarded-For hop, spaces removed', () => {
    expect(clientIp(request({ 'x-forwarded-for': ' 10.0.0.1 , 52.1.2.3' }))).toBe('10.0.0.1')
  })

  it("falls back to API Gateway's sourceIp (REST and HTTP APIs), then the socket", () => {
    const rest = { event: { requestContext: { identity: { sourceIp: '34.1.2.3' } } } }
    const http = { event: { requestContext: { http: { sourceIp: '2600:1f14::1' } } } }
    expect(clientIp(request({}, rest))).toBe('34.1.2.3')
    expect(clientIp(request({}, http))).toBe('2600:1f14::1')
    expect(clientIp(request({}, undefined, '::1'))).toBe('::1')
  })
})
