import type { EmulatorUser } from '../config/emulator-config.js'
import type { AppDirectory } from './app-directory.js'

/** One entry of EDL's `user_groups`. */
export interface EdlUserGroup {
  readonly group_id: string
  readonly name: string
  readonly tag: string | null
  readonly shared_user_group: boolean
  readonly created_by: string
  readonly app_uid: string
  readonly client_id: string
}

/** The body of `GET /api/users/<uid>` (the fields EDL clients read, plus a few EDL sends). */
export interface EdlUserProfile {
  readonly uid: string
  readonly first_name: string
  readonly last_name: string
  readonly email_address: string
  readonly country: string
  readonly organization: string
  readonly user_type: string
  readonly registered_date: string
  readonly user_groups: readonly EdlUserGroup[]
}

/**
 * The profile of `user`. All of the user's groups are returned: TEA filters them by its own
 * client_id. A group's `app_uid` is its app's `name` (or client_id when the app is unknown).
 *
 * @example
 * const body = toUserProfile(users.get('demo')!, apps)
 */
export function toUserProfile(user: EmulatorUser, apps: AppDirectory): EdlUserProfile {
  return {
    uid: user.uid,
    first_name: user.first_name,
    last_name: user.last_name,
    email_address: user.email_address,
    country: user.country ?? 'United States',
    organization: user.organization ?? '',
    user_type: 'Application',
    registered_date: '01 Jan 2020 00:00:00PM',
    user_groups: (user.groups ?? []).map((g) => {
      const appUid = apps.get(g.client_id)?.name ?? g.client_id
      return {
        group_id: g.group_id ?? `${g.client_id}_${g.name}`,
        name: g.name,
        tag: g.tag ?? null,
        shared_user_group: g.shared_user_group ?? false,
        created_by: appUid,
        app_uid: appUid,
        client_id: g.client_id,
      }
    }),
  }
}
