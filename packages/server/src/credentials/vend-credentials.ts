import type { UserProfile } from '../auth/user-profile.js'
import { NoDataAccessError } from './credential-errors.js'
import { formatExpiration } from './format-expiration.js'
import { createReuseCache } from './reuse-cache.js'
import type { ReuseCacheOptions } from './reuse-cache.js'
import { roleSessionNameFor, stsUserId } from './role-session-name.js'
import { createSingleFlight } from './single-flight.js'
import type { RoleVendor, TemporaryCredentials } from './role-vendor.js'

/** The `/s3credentials` body, in TEA's key order. */
export interface S3Credentials {
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly sessionToken: string
  /** TEA's format: `YYYY-MM-DD HH:MM:SS+00:00` (UTC). */
  readonly expiration: string
}

/** A session policy as sent to STS, with a short stable id of its JSON for cache keys. */
export interface SessionPolicy {
  /** Compact JSON, already fitted to STS's size limit. */
  readonly json: string
  /** Distinct for distinct `json` (e.g. a SHA-256); computed once, not per request. */
  readonly id: string
}

/**
 * The session policy for a set of group names, or `null` when those groups reach no data.
 * Called on every vend: memoize it (see `createPolicyForGroups`).
 */
export type PolicyForGroups = (groups: readonly string[]) => SessionPolicy | null

/** Options for {@link createVendCredentials}. */
export interface VendCredentialsOptions {
  readonly roles: RoleVendor
  /** EGRESS_APP_DOWNLOAD_ROLE_INREGION_ARN. */
  readonly roleArn: string
  /** This app's EDL client id (TEA's `UrsId`): only the user's groups of this client count. */
  readonly clientId: string
  readonly policyFor: PolicyForGroups
  /** STS DurationSeconds. Default: 3600 (the ceiling for a chained role). */
  readonly durationSeconds?: number
  /**
   * Reuse still-fresh credentials across requests for minutes. Default: off (see
   * docs/s3credentials.md for the trade-off).
   */
  readonly reuse?: ReuseCacheOptions | false
  /**
   * Identical requests share one STS call while it is in flight and for this long after it
   * succeeded (see `createSingleFlight`). Default: 5000 ms.
   */
  readonly shareSettledMs?: number
  /** Clock in ms. Default: `Date.now`. */
  readonly now?: () => number
}

/** How a vend was served: a new STS call, a share of one in flight, or the reuse cache. */
export type VendSource = 'sts' | 'shared' | 'reused'

export interface VendResult {
  readonly credentials: S3Credentials
  readonly sessionName: string
  readonly assumedRoleArn?: string
  readonly source: VendSource
}

/** Vends credentials for one authenticated request; `appName` is the raw `app-name` header. */
export type VendCredentials = (
  user: UserProfile,
  appName: string | readonly string[] | undefined,
) => Promise<VendResult>

/**
 * Builds the `/s3credentials` core: TEA's group filter, session policy and AssumeRole, with the
 * session name validated first and identical requests (same user, session name and policy)
 * sharing one STS call while it is in flight and for `shareSettledMs` after (single-flight).
 * Framework-free; the route only translates HTTP.
 *
 * @throws InvalidAppName (400) before any STS call; NoDataAccess (403) when the policy is null;
 *   AppErrors from the role vendor (503 throttled, 502 denied) and from `policyFor`.
 * @example
 * const vend = createVendCredentials({ roles, roleArn, clientId: 'abc', policyFor })
 * const { credentials } = await vend(user, request.headers['app-name'])
 */
export function createVendCredentials(options: VendCredentialsOptions): VendCredentials {
  const { roles, roleArn, clientId, policyFor } = options
  const durationSeconds = options.durationSeconds ?? 3600
  if (!Number.isInteger(durationSeconds) || durationSeconds < 900 || durationSeconds > 43_200) {
    throw new TypeError('createVendCredentials: durationSeconds must be an integer in 900..43200')
  }
  const now = options.now ?? Date.now
  const cache = options.reuse ? createReuseCache(options.reuse, durationSeconds, now) : undefined
  const flights = createSingleFlight<TemporaryCredentials>({
    now,
    ...(options.shareSettledMs === undefined ? {} : { shareSettledMs: options.shareSettledMs }),
  })

  // What depends only on the user: a cookie's session, and so its user object, is kept by the
  // authenticator, so a repeat caller's policy and STS id are worked out once, not per request.
  const perUser = new WeakMap<UserProfile, UserVendFacts>()

  return async (user, appName) => {
    let facts = perUser.get(user)
    // The session name (and so a bad app-name, 400) comes before the policy, as without the memo.
    const stsId = facts?.stsId ?? stsUserId(user.userId)
    const sessionName = roleSessionNameFor(stsId, appName)
    if (facts === undefined) {
      // A PolicyTooLarge thrown here is not remembered: it is thrown again each time.
      facts = { stsId, policy: policyFor(groupsForClient(user, clientId)) }
      perUser.set(user, facts)
    }
    const policy = facts.policy
    if (policy === null) throw new NoDataAccessError()
    const key = `${user.userId}\n${sessionName}\n${policy.id}`

    const cached = cache?.get(key)
    if (cached) return result(cached, sessionName, 'reused')
    const { value: creds, shared } = await flights.run(key, () =>
      roles.assumeRole({
        roleArn,
        sessionName,
        externalId: stsId,
        durationSeconds,
        policy: policy.json,
      }),
    )
    if (!shared) cache?.set(key, creds)
    return result(creds, sessionName, shared ? 'shared' : 'sts')
  }
}

interface UserVendFacts {
  /** The user id as STS takes it (`stsUserId`). */
  readonly stsId: string
  readonly policy: SessionPolicy | null
}

/** TEA: the `name`s of the user's EDL groups whose `client_id` is this app's. */
function groupsForClient(user: UserProfile, clientId: string): string[] {
  const names = new Set<string>()
  for (const g of user.groups) if (g.client_id === clientId) names.add(g.name)
  return [...names]
}

function result(creds: TemporaryCredentials, sessionName: string, source: VendSource): VendResult {
  return {
    credentials: {
      accessKeyId: creds.accessKeyId,
      secretAccessKey: creds.secretAccessKey,
      sessionToken: creds.sessionToken,
      expiration: formatExpiration(creds.expiration),
    },
    sessionName,
    ...(creds.assumedRoleArn === undefined ? {} : { assumedRoleArn: creds.assumedRoleArn }),
    source,
  }
}
