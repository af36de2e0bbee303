/** Attributes we add to TEA's `Set-Cookie` (see docs/decisions.md "Cookie attributes"). */
export interface CookieAttributes {
  /** `Domain=` (COOKIE_DOMAIN); omitted when undefined, as TEA does. */
  readonly domain?: string | undefined
  /** Adds `Secure`. Default on; COOKIE_SECURE=false turns it off for plain-http local use. */
  readonly secure: boolean
}

/** Browsers drop cookies larger than this (name + value + attributes, RFC 6265 §6.1). */
export const MAX_COOKIE_BYTES = 4096

/**
 * The value of cookie `name` in a `Cookie` request header, or undefined. The first occurrence
 * wins (browsers send the most specific path first); surrounding double quotes are removed.
 *
 * @example readCookie('a=1; asf-urs=eyJ…', 'asf-urs') // 'eyJ…'
 */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined || header === '') return undefined
  // Scanned in place rather than split: this runs on every authenticated request, and most
  // headers hold one or two cookies. `eq` is reused across parts so that a header of many
  // parts without `=` stays linear.
  let eq = -1
  for (let start = 0; start <= header.length;) {
    let end = header.indexOf(';', start)
    if (end < 0) end = header.length
    if (eq < start) eq = header.indexOf('=', start)
    if (eq < 0) return undefined
    if (eq < end && header.slice(start, eq).trim() === name) {
      const value = header.slice(eq + 1, end).trim()
      return value.length >= 2 && value.startsWith('"') && value.endsWith('"')
        ? value.slice(1, -1)
        : value
    }
    start = end + 1
  }
  return undefined
}

/**
 * TEA's session `Set-Cookie` (rain-api-core `get_header_to_set_auth_cookie`), attribute order
 * kept: `name=<jwt>; Expires=<RFC 7231 date>; Path=/[; Domain=…]`, then our additions
 * `; HttpOnly[; Secure]; SameSite=Lax`.
 *
 * @example sessionSetCookie('asf-urs', jwt, 1700000000, { secure: true })
 */
export function sessionSetCookie(
  name: string,
  token: string,
  expiresAt: number,
  attrs: CookieAttributes,
): string {
  return `${name}=${token}; Expires=${httpDate(expiresAt)}; Path=/${suffix(attrs)}`
}

/** TEA's logout cookie: value `expired`, `Expires` at the epoch. */
export function logoutSetCookie(name: string, attrs: CookieAttributes): string {
  return `${name}=expired; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/${suffix(attrs)}`
}

/** RFC 7231 IMF-fixdate of an epoch-seconds instant, e.g. `Thu, 01 Jan 1970 00:00:01 GMT`. */
export function httpDate(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toUTCString()
}

function suffix(attrs: CookieAttributes): string {
  const domain = attrs.domain ? `; Domain=${attrs.domain}` : ''
  return `${domain}; HttpOnly${attrs.secure ? '; Secure' : ''}; SameSite=Lax`
}

/**
 * The login-binding cookie (`auth/login-binding.ts`): host-only, scoped to the `/login` path,
 * gone after `maxAgeSeconds`. SameSite=Lax still sends it on EDL's top-level redirect back.
 *
 * @example loginBindingSetCookie('tea-login', v, '/login', 600, true) // 'tea-login=v; Max-Age=600; Path=/login; HttpOnly; Secure; SameSite=Lax'
 */
export function loginBindingSetCookie(
  name: string,
  value: string,
  path: string,
  maxAgeSeconds: number,
  secure: boolean,
): string {
  return `${name}=${value}; Max-Age=${maxAgeSeconds}; Path=${path}; HttpOnly${secure ? '; Secure' : ''}; SameSite=Lax`
}
