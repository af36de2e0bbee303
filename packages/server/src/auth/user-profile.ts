/** One entry of EDL's `user_groups`, as TEA stores it in the cookie's `urs-groups` claim. */
export interface EdlGroup {
  readonly client_id: string
  readonly name: string
  readonly [extra: string]: unknown
}

/**
 * The authenticated user, from the TEA cookie or from an EDL bearer token plus EDL's profile.
 * Field names follow TEA's `UserProfile` (rain-api-core auth.py).
 */
export interface UserProfile {
  readonly userId: string
  readonly firstName: string
  readonly lastName: string
  readonly email: string
  /** EDL `user_groups` as EDL returned them (all clients); filter by client_id before use. */
  readonly groups: readonly EdlGroup[]
  /** The EDL access token (from the login flow) or the bearer token the caller sent. */
  readonly accessToken: string
}

/** Keeps EDL group entries that have a string `client_id` and `name`; drops anything else. */
export function toGroups(value: unknown): EdlGroup[] {
  if (!Array.isArray(value)) return []
  return value.filter(isGroup)
}

function isGroup(value: unknown): value is EdlGroup {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const entry = value as Record<string, unknown>
  return typeof entry.client_id === 'string' && typeof entry.name === 'string'
}
