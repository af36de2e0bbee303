import { Transform } from 'node:stream'
import { BodyLengthError } from './read-body-into.js'

/**
 * A pass-through that shows every chunk to `onChunk` (hashing, progress) and fails with
 * {@link BodyLengthError} unless exactly `length` bytes pass: a streamed part's body must never
 * be cut short or run long, since it goes out with that Content-Length.
 */
export function meterStream(length: number, onChunk: (chunk: Buffer) => void): Transform {
  let seen = 0
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length
      if (seen > length) return callback(new BodyLengthError(length, 'more'))
      onChunk(chunk)
      callback(null, chunk)
    },
    flush(callback) {
      callback(seen === length ? null : new BodyLengthError(length, seen))
    },
  })
}
