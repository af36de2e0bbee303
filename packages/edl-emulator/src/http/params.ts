/** Request parameters as plain strings, read from untrusted query and body values. */
export type Params = Readonly<Record<string, string | undefined>>

/**
 * Merges the string-valued fields of each source (later sources win). Repeated or non-string
 * fields (arrays, objects from JSON bodies) are dropped, so handlers only ever see strings.
 *
 * @example
 * const params = readParams(req.query, req.body)
 */
export function readParams(...sources: unknown[]): Params {
  const params: Record<string, string> = Object.create(null)
  for (const source of sources) {
    if (source === null || typeof source !== 'object' || Array.isArray(source)) continue
    for (const [key, value] of Object.entries(source)) {
      if (typeof value === 'string') params[key] = value
    }
  }
  return params
}
