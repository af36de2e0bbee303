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

/** A library's misuse error: every tea-ts package's `ERR_INVALID_OPTION` carries the option's name. */
function isInvalidOption(err: unknown): err is Error & { readonly option: string } {
  return (
    err instanceof Error &&
    (err as { code?: unknown }).code === 'ERR_INVALID_OPTION' &&
    typeof (err as { option?: unknown }).option === 'string'
  )
}

/**
 * Turns a library's `ERR_INVALID_OPTION` into a UsageError (exit 2) that names the flag which
 * set the option (`flags` maps option names to flags); anything else is returned unchanged.
 * The libraries' messages start with the option's name, so the flag takes its place.
 */
export function usageErrorFrom(err: unknown, flags: Readonly<Record<string, string>>): unknown {
  if (!isInvalidOption(err)) return err
  const flag = flags[err.option]
  const named = err.message.startsWith(`${err.option} `)
  return new UsageError(
    flag !== undefined && named ? flag + err.message.slice(err.option.length) : err.message,
  )
}
