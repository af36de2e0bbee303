/**
 * Compiles an IAM resource/`StringLike` pattern to a RegExp: `*` matches any run of characters
 * (slashes included), `?` one character, and `${*}`, `${?}`, `${$}` the literal character.
 * Other `${…}` policy variables are not supported (a tea-ts policy never contains them).
 */
export function iamPattern(pattern: string): RegExp {
  const cached = compiled.get(pattern)
  if (cached !== undefined) return cached
  // Bounded: patterns come from policies, and a long-running caller must not grow this forever.
  if (compiled.size >= 1000) compiled.clear()
  const regexp = compile(pattern)
  compiled.set(pattern, regexp)
  return regexp
}

const compiled = new Map<string, RegExp>()

function compile(pattern: string): RegExp {
  let source = ''
  for (let i = 0; i < pattern.length;) {
    const escaped = /^\$\{([*?$])\}/.exec(pattern.slice(i))
    if (escaped !== null) {
      source += `\\${escaped[1]}`
      i += escaped[0].length
      continue
    }
    const ch = pattern.codePointAt(i) ?? 0
    const text = String.fromCodePoint(ch)
    if (text === '$' && pattern[i + 1] === '{') {
      throw new TypeError(`unsupported IAM policy variable in ${JSON.stringify(pattern)}`)
    }
    source +=
      text === '*' ? '.*' : text === '?' ? '.' : text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&')
    i += text.length
  }
  return new RegExp(`^${source}$`, 'su')
}
