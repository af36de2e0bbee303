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
