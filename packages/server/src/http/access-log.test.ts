import fc from 'fast-check'
import Fastify from 'fastify'
import { describe, expect, it } from 'vitest'
import {
  AccessLogController,
  addLogFields,
  jsonString,
  lazyChildLogger,
  registerAccessLog,
} from './access-log.js'

/** A Fastify app with the access log, as app.ts wires it; `lines` collects what is written. */
async function appAt(level: string) {
  const lines: string[] = []
  const stream = { write: (line: string) => void lines.push(line) }
  const app = Fastify({
    logger: { level, stream },
    logController: new AccessLogController(stream),
    childLoggerFactory: lazyChildLogger,
  })
  registerAccessLog(app)
  app.get('/x', async (request) => {
    addLogFields(request, { userId: 'a"b\\c\n', n: 1 })
    addLogFields(request, { ok: true, skipped: undefined })
    request.log.debug('from the route')
    return 'ok'
  })
  return { app, lines }
}

describe('AccessLogController', () => {
  it('writes one JSON line per request with the fields routes added, escaped', async () => {
    const { app, lines } = await appAt('info')
    await app.inject({ url: '/x?token=t', headers: { 'user-agent': 'u' } })
    expect(lines).toHaveLength(1)
    expect(JSON.parse(lines[0] as string)).toEqual({
      level: 30,
      time: expect.any(Number),
      pid: process.pid,
      hostname: expect.any(String),
      reqId: 'req-1',
      method: 'GET',
      url: '/x?token=[REDACTED]',
      statusCode: 200,
      responseTime: expect.any(Number),
      remoteAddress: '127.0.0.1',
      userAgent: 'u',
      userId: 'a"b\\c\n',
      n: 1,
      ok: true,
      msg: 'request completed',
    })
  })

  it('writes nothing below info, and lets request.log work at the level set', async () => {
    const quiet = await appAt('warn')
    await quiet.app.inject({ url: '/x' })
    expect(quiet.lines).toEqual([])
    const debug = await appAt('debug')
    await debug.app.inject({ url: '/x' })
    expect(debug.lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual([
      'from the route',
      'request completed',
    ])
  })
})

describe('jsonString', () => {
  it.each([
    '',
    'plain',
    'a"b',
    'back\\slash',
    'nl\n',
    '\u0000\u001f\u007f',
    'é 😀',
    '\ud800',
    'x\udfffy',
  ])('%j is quoted as JSON.stringify quotes it', (text) => {
    expect(jsonString(text)).toBe(JSON.stringify(text))
  })

  it('agrees with JSON.stringify on any string', () => {
    // Any UTF-16 code units: lone surrogates and controls included.
    const unit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c))
    fc.assert(
      fc.property(fc.string({ unit }), (text) => {
        expect(jsonString(text)).toBe(JSON.stringify(text))
      }),
      { numRuns: 2000 },
    )
  })
})
