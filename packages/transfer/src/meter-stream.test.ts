import { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { describe, expect, it } from 'vitest'
import { failed } from './attempt-outcome.js'
import { meterStream } from './meter-stream.js'

async function pass(chunks: string[], length: number) {
  const seen: string[] = []
  const out: string[] = []
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      out.push(chunk.toString())
      callback()
    },
  })
  const meter = meterStream(length, (c) => seen.push(c.toString()))
  await pipeline(Readable.from(chunks.map((c) => Buffer.from(c))), meter, sink)
  return { seen, out }
}

describe('meterStream', () => {
  it('passes exactly `length` bytes through, showing each chunk', async () => {
    expect(await pass(['ab', 'cde'], 5)).toEqual({ seen: ['ab', 'cde'], out: ['ab', 'cde'] })
  })

  it('fails a body that ends short with a retryable BodyLengthError', async () => {
    const err = await pass(['ab'], 5).catch((e: unknown) => e)
    expect(err).toMatchObject({
      name: 'BodyLengthError',
      message: 'expected 5 bytes of body, got 2',
    })
    expect(failed('source', 'GetObject', err).retryable).toBe(true)
  })

  it('fails a body that runs long', async () => {
    await expect(pass(['abc', 'def'], 5)).rejects.toThrow('expected 5 bytes of body, got more')
  })
})
