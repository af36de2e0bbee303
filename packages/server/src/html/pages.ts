import type { UserProfile } from '../auth/user-profile.js'
import type { PageText } from '../errors.js'
import { html, link } from './html.js'
import type { SafeHtml } from './html.js'

// The stylesheet has none of &<>"' so escaping leaves it intact.
// Element ids follow TEA's templates (logincontrols, status_code, contentstring, requestid) so
// scripts and tests written against TEA pages keep working.
const STYLE = `body { font-family: sans-serif; padding: 25px }
#logincontrols { position: fixed; right: 25px; top: 25px }
#status_code { font-size: 120px; font-weight: bold; color: #999 }
footer { margin-top: 40px; color: #777; font-size: small }`

/**
 * The page skeleton every HTML response shares (TEA's base.html): title `Egress | {title}`, the
 * body, and the request id in the footer. `extraStyle` is trusted CSS from our own code.
 */
export function renderPage(
  title: string,
  body: SafeHtml,
  requestId: string,
  extraStyle = '',
): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>Egress | ${title}</title>
        <style>
          ${STYLE}${extraStyle}
        </style>
      </head>
      <body>
        ${body}
        <footer>Request ID: <span id="requestid">${requestId}</span></footer>
      </body>
    </html> `.value
}

export interface ErrorPageInput {
  readonly statusCode: number
  readonly title: string
  readonly content: readonly PageText[]
  readonly requestId: string
}

/**
 * TEA's `error.html`: title `"{status} {title}"`, the status, and the content (text escaped;
 * links rendered as real links only for http(s) URLs).
 */
export function renderErrorPage(input: ErrorPageInput): string {
  const content = input.content.map((part) =>
    typeof part === 'string' ? html`${part}` : link(part.href, part.text),
  )
  const body = html` <div id="status_code">${input.statusCode}</div>
    <div id="contentstring">${content}</div>`
  return renderPage(`${input.statusCode} ${input.title || 'Error'}`, body, input.requestId)
}

export interface RootPageInput {
  readonly title: string
  /** Shown as "Log In" when nobody is logged in. */
  readonly loginUrl?: string | undefined
  readonly logoutUrl: string
  readonly user?: UserProfile | undefined
  /** MATURITY=DEV: also show the profile from the cookie (never the token). */
  readonly showProfile?: boolean
  readonly content?: string | undefined
  readonly requestId: string
}

/** TEA's `root.html`: the login or logout link, the welcome line, and a message. */
export function renderRootPage(input: RootPageInput): string {
  const controls =
    input.loginUrl !== undefined
      ? html`<a href="${input.loginUrl}">Log In</a>`
      : html`<a href="${input.logoutUrl}">Log Out</a>`
  const { user } = input
  const body = html` <div id="logincontrols">${controls}</div>
    <h1>${input.title}</h1>
    ${user ? html` <p id="welcome">Welcome URS user ${user.firstName} ${user.lastName}.</p> ` : ''}${
      user && input.showProfile ? profileDetails(user) : ''
    }${input.content !== undefined ? html` <p id="contentstring">${input.content}</p> ` : ''}`
  return renderPage(input.title, body, input.requestId)
}

function profileDetails(user: UserProfile): SafeHtml {
  const groups = user.groups.map((g) => html`<li>${g.name} (${g.client_id})</li>`)
  return html`
    <dl id="profile">
      <dt>User ID</dt>
      <dd>${user.userId}</dd>
      <dt>Email</dt>
      <dd>${user.email}</dd>
      <dt>Groups</dt>
      <dd>
        <ul>
          ${groups}
        </ul>
      </dd>
    </dl>
  `
}
