import type { AwsCredentialIdentity } from '@smithy/types'
import type { CredentialsStore } from './credentials-store.js'
import { S3CredentialsError, S3CredentialsResponseError } from './errors.js'
import type { S3Credentials } from './parse-s3-credentials.js'
import type { ResolvedOptions } from './resolve-options.js'

type Options = Pick<
  ResolvedOptions,
  | 'advisoryRefreshMs'
  | 'mandatoryRefreshMs'
  | 'minLifetimeMs'
  | 'jitterMs'
  | 'now'
  | 'random'
  | 'logger'
>

export interface CredentialsCacheSource {
  fetch(): Promise<S3Credentials>
  /** Required with a store: the key of this (endpoint, identity, app-name). */
  storeKey?(): Promise<string>
  store?: CredentialsStore
}

/** Credentials handed to the SDK, plus the instants at which they need refreshing. */
interface Generation {
  readonly creds: S3Credentials
  readonly identity: AwsCredentialIdentity
  readonly advisoryAt: number
  readonly mandatoryAt: number
}

export interface CredentialsCache {
  get(): Promise<AwsCredentialIdentity>
  forceRefresh(): Promise<AwsCredentialIdentity>
}

type Mode = 'blocking' | 'background' | 'force'

const BACKGROUND_RETRY_MS = 30_000
const BACKGROUND_RETRY_MAX_MS = 300_000

function describe(err: unknown): string {
  if (err instanceof S3CredentialsError) return `${err.message} (${err.code})`
  return err instanceof Error ? err.name : 'unknown error'
}

/** Store failures are file-system errors (a path, an errno): safe and useful to show. */
function describeStoreError(err: unknown): string {
  return err instanceof Error ? err.message : 'unknown error'
}

/**
 * The refresh policy (botocore's RefreshableCredentials and smithy's memoize, combined):
 * - outside the advisory window, cached credentials are returned with no I/O;
 * - in the advisory window one background refresh runs; if it fails, callers keep the
 *   still-valid credentials and the next attempt backs off (30 s, doubling, ≤ 5 min);
 * - in the mandatory window, or with less than `minLifetimeMs` left, callers wait for one
 *   shared refresh and its error reaches them;
 * - windows are capped at ½ (advisory) and ¼ (mandatory) of the lifetime the server granted
 *   and shifted by one random jitter per generation, so workers spread their refreshes.
 * Every refresh is single-flight: concurrent callers share one promise, and the lock is
 * released whether it settles or fails (smithy's memoize-chain leaked a rejected background
 * refresh and never cleared its lock).
 */
export function createCredentialsCache(
  source: CredentialsCacheSource,
  opts: Options,
): CredentialsCache {
  let current: Generation | undefined
  let inflight: Promise<Generation> | undefined
  let failures = 0
  let nextBackgroundAt = 0

  const generation = (creds: S3Credentials): Generation => {
    const advisory = Math.min(opts.advisoryRefreshMs, creds.ttlMs / 2)
    const mandatory = Math.min(opts.mandatoryRefreshMs, creds.ttlMs / 4)
    const jitter = (opts.random() * 2 - 1) * Math.min(opts.jitterMs, mandatory / 4)
    return {
      creds,
      identity: {
        accessKeyId: creds.accessKeyId,
        secretAccessKey: creds.secretAccessKey,
        sessionToken: creds.sessionToken,
        expiration: new Date(creds.expiresAt),
      },
      advisoryAt: creds.expiresAt - advisory + jitter,
      mandatoryAt: creds.expiresAt - mandatory + jitter,
    }
  }
  const usable = (g: Generation, now: number): boolean =>
    g.creds.expiresAt - now > opts.minLifetimeMs
  const adopt = (g: Generation): Generation => {
    current = g
    return g
  }
  const noteFailure = (err: unknown, g: Generation): void => {
    failures++
    const delay = Math.min(
      BACKGROUND_RETRY_MS * 2 ** (failures - 1),
      BACKGROUND_RETRY_MAX_MS,
      Math.max(1_000, (g.mandatoryAt - g.advisoryAt) / 4),
    )
    nextBackgroundAt = opts.now() + delay
    opts.logger.warn(
      `refreshing S3 credentials failed: ${describe(err)}; still using credentials that ` +
        `expire at ${g.identity.expiration?.toISOString()}, next attempt in ${Math.round(delay / 1000)} s`,
    )
  }

  async function loadStored(mode: Mode): Promise<{ key?: string; stored?: S3Credentials }> {
    if (!source.store || !source.storeKey) return {}
    // The key needs the EDL identity; failing to find one (ERR_NO_TOKEN) is the caller's error.
    const key = await source.storeKey()
    if (mode === 'force') return { key }
    try {
      return { key, stored: await source.store.load(key) }
    } catch (err) {
      opts.logger.warn(`could not read the credentials store: ${describeStoreError(err)}`)
      return { key }
    }
  }

  async function run(mode: Mode): Promise<Generation> {
    const { key, stored } = await loadStored(mode)
    const cached = stored && generation(stored)
    // Another process may already have refreshed: take its credentials if they are newer than
    // ours and not yet due for a refresh themselves.
    if (cached && opts.now() < cached.advisoryAt && usable(cached, opts.now())) {
      if (stored.expiresAt > (current?.creds.expiresAt ?? 0)) return adopt(cached)
    }
    let creds: S3Credentials
    try {
      creds = await source.fetch()
      const left = creds.expiresAt - opts.now()
      if (left <= opts.minLifetimeMs) {
        throw new S3CredentialsResponseError(
          `The credentials endpoint returned credentials that expire in ${Math.round(left / 1000)} s, ` +
            `less than the ${Math.round(opts.minLifetimeMs / 1000)} s minimum`,
        )
      }
    } catch (err) {
      // With nothing in memory yet, stored credentials outside their mandatory window are as
      // good as in-memory ones in the advisory window: serve them rather than fail.
      if (
        mode === 'blocking' &&
        cached &&
        opts.now() < cached.mandatoryAt &&
        usable(cached, opts.now())
      ) {
        noteFailure(err, adopt(cached))
        return cached
      }
      throw err
    }
    failures = 0
    nextBackgroundAt = 0
    const fresh = adopt(generation(creds))
    if (source.store && key !== undefined) {
      await source.store.save(key, creds).catch((err: unknown) => {
        opts.logger.warn(`could not write the credentials store: ${describeStoreError(err)}`)
      })
    }
    return fresh
  }

  function refresh(mode: Mode): Promise<Generation> {
    if (inflight) return inflight
    const p = run(mode).finally(() => {
      if (inflight === p) inflight = undefined
    })
    inflight = p
    return p
  }

  return {
    async get() {
      const now = opts.now()
      const g = current
      if (g && now < g.mandatoryAt && usable(g, now)) {
        if (now >= g.advisoryAt && !inflight && now >= nextBackgroundAt) {
          refresh('background').catch((err: unknown) => noteFailure(err, g))
        }
        return g.identity
      }
      return (await refresh('blocking')).identity
    },
    async forceRefresh() {
      return (await refresh('force')).identity
    },
  }
}
