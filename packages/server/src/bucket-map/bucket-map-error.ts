import { AppError } from '../errors.js'
import type { AppErrorCode } from '../errors.js'

/** Where in the map file a problem is. */
export interface BucketMapErrorLocation {
  readonly fileName: string
  /** 1-based; absent when the problem has no single line (e.g. the file cannot be read). */
  readonly line?: number
}

/**
 * The bucket map is malformed, unreadable or not IAM-compatible. Thrown when the map is loaded
 * (start-up), so it is a configuration error: code `ERR_CONFIG`, status 500. (Not a
 * `ConfigError`, whose message is a list of environment problems.)
 *
 * @example
 * ```ts
 * try { parseBucketMap(text, { fileName: 'bucket-map.yaml' }) }
 * catch (err) { if (err instanceof BucketMapError) console.error(err.message, err.line) }
 * ```
 */
export class BucketMapError extends AppError {
  override readonly code: AppErrorCode = 'ERR_CONFIG'
  readonly fileName: string
  readonly line: number | undefined

  constructor(message: string, location: BucketMapErrorLocation, options?: { cause?: unknown }) {
    super(message, options)
    this.fileName = location.fileName
    this.line = location.line
  }
}

/** A `BucketMapError` whose message starts with `<file> line <n>: `. */
export function mapFileError(fileName: string, line: number, problem: string): BucketMapError {
  return new BucketMapError(`${fileName} line ${line}: ${problem}`, { fileName, line })
}
