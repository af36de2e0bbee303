/** What replaces a secret value in a logged URL or query string. */
export const REDACTED = '[REDACTED]'

// Query names whose values must not reach logs: the OAuth code, anything named like a token,
// secret or signature (`X-Amz-Security-Token`, `X-Amz-Signature` of a presigned URL), passwords.
const SECRET_NAME = /^(code|.*token.*|.*secret.*|.*signature.*|.*password.*)$/i

// A value is looked into (decoded, then parsed as a path?query or a query) this many levels
// deep: `state=%2Fs3credentials%3Ftoken%3D…` is one level, the same encoded twice is two.
const MAX_DEPTH = 3

/**
 * The URL with the values of secret query parameters replaced by `[REDACTED]`, for logging.
 * Values that are themselves URLs or query strings (TEA's `state`, a `redirect`), URL-encoded
 * once or twice, are looked into too; a value that held a secret is logged decoded once and
 * re-encoded, with the secret replaced.
 *
 * @example redactUrl('/login?code=abc&state=%2Fs3credentials%3Ftoken%3Dxyz')
 *   // '/login?code=[REDACTED]&state=%2Fs3credentials%3Ftoken%3D%5BREDACTED%5D'
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?')
  // Most requests have no query string: leave them untouched and allocate nothing.
  if (q < 0) return url
  const query = redactQuery(url.slice(q + 1), 0)
  return query === null ? url : `${url.slice(0, q + 1)}${query}`
}

/** The query with secrets redacted, or null when it held none. */
function redactQuery(query: string, depth: number): string | null {
  const pairs = query.split('&')
  let changed = false
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i] as string
    const eq = pair.indexOf('=')
    if (eq < 0) continue
    const name = pair.slice(0, eq)
    if (SECRET_NAME.test(decodeFully(name))) {
      pairs[i] = `${name}=${REDACTED}`
      changed = true
      continue
    }
    const inner = depth < MAX_DEPTH ? redactNested(pair.slice(eq + 1), depth + 1) : null
    if (inner !== null) {
      pairs[i] = `${name}=${encodeURIComponent(inner)}`
      changed = true
    }
  }
  return changed ? pairs.join('&') : null
}

/**
 * Looks into a query value: decodes it (as often as it stays encoded, up to the depth limit)
 * until it reads as `path?query` or `a=b&…`, and redacts that. Null when it held no secret.
 */
function redactNested(value: string, depth: number): string | null {
  // Fast path: a value with no `%`, `=` or `?` cannot hide a query.
  if (!/[%=?]/.test(value)) return null
  let text = value
  for (let level = depth; level <= MAX_DEPTH; level++) {
    const decoded = decodeOnce(text)
    if (decoded === null) return null
    text = decoded
    const q = text.indexOf('?')
    if (q >= 0) {
      const query = redactQuery(text.slice(q + 1), level)
      return query === null ? null : `${text.slice(0, q + 1)}${query}`
    }
    if (text.includes('=')) return redactQuery(text, level)
    if (!text.includes('%')) return null
  }
  return null
}

function decodeOnce(text: string): string | null {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '))
  } catch {
    return null
  }
}

/** A parameter name decoded until it no longer changes (`%2563ode` is still `code`). */
function decodeFully(name: string): string {
  let text = name
  for (let i = 0; i <= MAX_DEPTH && text.includes('%'); i++) {
    const decoded = decodeOnce(text)
    if (decoded === null || decoded === text) break
    text = decoded
  }
  return text
}
