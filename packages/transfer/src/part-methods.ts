/**
 * How one part gets to the destination and is proved intact there, best first:
 * - `stream-crc32`: GET piped into UploadPart with a CRC32 trailer the destination checks;
 * - `stream-md5`: GET piped into UploadPart, hashed on the way; the part ETag must be that MD5;
 * - `buffered-md5`: the part read into memory, then sent with Content-MD5, which the destination
 *   checks (the only proof left when its ETags are not MD5s, as with SSE-KMS).
 */
export type PartMethod = 'stream-crc32' | 'stream-md5' | 'buffered-md5'

/**
 * The methods a copy may use. A method can turn out not to prove anything at this destination
 * (no checksum support, ETags that are not MD5s); the parts then move to the next one.
 */
export function partMethods(options: {
  /** Streaming is allowed and the destination verifies CRC32 checksums (AWS S3). */
  readonly crc32Stream: boolean
  /**
   * Streaming is allowed, the destination client adds no checksum trailer of its own (radosgw 16
   * refuses them), and the destination's ETags are not known to be other than MD5s (SSE-KMS).
   */
  readonly md5Stream: boolean
}): readonly PartMethod[] {
  const methods: PartMethod[] = []
  if (options.crc32Stream) methods.push('stream-crc32')
  if (options.md5Stream) methods.push('stream-md5')
  methods.push('buffered-md5')
  return methods
}

/**
 * The method in use, which only ever moves down the list: once a method has failed to prove a
 * part, no worker uses it again, and the workers that were using it move on too.
 */
export interface MethodLadder {
  current(): PartMethod
  /** `failed` proved nothing: the method to use instead (the current one if already lower). */
  after(failed: PartMethod): PartMethod
}

export function methodLadder(methods: readonly PartMethod[]): MethodLadder {
  if (methods.length === 0) throw new TypeError('no part method')
  let at = 0
  const current = (): PartMethod => methods[at] as PartMethod
  return {
    current,
    after(failed) {
      const i = methods.indexOf(failed)
      if (i === methods.length - 1) throw new TypeError(`${failed} has no fallback`)
      if (i >= at) at = i + 1
      return current()
    },
  }
}
