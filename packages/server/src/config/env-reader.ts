export type Env = Readonly<Record<string, string | undefined>>

/**
 * Typed readers over the environment that never throw: each bad value is recorded in
 * `problems` as `NAME: what was wrong` and a fallback is returned, so loadConfig can report
 * every problem at once. Empty strings count as unset (CloudFormation passes "" for blanks).
 */
export class EnvReader {
  readonly problems: string[] = []
  private readonly env: Env

  constructor(env: Env) {
    this.env = env
  }

  /** The raw value ('' counts as unset). */
  raw(name: string): string | undefined {
    const value = this.env[name]
    return value === undefined || value === '' ? undefined : value
  }

  problem(name: string, what: string): void {
    this.problems.push(`${name}: ${what}`)
  }

  text(name: string, fallback: string, pattern?: { re: RegExp; what: string }): string {
    const value = this.raw(name)
    if (value === undefined) return fallback
    if (pattern && !pattern.re.test(value)) {
      this.problem(name, `must be ${pattern.what} (got "${printable(value)}")`)
      return fallback
    }
    return value
  }

  optionalText(name: string, pattern?: { re: RegExp; what: string }): string | undefined {
    const value = this.raw(name)
    if (value === undefined) return undefined
    if (pattern && !pattern.re.test(value)) {
      this.problem(name, `must be ${pattern.what} (got "${printable(value)}")`)
      return undefined
    }
    return value
  }

  /** An absolute http(s) URL without query or fragment, returned without a trailing slash. */
  url(name: string, fallback?: string): string | undefined {
    const value = this.raw(name) ?? fallback
    if (value === undefined) return undefined
    let url: URL
    try {
      url = new URL(value)
    } catch {
      this.problem(name, `must be an absolute http(s) URL (got "${printable(value)}")`)
      return undefined
    }
    if (
      (url.protocol !== 'https:' && url.protocol !== 'http:') ||
      url.search ||
      url.hash ||
      url.username
    ) {
      this.problem(
        name,
        `must be an http(s) URL without credentials, query or fragment (got "${printable(value)}")`,
      )
      return undefined
    }
    return url.href.replace(/\/+$/, '')
  }

  number(
    name: string,
    fallback: number,
    range: { min?: number; max?: number; integer?: boolean; exclusiveMin?: number },
  ): number {
    const value = this.raw(name)
    if (value === undefined) return fallback
    const n = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(value)
      ? Number(value)
      : Number.NaN
    const bad =
      !Number.isFinite(n) ||
      (range.integer === true && !Number.isInteger(n)) ||
      (range.min !== undefined && n < range.min) ||
      (range.max !== undefined && n > range.max) ||
      (range.exclusiveMin !== undefined && n <= range.exclusiveMin)
    if (bad) {
      this.problem(name, `must be ${describeRange(range)} (got "${printable(value)}")`)
      return fallback
    }
    return n
  }

  /** TEA compares `.lower() == "true"`; we also accept "false" and refuse anything else. */
  bool(name: string, fallback: boolean): boolean {
    const value = this.raw(name)
    if (value === undefined) return fallback
    const lower = value.trim().toLowerCase()
    if (lower === 'true') return true
    if (lower === 'false') return false
    this.problem(name, `must be "true" or "false" (got "${printable(value)}")`)
    return fallback
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name)
    if (value === undefined) return fallback
    const found = allowed.find((candidate) => candidate === value)
    if (found === undefined) {
      this.problem(name, `must be one of ${allowed.join(', ')} (got "${printable(value)}")`)
      return fallback
    }
    return found
  }
}

function describeRange(range: {
  min?: number
  max?: number
  integer?: boolean
  exclusiveMin?: number
}): string {
  const kind = range.integer === true ? 'an integer' : 'a number'
  if (range.exclusiveMin !== undefined) return `${kind} greater than ${range.exclusiveMin}`
  if (range.min !== undefined && range.max !== undefined)
    return `${kind} from ${range.min} to ${range.max}`
  if (range.min !== undefined) return `${kind} of at least ${range.min}`
  return kind
}

/** Values are quoted in messages, shortened and stripped of control characters. */
function printable(value: string): string {
  const clean = Array.from(value, (c) => (c.charCodeAt(0) < 0x20 || c === '\x7f' ? '?' : c)).join(
    '',
  )
  return clean.length > 80 ? `${clean.slice(0, 77)}...` : clean
}
