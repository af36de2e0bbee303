/** Bodies this client reads are small JSON documents; a larger one is not credentials. */
const BODY_LIMIT = 64 * 1024

/**
 * Reads at most 64 KiB of a response body as UTF-8 and releases the connection, so that a
 * misbehaving server cannot make the client buffer an unbounded body.
 */
export async function readBody(res: Response): Promise<string> {
  if (res.body === null) return ''
  const reader = res.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(value)
    size += value.byteLength
    if (size > BODY_LIMIT) {
      await reader.cancel()
      break
    }
  }
  return Buffer.concat(chunks).toString('utf8')
}
