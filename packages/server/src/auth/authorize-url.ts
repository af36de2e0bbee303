export interface AuthorizeUrlInput {
  /** AUTH_BASE_URL, no trailing slash. */
  readonly authBaseUrl: string
  readonly clientId: string
  /** `{base URL}login`. */
  readonly redirectUri: string
  /** Where to come back to after login (a path on this service); omitted on the `/` login link. */
  readonly state?: string | undefined
  /** The caller's User-Agent; undefined when the header is absent. */
  readonly userAgent: string | undefined
}

/**
 * EDL's authorize URL as TEA builds it (rain-api-core `get_urs_url`), with every value
 * URL-encoded (TEA leaves `redirect_uri` raw). `app_type=401` is added for a User-Agent that
 * does not start with "Mozilla" (case-sensitive; an empty one counts), so EDL answers scripts
 * with 401 + Basic instead of a login page; an absent User-Agent gets none, as in TEA.
 *
 * @example
 * buildAuthorizeUrl({ authBaseUrl: 'https://urs.earthdata.nasa.gov', clientId: 'abc',
 *   redirectUri: 'https://tea.example/login', state: '/s3credentials', userAgent: 'curl/8' })
 * // 'https://urs.earthdata.nasa.gov/oauth/authorize?client_id=abc&response_type=code&redirect_uri=https%3A%2F%2Ftea.example%2Flogin&state=%2Fs3credentials&app_type=401'
 */
export function buildAuthorizeUrl(input: AuthorizeUrlInput): string {
  let url =
    `${input.authBaseUrl}/oauth/authorize?client_id=${encodeURIComponent(input.clientId)}` +
    `&response_type=code&redirect_uri=${encodeURIComponent(input.redirectUri)}`
  if (input.state !== undefined) url += `&state=${encodeURIComponent(input.state)}`
  if (input.userAgent !== undefined && !input.userAgent.startsWith('Mozilla'))
    url += '&app_type=401'
  return url
}

/** TEA `check_for_browser`: a User-Agent that starts with "mozilla", any case. */
export function isBrowser(userAgent: string | undefined): boolean {
  return userAgent !== undefined && userAgent.toLowerCase().startsWith('mozilla')
}
