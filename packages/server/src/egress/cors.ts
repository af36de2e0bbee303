/**
 * TEA's `is_cors_allowed`, fixed: the request's Origin is allowed when CORS_ORIGIN is set and
 * the origin's host is CORS_ORIGIN or ends with it on a label boundary (`.example.org`), or the
 * origin is `null` (sandboxed frames and file: pages, as TEA allows). TEA's raw suffix check let
 * `https://evilexample.org` through for `example.org` (docs/decisions.md).
 *
 * @example corsAllowed('https://search.earthdata.nasa.gov', 'earthdata.nasa.gov') // true
 */
export function corsAllowed(origin: string | undefined, corsOrigin: string | undefined): boolean {
  if (origin === undefined || corsOrigin === undefined || corsOrigin === '') return false
  if (origin.toLowerCase() === 'null') return true
  let host: string
  try {
    host = new URL(origin).hostname.toLowerCase()
  } catch {
    return false
  }
  const suffix = corsOrigin.toLowerCase().replace(/^\./, '')
  return host === suffix || host.endsWith(`.${suffix}`)
}

/** TEA's CORS headers for an allowed origin (redirects and preflights). */
export function corsHeaders(
  origin: string | undefined,
  corsOrigin: string | undefined,
): Record<string, string> {
  if (origin === undefined || !corsAllowed(origin, corsOrigin)) return {}
  return { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true' }
}
