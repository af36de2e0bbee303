import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

// Printable ASCII without spaces, bounded, so an echoed id cannot bloat or break a header.
const USABLE_ID = /^[\x21-\x7e]{1,200}$/

/**
 * Fastify `genReqId`: the caller's `X-Request-Id` when it is a sane value (EDL clients send
 * one for log correlation), else a new UUID. The app echoes it on every response.
 */
export function requestIdFor(req: IncomingMessage): string {
  const given = req.headers['x-request-id']
  return typeof given === 'string' && USABLE_ID.test(given) ? given : randomUUID()
}
