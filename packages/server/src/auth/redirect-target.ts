/**
 * The `state` sent to EDL: the path the caller asked for. With a custom domain (DOMAIN_NAME),
 * TEA strips a leading `/{STAGE_NAME}` (test `test_do_auth_and_return`); we only strip it as a
 * whole segment, so `/DEVICE/x` keeps its path.
 *
 * @example statePath('/DEV/some/path', { stageName: 'DEV', domainName: 'data.example' }) // '/some/path'
 */
export function statePath(
  path: string,
  options: { readonly stageName: string; readonly domainName?: string | undefined },
): string {
  if (options.domainName === undefined) return path
  const prefix = `/${options.stageName}`
  if (path === prefix) return '/'
  if (path.startsWith(`${prefix}/`) || path.startsWith(`${prefix}?`)) {
    const rest = path.slice(prefix.length)
    return rest.startsWith('/') ? rest : `/${rest}`
  }
  return path
}

/**
 * Where `/login` sends the browser: `state` when it is a path on this service (under the base
 * path), as an absolute URL built from the service's own origin plus the normalised path and
 * query; otherwise the base URL. Building from our origin is what closes the open redirect:
 * URL normalisation can turn `/.//evil.com` or `/%2e%2e//evil.com` into a path starting with
 * `//`, which a relative `Location` would send to another host; `https://tea.example//evil.com`
 * cannot. The final URL's origin is checked again after it is built. The early refusals
 * (backslashes, control characters, encoded `//`) stay as defence in depth.
 *
 * @example loginRedirectTarget('/s3credentials', 'https://tea.example/') // 'https://tea.example/s3credentials'
 * @example loginRedirectTarget('//evil.example', 'https://tea.example/') // 'https://tea.example/'
 */
export function loginRedirectTarget(state: string | undefined, baseUrl: string): string {
  if (state === undefined || !isPlausibleStatePath(state)) return baseUrl
  const base = new URL(baseUrl)
  let target: URL
  try {
    const normalised = new URL(state, base)
    target = new URL(`${base.origin}${normalised.pathname}${normalised.search}`)
  } catch {
    return baseUrl
  }
  const onService = target.origin === base.origin && target.pathname.startsWith(base.pathname)
  // A path that begins with `//` is no page of ours, only what an attack leaves behind.
  if (!onService || target.pathname.startsWith('//')) return baseUrl
  return target.href
}

function isPlausibleStatePath(state: string): boolean {
  if (state.length === 0 || state.length > 2048) return false
  if (!state.startsWith('/') || state.startsWith('//')) return false
  // Backslashes and control characters are read as "/" or dropped by URL parsers and browsers.
  if (state.includes('\\') || hasControlCharacter(state)) return false
  let decoded: string
  try {
    decoded = decodeURIComponent(state)
  } catch {
    return false
  }
  // A proxy that decodes once must not see a protocol-relative URL either.
  return !decoded.startsWith('//') && !decoded.startsWith('/\\')
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x20 || c === 0x7f) return true
  }
  return false
}
