import type { S3Credentials } from './parse-s3-credentials.js'

/**
 * Persists credentials between processes (or provider instances) so that they don't refetch.
 * Keys are opaque hashes of (endpoint, EDL identity, app-name). Implementations may fail: the
 * provider logs a warning and carries on without the store.
 */
export interface CredentialsStore {
  load(key: string): Promise<S3Credentials | undefined>
  save(key: string, credentials: S3Credentials): Promise<void>
}
