/** A login and password found in a .netrc file. */
export interface NetrcCredentials {
  readonly login: string
  readonly password: string
}

// The format is a handful of keywords; a dependency for it (the npm `netrc` packages are
// unmaintained and parse more than we need) would cost more than these lines. We follow GNU
// inetutils / curl / Python: whitespace-separated tokens, "double-quoted" tokens with \
// escapes, `macdef` bodies run to the next blank line, `#` at the start of a line is a comment.
function tokenize(text: string): string[] {
  const tokens: string[] = []
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ''
    if (/^\s*#/.test(line)) continue
    const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g
    for (let m = re.exec(line); m; m = re.exec(line)) {
      tokens.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? ''))
      if (m[2] === 'macdef') {
        // The macro's name is the next token on this line; its body is skipped.
        const name = re.exec(line)
        if (name) tokens.push(name[1] ?? name[2] ?? '')
        while (i + 1 < lines.length && (lines[i + 1] ?? '').trim() !== '') i++
        break
      }
    }
  }
  return tokens
}

/**
 * Finds the login and password for `machine` in the text of a .netrc file: the first `machine`
 * entry with that exact name, else the `default` entry. Returns `undefined` when neither has
 * both a login and a password.
 *
 * @example
 * ```ts
 * lookupNetrc('machine urs.earthdata.nasa.gov login alice password s3cret', 'urs.earthdata.nasa.gov')
 * // { login: 'alice', password: 's3cret' }
 * ```
 */
export function lookupNetrc(text: string, machine: string): NetrcCredentials | undefined {
  const tokens = tokenize(text)
  let current: { name: string | null; login?: string; password?: string } | undefined
  let fallback: NetrcCredentials | undefined
  const settle = (): NetrcCredentials | undefined => {
    if (!current || current.login === undefined || current.password === undefined) return undefined
    const found = { login: current.login, password: current.password }
    if (current.name === machine) return found
    if (current.name === null && !fallback) fallback = found
    return undefined
  }
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]
    const value = tokens[i + 1]
    if (token === 'machine' || token === 'default') {
      const found = settle()
      if (found) return found
      current = { name: token === 'default' ? null : (value ?? '') }
      if (token === 'machine') i++
    } else if (token === 'macdef') {
      i++
    } else if (current && value !== undefined && (token === 'login' || token === 'password')) {
      current[token] = value
      i++
    } else if (current && value !== undefined && token === 'account') {
      i++
    }
  }
  return settle() ?? fallback
}
