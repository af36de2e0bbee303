import { chmodSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { fileCredentialsStore } from './file-credentials-store.js'
import type { S3Credentials } from './parse-s3-credentials.js'

const NOW = Date.parse('2030-01-01T00:00:00Z')
const creds = (id: string, expiresAt = NOW + 3_600_000): S3Credentials => ({
  accessKeyId: id,
  secretAccessKey: `secret-${id}`,
  sessionToken: `token-${id}`,
  expiresAt,
  ttlMs: 3_600_000,
})

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tea-store-'))
})

describe('fileCredentialsStore', () => {
  it('returns nothing before the file exists', async () => {
    expect(await fileCredentialsStore(join(dir, 'none.json')).load('k')).toBeUndefined()
  })

  it('round-trips entries by key, creating the file 0600 in a 0700 directory', async () => {
    const path = join(dir, 'cache', 'tea-ts', 's3credentials.json')
    const store = fileCredentialsStore(path, { now: () => NOW })
    await store.save('a', creds('A'))
    await store.save('b', creds('B'))
    expect(await store.load('a')).toEqual(creds('A'))
    expect(await store.load('b')).toEqual(creds('B'))
    expect(await store.load('c')).toBeUndefined()
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(statSync(join(dir, 'cache')).mode & 0o777).toBe(0o700)
    expect(readdirSync(join(dir, 'cache', 'tea-ts'))).toEqual(['s3credentials.json'])
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({
      version: 1,
      entries: {
        a: {
          accessKeyId: 'A',
          secretAccessKey: 'secret-A',
          sessionToken: 'token-A',
          expiration: '2030-01-01T01:00:00.000Z',
          ttlMs: 3_600_000,
        },
        b: expect.objectContaining({ accessKeyId: 'B' }),
      },
    })
  })

  it('drops expired entries when writing', async () => {
    const path = join(dir, 's.json')
    let now = NOW
    const store = fileCredentialsStore(path, { now: () => now })
    await store.save('old', creds('OLD', NOW + 1000))
    now = NOW + 2000
    await store.save('new', creds('NEW', NOW + 3_600_000))
    expect(Object.keys(JSON.parse(readFileSync(path, 'utf8')).entries)).toEqual(['new'])
  })

  it('refuses a file that other users can read', async () => {
    const path = join(dir, 's.json')
    writeFileSync(path, JSON.stringify({ version: 1, entries: {} }))
    chmodSync(path, 0o644)
    await expect(fileCredentialsStore(path).load('k')).rejects.toThrow(
      `credentials cache ${path} must be owned by this user with mode 0600`,
    )
  })

  it('ignores a corrupt file and replaces it on the next save', async () => {
    const path = join(dir, 's.json')
    writeFileSync(path, '{"version":1,"entries":', { mode: 0o600 })
    const store = fileCredentialsStore(path, { now: () => NOW })
    expect(await store.load('k')).toBeUndefined()
    await store.save('k', creds('K'))
    expect(await store.load('k')).toEqual(creds('K'))
  })

  it('ignores malformed entries', async () => {
    const path = join(dir, 's.json')
    writeFileSync(path, JSON.stringify({ version: 1, entries: { k: { accessKeyId: 1 } } }), {
      mode: 0o600,
    })
    expect(await fileCredentialsStore(path).load('k')).toBeUndefined()
  })
})
