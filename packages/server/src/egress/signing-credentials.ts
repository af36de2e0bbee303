import { LRUCache } from 'lru-cache'
import { stsUserId } from '../credentials/role-session-name.js'
import { createSingleFlight } from '../credentials/single-flight.js'
import type { RoleVendor, TemporaryCredentials } from '../credentials/role-vendor.js'

/** Credentials to sign with, and how old they are (the URL's expiry is 3600 − age). */
export interface SigningCredentials {
  readonly credentials: TemporaryCredentials
  readonly ageSeconds: number
}

export interface SigningCredentialsOptions {
  readonly roles: RoleVendor
  /** Clock in epoch ms. */
  readonly now: () => number
  /** Renew after this many seconds. Default: 600 (TEA). */
  readonly maxAgeSeconds?: number
  /** Most (role, user) pairs kept. Default: 10_000. */
  readonly maxEntries?: number
}

export type GetSigningCredentials = (
  roleArn: string,
  userId: string | undefined,
) => Promise<SigningCredentials>

/** TEA's lifetime for download-role sessions (a chained role cannot last longer). */
export const SIGNING_SESSION_SECONDS = 3600

interface Entry {
  readonly credentials: TemporaryCredentials
  readonly at: number
}

/**
 * TEA's `get_role_creds`: AssumeRole of a download role with RoleSessionName
 * `{user id (as stsUserId maps it) or "unauthenticated"}@{epoch seconds}` for 3600 s, cached per (role, user) and
 * renewed when older than 10 minutes. Concurrent misses for one pair share one STS call.
 *
 * @example
 * const signing = createSigningCredentials({ roles, now: Date.now })
 * const { credentials, ageSeconds } = await signing(roleArn, 'jdoe')
 */
export function createSigningCredentials(
  options: SigningCredentialsOptions,
): GetSigningCredentials {
  const maxAgeMs = (options.maxAgeSeconds ?? 600) * 1000
  const cache = new LRUCache<string, Entry>({ max: options.maxEntries ?? 10_000 })
  const flights = createSingleFlight<Entry>({ now: options.now, shareSettledMs: 0 })
  return async (roleArn, userId) => {
    // Keyed by the raw id: the session name's mapping below runs only when STS is called.
    const key = userId === undefined ? `${roleArn}\n` : `${roleArn}\n=${userId}`
    const now = options.now()
    let entry = cache.get(key)
    if (entry === undefined || now - entry.at >= maxAgeMs) {
      const { value } = await flights.run(key, async () => {
        // Mapped into STS's alphabet as /s3credentials does: a raw id with a space, `/` or `é`
        // (or a one-character id) would make STS refuse the session name, and the download a 502.
        const who = userId === undefined ? 'unauthenticated' : stsUserId(userId)
        const at = options.now()
        const credentials = await options.roles.assumeRole({
          roleArn,
          sessionName: `${who}@${Math.floor(at / 1000)}`.slice(0, 64),
          durationSeconds: SIGNING_SESSION_SECONDS,
        })
        return { credentials, at }
      })
      cache.set(key, value)
      entry = value
    }
    return {
      credentials: entry.credentials,
      ageSeconds: Math.max(0, Math.floor((options.now() - entry.at) / 1000)),
    }
  }
}
