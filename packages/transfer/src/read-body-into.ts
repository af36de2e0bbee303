import { noteStreamedBytes } from './young-gc.js'

/**
 * A response body shorter or longer than promised: the connection dropped or the server erred.
 * Retryable (see `failed` in attempt-outcome.ts): another attempt may well get the whole body.
 */
export class BodyLengthError extends Error {
  readonly code = 'ERR_BODY_LENGTH'

  constructor(expected: number, got: number | string) {
    super(`expected ${expected} bytes of body, got ${got}`)
    this.name = 'BodyLengthError'
  }
}

function isAsyncIterable(body: unknown): body is AsyncIterable<Uint8Array> {
  return typeof body === 'object' && body !== null && Symbol.asyncIterator in body
}

/**
 * Copies a streamed response body into `target` (whose length is the number of bytes expected),
 * so a part lives in one preallocated buffer and is never concatenated. `onChunk` sees every
 * chunk as it lands (progress, and hashing while the rest is still on the wire). A body that ends early or runs long throws
 * {@link BodyLengthError}; a connection dropped mid-body rejects with the socket's error.
 */
export async function readBodyInto(
  body: unknown,
  target: Buffer,
  onChunk?: (chunk: Uint8Array) => void,
): Promise<void> {
  if (target.length === 0 && (body === undefined || body === null)) return
  if (!isAsyncIterable(body)) throw new TypeError('response body is not a stream')
  let offset = 0
  for await (const chunk of body) {
    if (offset + chunk.length > target.length) {
      throw new BodyLengthError(target.length, 'more')
    }
    target.set(chunk, offset)
    offset += chunk.length
    onChunk?.(chunk)
    noteStreamedBytes(chunk.length)
  }
  if (offset !== target.length) throw new BodyLengthError(target.length, offset)
}
