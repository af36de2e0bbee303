/** A bad argument or option: printed without a stack and mapped to exit code 2. */
export class UsageError extends Error {
  readonly code = 'ERR_USAGE'
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

/** `Error: <message> (<code>)`, plus the stack with --verbose. Messages never carry secrets. */
export function describeError(err: unknown, verbose: boolean): string {
  if (!(err instanceof Error)) return `Error: ${String(err)}\n`
  const code = (err as { code?: unknown }).code
  const suffix = typeof code === 'string' ? ` (${code})` : ''
  const stack = verbose && err.stack ? `\n${err.stack}` : ''
  return `Error: ${err.message}${suffix}${stack}\n`
}
