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
