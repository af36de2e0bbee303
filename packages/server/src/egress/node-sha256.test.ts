import { Sha256Node } from '@smithy/core/checksum'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { NodeSha256 } from './node-sha256.js'

const bytes = fc.uint8Array({ maxLength: 300 })

describe('NodeSha256', () => {
  it('digests as the SDK Sha256Node does, plain and keyed by a string, bytes or a buffer', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.option(fc.oneof(fc.string(), bytes), { nil: undefined }),
        fc.array(bytes, { maxLength: 4 }),
        fc.boolean(),
        async (secret, chunks, asArrayBuffer) => {
          const key = asArrayBuffer && secret instanceof Uint8Array ? secret.slice().buffer : secret
          const ours = new NodeSha256(key)
          const sdk = new Sha256Node(key)
          for (const chunk of chunks) {
            ours.update(chunk)
            sdk.update(chunk)
          }
          expect(Buffer.from(await ours.digest())).toEqual(Buffer.from(await sdk.digest()))
        },
      ),
      { seed: 20261201, numRuns: 300 },
    )
  })

  it('starts over after reset', async () => {
    const hash = new NodeSha256('key')
    hash.update(Buffer.from('one'))
    await hash.digest()
    hash.reset()
    hash.update(Buffer.from('two'))
    const again = new NodeSha256('key')
    again.update(Buffer.from('two'))
    expect(Buffer.from(await hash.digest())).toEqual(Buffer.from(await again.digest()))
  })
})
