/**
 * The base of the client's and transfer's error hierarchies (jose style): a stable `code` to
 * switch on, the underlying error as `cause`, and `name` set to the concrete class (e.g.
 * `SourceNotFoundError`), so logs and `err.name` say which error it is.
 */
export class CodedError<C extends string = string> extends Error {
  readonly code: C

  constructor(code: C, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause })
    this.name = new.target.name
    this.code = code
  }
}

/**
 * A subclass of `Base` whose `code` is `code`: each error of a hierarchy is then one line,
 * `export class SourceNotFoundError extends withCode(TransferError, 'ERR_SOURCE_NOT_FOUND') {}`,
 * and keeps `Base`'s constructor.
 */
export function withCode<O, E extends CodedError, C extends E['code']>(
  Base: new (message: string, options?: O) => E,
  code: C,
): new (message: string, options?: O) => E & { readonly code: C } {
  // TypeScript cannot extend a generic instance type, so the class extends CodedError's shape.
  const Parent = Base as unknown as new (message: string, options?: O) => CodedError
  class WithCode extends Parent {
    override readonly code: C = code
  }
  return WithCode as unknown as new (message: string, options?: O) => E & { readonly code: C }
}
