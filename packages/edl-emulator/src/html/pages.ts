import type { Params } from '../http/params.js'

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

// The OAuth parameters the login form carries through as hidden fields.
const CARRIED = ['client_id', 'redirect_uri', 'response_type', 'state', 'app_type'] as const

function layout(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)} | Earthdata Login (emulator)</title></head>
<body>
<h1>${escapeHtml(title)}</h1>
${body}
</body>
</html>
`
}

/**
 * The login form: ids `username` and `password`, submit button named `commit` (as EDL's
 * form), POSTing to `/oauth/authorize` with the OAuth query carried in hidden fields.
 */
export function loginPage(params: Params, appName: string, error?: string): string {
  const hidden = CARRIED.flatMap((name) => {
    const value = params[name]
    return value === undefined
      ? []
      : [`<input type="hidden" name="${name}" value="${escapeHtml(value)}">`]
  })
  const alert = error === undefined ? '' : `<p id="error" role="alert">${escapeHtml(error)}</p>\n`
  return layout(
    'Earthdata Login',
    `<p>Log in to authorize <strong>${escapeHtml(appName)}</strong>.</p>
${alert}<form id="login" method="post" action="/oauth/authorize">
${hidden.join('\n')}
<label for="username">Username</label> <input id="username" name="username" autocomplete="username">
<label for="password">Password</label> <input id="password" name="password" type="password" autocomplete="current-password">
<input type="submit" name="commit" value="Log in">
</form>`,
  )
}

/** A title and a message: errors that cannot be redirected back (bad client_id), confirmations. */
export function messagePage(title: string, message: string): string {
  return layout(title, `<p id="message">${escapeHtml(message)}</p>`)
}

/** The EULA page behind `resolution_url`: credentials plus an Approve button. */
export function approvePage(clientId: string, appName: string, message?: string): string {
  const note = message === undefined ? '' : `<p id="message">${escapeHtml(message)}</p>\n`
  return layout(
    'Approve application',
    `<p>Accept the End User License Agreement of <strong>${escapeHtml(appName)}</strong>.</p>
${note}<form id="approve" method="post" action="/approve_app">
<input type="hidden" name="client_id" value="${escapeHtml(clientId)}">
<label for="username">Username</label> <input id="username" name="username" autocomplete="username">
<label for="password">Password</label> <input id="password" name="password" type="password" autocomplete="current-password">
<input type="submit" name="commit" value="Approve">
</form>`,
  )
}
