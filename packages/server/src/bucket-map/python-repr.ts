/**
 * Python's `repr()` of a str, so messages that quote group names read exactly as TEA's.
 * Covers quote choice and the common escapes; other non-printable characters become `\xNN`.
 */
export function pythonStrRepr(value: string): string {
  const quote = value.includes("'") && !value.includes('"') ? '"' : "'"
  let body = ''
  for (const ch of value) {
    if (ch === '\\' || ch === quote) body += `\\${ch}`
    else if (ch === '\n') body += '\\n'
    else if (ch === '\r') body += '\\r'
    else if (ch === '\t') body += '\\t'
    else if (ch < ' ' || ch === '\x7f')
      body += `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`
    else body += ch
  }
  return quote + body + quote
}

/** Python's `str()` of a set of str, in the set's iteration order: `{'a', 'b'}`. */
export function pythonSetRepr(values: Iterable<string>): string {
  return `{${[...values].map(pythonStrRepr).join(', ')}}`
}
