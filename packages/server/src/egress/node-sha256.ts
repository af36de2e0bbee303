import { createHash, createHmac } from 'node:crypto'
import type { Hash, Hmac } from 'node:crypto'
import type { Checksum, SourceData } from '@smithy/types'

/**
 * SHA-256 and HMAC-SHA256 from node:crypto, in the shape SigV4's signer takes (`sha256`). The
 * SDK's own `Sha256Node` copies every plain hash before its digest (so that it could be
 * updated again, which the signer never does) and wraps each digest in a new view; a presign
 * makes three digests. This is only the hash primitive: SigV4 itself stays the SDK's.
 */
export class NodeSha256 implements Checksum {
  readonly #secret: SourceData | undefined
  #hash: Hash | Hmac

  constructor(secret?: SourceData) {
    this.#secret = secret
    this.#hash = start(secret)
  }

  update(data: Uint8Array): void {
    this.#hash.update(data)
  }

  digest(): Promise<Uint8Array> {
    // A Buffer is a Uint8Array.
    return Promise.resolve(this.#hash.digest())
  }

  reset(): void {
    this.#hash = start(this.#secret)
  }
}

function start(secret: SourceData | undefined): Hash | Hmac {
  // As the SDK's: no secret, or an empty string, is a plain hash.
  if (secret === undefined || secret === '') return createHash('sha256')
  return createHmac('sha256', keyBytes(secret))
}

function keyBytes(secret: SourceData): string | Uint8Array {
  // The signer's keys are strings and our own digests (Buffers).
  if (typeof secret === 'string' || secret instanceof Uint8Array) return secret
  return ArrayBuffer.isView(secret)
    ? new Uint8Array(secret.buffer, secret.byteOffset, secret.byteLength)
    : new Uint8Array(secret)
}
