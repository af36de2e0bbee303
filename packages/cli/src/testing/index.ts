import { Writable } from 'node:stream'

/**
 * Test helpers of the command line: `@tea-ts/cli/testing`. Resolved from source only (the
 * `@tea-ts/source` condition), so it is neither built into dist/ nor published.
 */

/** A stdout/stderr fake for `CliDeps`: keeps what was written; `onWrite` sees all of it so far. */
export function outputSink(
  onWrite: (text: string) => void = () => {},
): Writable & { text: () => string; isTTY?: boolean } {
  let text = ''
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      text += chunk.toString()
      onWrite(text)
      callback()
    },
  })
  return Object.assign(stream, { text: () => text })
}
