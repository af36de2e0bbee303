/** Session revocation list: cookies issued at or before a user's listed time are refused. */
export interface Blacklist {
  isRevoked(userId: string, issuedAt: number): Promise<boolean>
  /** `isRevoked` without waiting: undefined when the list must be fetched first. */
  isRevokedNow?(userId: string, issuedAt: number): boolean | undefined
}

export interface BlacklistOptions {
  /** BLACKLIST_ENDPOINT. Undefined: nothing is ever revoked and nothing is fetched. */
  readonly endpoint?: string | undefined
  readonly fetch: typeof globalThis.fetch
  /** Clock in epoch milliseconds. */
  readonly now: () => number
  /** How long a fetched list is used. Default: 600_000 (10 minutes, as TEA). */
  readonly ttlMs?: number
  /** How long a failed fetch counts as an empty list before retrying. Default: 60_000. */
  readonly failureTtlMs?: number
  /** Request timeout. Default: 5_000. */
  readonly timeoutMs?: number
  /** Told about fetch or parse failures (the list is then treated as empty). */
  readonly onError?: (err: unknown) => void
}

type Entries = ReadonlyMap<string, number>

/**
 * TEA's JWT blacklist: `GET BLACKLIST_ENDPOINT` → `{"blacklist": {"<user>": <epoch seconds>}}`,
 * cached, one fetch in flight at a time. A failure logs and counts as an empty list, so an
 * unreachable endpoint never locks everyone out.
 *
 * @example
 * const blacklist = createBlacklist({ endpoint: config.blacklistEndpoint, fetch, now: Date.now })
 * if (await blacklist.isRevoked(session.user.userId, session.issuedAt)) return null
 */
export function createBlacklist(options: BlacklistOptions): Blacklist {
  const { endpoint, now } = options
  const ttlMs = options.ttlMs ?? 600_000
  const failureTtlMs = options.failureTtlMs ?? 60_000
  let cached: { entries: Entries; until: number } | undefined
  let inFlight: Promise<Entries> | undefined

  const refresh = async (): Promise<Entries> => {
    try {
      const entries = await fetchEntries(endpoint ?? '', options)
      cached = { entries, until: now() + ttlMs }
      return entries
    } catch (err) {
      options.onError?.(err)
      cached = { entries: new Map(), until: now() + failureTtlMs }
      return cached.entries
    } finally {
      inFlight = undefined
    }
  }

  const current = (): Promise<Entries> => {
    if (cached !== undefined && now() < cached.until) return Promise.resolve(cached.entries)
    inFlight ??= refresh()
    return inFlight
  }

  const revokedIn = (entries: Entries, userId: string, issuedAt: number): boolean => {
    const revokedAt = entries.get(userId)
    return revokedAt !== undefined && revokedAt >= issuedAt
  }
  return {
    async isRevoked(userId, issuedAt) {
      if (endpoint === undefined) return false
      return revokedIn(await current(), userId, issuedAt)
    },
    isRevokedNow(userId, issuedAt) {
      if (endpoint === undefined) return false
      if (cached === undefined || now() >= cached.until) return undefined
      return revokedIn(cached.entries, userId, issuedAt)
    },
  }
}

async function fetchEntries(endpoint: string, options: BlacklistOptions): Promise<Entries> {
  const response = await options.fetch(endpoint, {
    headers: { accept: 'application/json' },
    signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
  })
  if (!response.ok) throw new Error(`blacklist endpoint answered ${response.status}`)
  return parseBlacklist(await response.json())
}

/** Narrows the endpoint's JSON; entries whose time is not a number are ignored. */
export function parseBlacklist(json: unknown): Entries {
  const list = isRecord(json) ? json.blacklist : undefined
  if (!isRecord(list)) throw new Error('blacklist JSON has no "blacklist" object')
  const entries = new Map<string, number>()
  for (const [user, at] of Object.entries(list)) {
    if (typeof at === 'number' && Number.isFinite(at)) entries.set(user, at)
  }
  return entries
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
