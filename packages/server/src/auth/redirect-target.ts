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
 * Where `/login` sends the browser: `state` when it is a path on this service (same origin
 * and under the base path), normalised; otherwise the base URL. This closes TEA's open
 * redirect: absolute URLs, `//host`, `/\host`, `javascript:`, control characters and
 * encoded variants of those all fall back to the base URL.
 *
 * @example loginRedirectTarget('/s3credentials', 'https://tea.example/') // '/s3credentials'
 * @example loginRedirectTarget('//evil.example', 'https://tea.example/') // 'https://tea.example/'
 */
export function loginRedirectTarget(state: string | undefined, baseUrl: string): string {
  return state !== undefined && isSafeStatePath(state, baseUrl)
    ? normalise(state, baseUrl)
    : baseUrl
}

function isSafeStatePath(state: string, baseUrl: string): boolean {
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
  if (decoded.startsWith('//') || decoded.startsWith('/\\')) return false
  const base = new URL(baseUrl)
  const target = new URL(state, base)
  return target.origin === base.origin && target.pathname.startsWith(base.pathname)
}

function normalise(state: string, baseUrl: string): string {
  const target = new URL(state, baseUrl)
  return `${target.pathname}${target.search}`
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x20 || c === 0x7f) return true
  }
  return false
}
