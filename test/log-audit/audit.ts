import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

/**
 * The log audit's check, pure and on files. Logs are `*.log` files (any text; JSON lines from
 * pino); the secrets registry is `secrets-*.txt` files with one JSON string per line (see
 * `log-capture.ts`).
 */

/** One secret found in one log line. Never holds the secret itself, only a hint of it. */
export interface Leak {
  readonly file: string
  readonly line: number
  /** What matched: a registered secret (first 4 characters and its length) or a pattern name. */
  readonly what: string
}

export interface AuditResult {
  readonly logFiles: number
  readonly logLines: number
  readonly secrets: number
  readonly leaks: readonly Leak[]
}

/** Shorter values are too likely to occur by chance (`pw`, `abc`) to be checked by value. */
export const MIN_SECRET_LENGTH = 8

/**
 * Shapes that are secrets whoever minted them: a JWT (TEA's cookie, EDL's tokens) and the
 * values of AWS secret keys and session tokens in JSON. A log line never needs to hold any.
 */
const PATTERNS: readonly (readonly [string, RegExp])[] = [
  ['a JWT', /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/],
  [
    'an AWS secret key or session token',
    /"(?:secretAccessKey|SecretAccessKey|sessionToken|SessionToken)"\s*:\s*"(?!\[REDACTED\])[^"]/,
  ],
]

/** Every form in which `secret` could appear in a log line: as is, JSON-escaped, URL-encoded. */
function formsOf(secret: string): string[] {
  const forms = new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)])
  forms.add(encodeURIComponent(encodeURIComponent(secret)))
  return [...forms]
}

function hint(secret: string): string {
  return `secret ${JSON.stringify(secret.slice(0, 4))}… (${secret.length} chars)`
}

/**
 * A secret leaks also when only part of it is logged (a cookie cut to fit a line). Each secret
 * is checked whole and as 16-character pieces at multiples of 16 (plus its last 16): any 31 or
 * more consecutive characters of it contain one whole piece.
 */
export const PIECE = 16

/** The leaks of `secrets` (and of the secret shapes above) in `logs`. */
export function findLeaks(
  logs: readonly { readonly file: string; readonly text: string }[],
  secrets: Iterable<string>,
): Leak[] {
  const whole: { forms: string[]; what: string }[] = []
  const pieces = new Map<string, string>()
  for (const secret of new Set(secrets)) {
    if (secret.length < MIN_SECRET_LENGTH) continue
    const forms = formsOf(secret)
    whole.push({ forms, what: hint(secret) })
    for (const form of forms) {
      if (form.length < 2 * PIECE) continue
      for (let i = 0; i + PIECE <= form.length; i += PIECE) {
        pieces.set(form.slice(i, i + PIECE), `part of ${hint(secret)}`)
      }
      pieces.set(form.slice(-PIECE), `part of ${hint(secret)}`)
    }
  }
  const leaks: Leak[] = []
  for (const { file, text } of logs) {
    const lines = text.split('\n')
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] as string
      if (line === '') continue
      const found = new Set<string>()
      for (const secret of whole) {
        if (secret.forms.some((form) => line.includes(form))) found.add(secret.what)
      }
      if (found.size === 0) {
        for (let j = 0; j + PIECE <= line.length; j++) {
          const what = pieces.get(line.slice(j, j + PIECE))
          if (what !== undefined) {
            found.add(what)
            break
          }
        }
      }
      for (const [what, pattern] of PATTERNS) if (pattern.test(line)) found.add(what)
      for (const what of found) leaks.push({ file, line: i + 1, what })
    }
  }
  return leaks
}

/** Reads the secrets registry files of `dir`. */
export function readSecrets(dir: string): string[] {
  const secrets: string[] = []
  for (const name of readdirSync(dir)) {
    if (!/^secrets-.*\.txt$/.test(name)) continue
    for (const line of readFileSync(join(dir, name), 'utf8').split('\n')) {
      if (line !== '') secrets.push(JSON.parse(line) as string)
    }
  }
  return secrets
}

/**
 * Audits every `*.log` file in `dir` against the registry in `dir` plus `extraSecrets`.
 * Throws when there is nothing to audit: an audit of no logs would pass whatever happened.
 */
export function auditDirectory(dir: string, extraSecrets: readonly string[] = []): AuditResult {
  const logs = readdirSync(dir)
    .filter((name) => name.endsWith('.log'))
    .sort()
    .map((name) => ({ file: name, text: readFileSync(join(dir, name), 'utf8') }))
  const logLines = logs.reduce((n, l) => n + l.text.split('\n').filter(Boolean).length, 0)
  if (logLines === 0) {
    throw new Error(`log audit: no log lines in ${dir}; do the test servers log there?`)
  }
  const secrets = [...readSecrets(dir), ...extraSecrets]
  if (secrets.length === 0) {
    throw new Error(`log audit: no secrets registered in ${dir}; do the fixtures record them?`)
  }
  return {
    logFiles: logs.length,
    logLines,
    secrets: secrets.length,
    leaks: findLeaks(logs, secrets),
  }
}
