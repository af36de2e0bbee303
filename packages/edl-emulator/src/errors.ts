/**
 * An EDL-shaped failure: the HTTP status, EDL's `error` code and `error_description`, extra
 * body fields (EULA failures carry `status_code` and `resolution_url`) and response headers.
 * The app's error handler turns it into `{ error, error_description, ...extra }`.
 */
export class EdlError extends Error {
  readonly statusCode: number
  readonly error: string
  readonly extra: Readonly<Record<string, string | number>>
  readonly headers: Readonly<Record<string, string>>

  constructor(
    statusCode: number,
    error: string,
    description: string,
    options: {
      extra?: Record<string, string | number>
      headers?: Record<string, string>
    } = {},
  ) {
    super(description)
    this.name = 'EdlError'
    this.statusCode = statusCode
    this.error = error
    this.extra = options.extra ?? {}
    this.headers = options.headers ?? {}
  }

  /** The JSON body EDL sends for this error. */
  toBody(): Record<string, string | number> {
    return { error: this.error, error_description: this.message, ...this.extra }
  }
}

/** The Basic challenge EDL sends with a 401 to scripted clients. */
export const BASIC_CHALLENGE = 'Basic realm="Please enter your Earthdata Login credentials"'

export const invalidRequest = (description: string): EdlError =>
  new EdlError(400, 'invalid_request', description)

export const invalidClient = (): EdlError =>
  new EdlError(401, 'invalid_client', 'Invalid client credentials', {
    headers: { 'www-authenticate': BASIC_CHALLENGE },
  })

export const invalidUserCredentials = (): EdlError =>
  new EdlError(401, 'invalid_credentials', 'Invalid user credentials', {
    headers: { 'www-authenticate': BASIC_CHALLENGE },
  })
