import type { FastifyReply, FastifyRequest } from 'fastify'
import { describe, expect, it } from 'vitest'
import { serializers } from './logger-options.js'

describe('log serializers', () => {
  it('req: method, redacted URL and capped headers; never cookies or Authorization', () => {
    const request = {
      method: 'GET',
      url: '/login?code=c&state=%2Fs3credentials%3Ftoken%3Dsecret',
      ip: '127.0.0.1',
      headers: {
        cookie: 'asf-urs=jwt',
        authorization: 'Bearer jwt',
        'user-agent': 'u'.repeat(1000),
        'x-origin-request-id': 'o-1',
      },
    } as unknown as FastifyRequest
    expect(serializers.req(request)).toEqual({
      method: 'GET',
      url: '/login?code=[REDACTED]&state=%2Fs3credentials%3Ftoken%3D%5BREDACTED%5D',
      remoteAddress: '127.0.0.1',
      originRequestId: 'o-1',
      userAgent: `${'u'.repeat(256)}…[1000 chars]`,
    })
  })

  it('res: the status only, never Set-Cookie', () => {
    const reply = { statusCode: 301, getHeaders: () => ({ 'set-cookie': 'x' }) }
    expect(serializers.res(reply as unknown as FastifyReply)).toEqual({ statusCode: 301 })
  })
})
