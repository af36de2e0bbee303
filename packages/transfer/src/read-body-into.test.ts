import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { failed } from './attempt-outcome.js'
import { BodyLengthError, readBodyInto } from './read-body-into.js'

describe('readBodyInto', () => {
  it('fills the target from chunks and reports each chunk', async () => {
    const target = Buffer.alloc(6)
    const seen: number[] = []
    await readBodyInto(
      Readable.from([Buffer.from('ab'), Buffer.from('cde'), Buffer.from('f')]),
      target,
      (chunk) => seen.push(chunk.length),
    )
    expect(target.toString()).toBe('abcdef')
    expect(seen).toEqual([2, 3, 1])
  })

  it('throws a retryable BodyLengthError for a short body', async () => {
    const err = await readBodyInto(Readable.from([Buffer.from('abc')]), Buffer.alloc(5)).catch(
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(BodyLengthError)
    expect(err).toMatchObject({ message: 'expected 5 bytes of body, got 3' })
    expect(failed('source', 'GetObject', err).retryable).toBe(true)
  })

  it('throws for a body longer than expected', async () => {
    await expect(
      readBodyInto(Readable.from([Buffer.from('abcdef')]), Buffer.alloc(5)),
    ).rejects.toThrow('expected 5 bytes of body, got more')
  })

  it('passes on a mid-body connection error', async () => {
    const body = new Readable({ read() {} })
    body.push(Buffer.from('ab'))
    setImmediate(() => body.destroy(Object.assign(new Error('aborted'), { code: 'ECONNRESET' })))
    const err = await readBodyInto(body, Buffer.alloc(10)).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'ECONNRESET' })
    expect(failed('source', 'GetObject', err).retryable).toBe(true)
  })

  it('accepts a missing body for an empty target', async () => {
    await expect(readBodyInto(undefined, Buffer.alloc(0))).resolves.toBeUndefined()
  })
})
