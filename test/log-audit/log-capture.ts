import { mkdirSync, openSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import type { FastifyBaseLogger, FastifyPluginAsync } from 'fastify'
import fp from 'fastify-plugin'
import { pino } from 'pino'
import type { LogLevel } from '@tea-ts/server'

/**
 * Log capture for every server a test starts, and the registry of secrets the tests mint or
 * receive: the two inputs of the log audit (audit.ts, run last by scripts/test.sh).
 *
 * - `captureLog(name)`: a log destination. Lines are parsed into `lines` for the test's own
 *   assertions and, when TEA_TEST_LOG_DIR is set (scripts/test.sh sets it), appended to a file
 *   there that the audit reads.
 * - `serverLog(name)`: `AppDeps['log']` for buildApp/startServer, at debug.
 * - `emulatorLogger(name)`: the same for the EDL emulator (its `logger` option).
 * - `keepLog(name, text)`: a log a server process wrote to a file of its own (`tea serve`).
 * - `recordSecrets(...)`: adds values to the registry. `recordSecretsPlugin` does it for an
 *   egress app: cookies and bearer tokens it receives, `code`s, Set-Cookie values and vended
 *   credentials it sends.
 *
 * Without TEA_TEST_LOG_DIR nothing is written; capture into `lines` still works.
 */
export const LOG_DIR_VARIABLE = 'TEA_TEST_LOG_DIR'

export interface CapturedLog {
  /** Every line, parsed (lines that are not JSON are kept as `{ text }`). */
  readonly lines: Record<string, unknown>[]
  /** Give this to the logger. */
  readonly stream: { write(line: string): void }
  /** All lines as written. */
  text(): string
}

let files = 0

function logDir(): string | undefined {
  const dir = process.env[LOG_DIR_VARIABLE]
  if (dir === undefined || dir === '') return undefined
  mkdirSync(dir, { recursive: true })
  return dir
}

/** A new log file in the audit directory (`<name>-<pid>-<n>.log`), or undefined. */
function openLogFile(name: string): number | undefined {
  const dir = logDir()
  if (dir === undefined) return undefined
  const safe = name.replace(/[^A-Za-z0-9_.-]/g, '_')
  return openSync(join(dir, `${safe}-${process.pid}-${++files}.log`), 'a')
}

export function captureLog(name: string): CapturedLog {
  const lines: Record<string, unknown>[] = []
  const raw: string[] = []
  const fd = openLogFile(name)
  return {
    lines,
    text: () => raw.join(''),
    stream: {
      write(line: string) {
        raw.push(line)
        if (fd !== undefined) writeSync(fd, line)
        for (const one of line.split('\n')) {
          if (one === '') continue
          try {
            lines.push(JSON.parse(one) as Record<string, unknown>)
          } catch {
            lines.push({ text: one })
          }
        }
      },
    },
  }
}

/** Keeps a log a server wrote elsewhere (a `tea serve` process's own log file) for the audit. */
export function keepLog(name: string, text: string): void {
  const fd = openLogFile(name)
  if (fd !== undefined) writeSync(fd, text)
}

/** `AppDeps['log']` for a test server: captured and kept for the audit, at `level`. */
export function serverLog(
  name: string,
  level: LogLevel = 'debug',
): { readonly stream: CapturedLog['stream']; readonly level: LogLevel } {
  return { stream: captureLog(name).stream, level }
}

/** A pino logger at debug for the EDL emulator's `logger` option, kept for the audit. */
export function emulatorLogger(name = 'edl-emulator'): FastifyBaseLogger {
  return pino({ level: 'debug' }, captureLog(name).stream)
}

let secretsFd: number | undefined | null = null

/** Adds values to the registry the audit checks every log against (empty values are skipped). */
export function recordSecrets(...values: readonly (string | null | undefined)[]): void {
  if (secretsFd === null) {
    const dir = logDir()
    secretsFd =
      dir === undefined ? undefined : openSync(join(dir, `secrets-${process.pid}.txt`), 'a')
  }
  if (secretsFd === undefined) return
  for (const value of values) {
    if (value !== undefined && value !== null && value !== '') {
      writeSync(secretsFd, `${JSON.stringify(value)}\n`)
    }
  }
}

const SECRET_FIELDS = [
  'secretAccessKey',
  'sessionToken',
  'access_token',
  'refresh_token',
  'id_token',
] as const

/**
 * Registers the secrets an egress app sees: cookie values and bearer tokens in requests, the
 * OAuth `code`, and the Set-Cookie values and credentials in responses. fastify-plugin lifts
 * the hooks to the root, so they see every route. Hooks are added only when TEA_TEST_LOG_DIR
 * is set.
 */
export const recordSecretsPlugin: FastifyPluginAsync = fp(async (app) => {
  // Outside an audited run (benchmarks, a single test file) this adds no hooks at all.
  if (logDir() === undefined) return
  app.addHook('onRequest', async (request) => {
    const { cookie, authorization } = request.headers
    if (cookie !== undefined) recordSecrets(...cookieValues(cookie))
    if (authorization !== undefined) recordSecrets(authorization.replace(/^\S+\s+/, ''))
    const code = (request.query as Record<string, unknown> | undefined)?.code
    if (typeof code === 'string') recordSecrets(code)
  })
  app.addHook('onSend', async (_request, reply, payload) => {
    const setCookie = reply.getHeader('set-cookie')
    for (const header of [setCookie].flat()) {
      if (typeof header === 'string') recordSecrets(...cookieValues(header.split(';', 1)[0] ?? ''))
    }
    if (typeof payload === 'string' && SECRET_FIELDS.some((f) => payload.includes(`"${f}"`))) {
      try {
        const body = JSON.parse(payload) as Record<string, unknown>
        recordSecrets(...SECRET_FIELDS.map((f) => (typeof body[f] === 'string' ? body[f] : '')))
      } catch {
        // not JSON: nothing to record
      }
    }
    return payload
  })
})

function cookieValues(header: string): string[] {
  return header
    .split(';')
    .map((pair) => pair.slice(pair.indexOf('=') + 1).trim())
    .filter((value) => value.length > 0)
}
