const JWT_LIKE = /eyJ[\w-]*\.[\w-]+\.[\w-]*/g
const MAX_LENGTH = 200

/**
 * Extracts a human-readable reason from an error body (`error_description`, `message` or
 * `error` of a JSON object) so that messages can quote the server. The text is untrusted: it is
 * cut to 200 characters, stripped of control characters, and any `secrets` (the EDL token) or
 * JWT-looking strings are replaced by `[redacted]`. Returns `undefined` for HTML or other bodies.
 */
export function serverMessage(body: string, secrets: readonly string[]): string | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    return undefined
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined
  const record = parsed as Record<string, unknown>
  const raw = [record.error_description, record.message, record.error].find(
    (v): v is string => typeof v === 'string' && v.trim() !== '',
  )
  if (raw === undefined) return undefined
  // eslint-disable-next-line no-control-regex -- stripping control characters is the point
  let text = raw.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim()
  for (const secret of secrets) if (secret) text = text.split(secret).join('[redacted]')
  text = text.replace(JWT_LIKE, '[redacted]')
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH - 1)}…` : text
}
