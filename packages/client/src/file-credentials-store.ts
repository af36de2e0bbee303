import { randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { CredentialsStore } from './credentials-store.js'
import type { S3Credentials } from './parse-s3-credentials.js'

interface FileShape {
  version: 1
  entries: Record<string, unknown>
}

function toEntry(value: unknown): S3Credentials | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const v = value as Record<string, unknown>
  const { accessKeyId, secretAccessKey, sessionToken, expiration, ttlMs } = v
  if (
    typeof accessKeyId !== 'string' ||
    typeof secretAccessKey !== 'string' ||
    typeof sessionToken !== 'string' ||
    typeof expiration !== 'string' ||
    typeof ttlMs !== 'number'
  ) {
    return undefined
  }
  const expiresAt = Date.parse(expiration)
  if (Number.isNaN(expiresAt)) return undefined
  return { accessKeyId, secretAccessKey, sessionToken, expiresAt, ttlMs }
}

async function readEntries(path: string): Promise<Record<string, unknown>> {
  let text: string
  try {
    const info = await stat(path)
    // The file holds live secrets: refuse one that others could have read or planted.
    if ((info.mode & 0o077) !== 0 || (process.getuid && info.uid !== process.getuid())) {
      throw new Error(`credentials cache ${path} must be owned by this user with mode 0600`)
    }
    text = await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {}
    throw err
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return {}
  }
  const shape = parsed as Partial<FileShape> | null
  if (shape?.version !== 1 || typeof shape.entries !== 'object' || shape.entries === null) {
    return {}
  }
  return shape.entries
}

/**
 * A {@link CredentialsStore} in one JSON file, for CLIs such as `tea credentials` that run once
 * per `aws` invocation. The file is created with mode 0600 (its directory 0700) and replaced
 * atomically (write a temporary file, then rename), so a reader never sees half a file.
 * Expired entries are dropped on each write. A file readable by others is refused.
 *
 * @example
 * ```ts
 * fromS3Credentials({ endpoint, store: fileCredentialsStore(`${homedir()}/.cache/tea-ts/s3credentials.json`) })
 * ```
 */
export function fileCredentialsStore(
  path: string,
  options: { readonly now?: () => number } = {},
): CredentialsStore {
  const now = options.now ?? Date.now
  return {
    async load(key) {
      return toEntry((await readEntries(path))[key])
    },
    async save(key, credentials) {
      const entries: Record<string, unknown> = {}
      for (const [k, v] of Object.entries(await readEntries(path).catch(() => ({})))) {
        const entry = toEntry(v)
        if (entry && entry.expiresAt > now()) entries[k] = v
      }
      entries[key] = {
        accessKeyId: credentials.accessKeyId,
        secretAccessKey: credentials.secretAccessKey,
        sessionToken: credentials.sessionToken,
        expiration: new Date(credentials.expiresAt).toISOString(),
        ttlMs: credentials.ttlMs,
      }
      await mkdir(dirname(path), { recursive: true, mode: 0o700 })
      const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`
      try {
        await writeFile(tmp, JSON.stringify({ version: 1, entries } satisfies FileShape), {
          mode: 0o600,
          flag: 'wx',
        })
        await rename(tmp, path)
      } catch (err) {
        await rm(tmp, { force: true })
        throw err
      }
    },
  }
}
