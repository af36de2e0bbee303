/** A parsed `Authorization` header. */
export type Authorization =
  | { readonly scheme: 'basic'; readonly user: string; readonly password: string }
  | { readonly scheme: 'bearer'; readonly token: string }
  | { readonly scheme: 'none' }
  | { readonly scheme: 'malformed' }

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/

/**
 * Parses `Authorization: Basic …` / `Bearer …` without ever throwing: bad base64, a missing
 * colon or an unknown scheme give `malformed`, an absent header gives `none`.
 *
 * @example
 * parseAuthorization('Basic ZGVtbzpwYXNz') // { scheme: 'basic', user: 'demo', password: 'pass' }
 */
export function parseAuthorization(header: string | string[] | undefined): Authorization {
  if (header === undefined || header === '') return { scheme: 'none' }
  if (Array.isArray(header)) return { scheme: 'malformed' }
  const match = /^([A-Za-z]+) +(\S+) *$/.exec(header)
  if (match === null) return { scheme: 'malformed' }
  const [, scheme = '', value = ''] = match
  switch (scheme.toLowerCase()) {
    case 'basic':
      return parseBasic(value)
    case 'bearer':
      return TOKEN68.test(value) ? { scheme: 'bearer', token: value } : { scheme: 'malformed' }
    default:
      return { scheme: 'malformed' }
  }
}

/** Decodes `base64(user:password)`; also used for Cumulus's `credentials` form field. */
export function parseBasic(value: string): Authorization {
  if (!BASE64.test(value) || value.length % 4 === 1) return { scheme: 'malformed' }
  const decoded = Buffer.from(value, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 1) return { scheme: 'malformed' }
  return { scheme: 'basic', user: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
}
