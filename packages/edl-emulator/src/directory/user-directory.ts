import { timingSafeEqual } from 'node:crypto'
import type { EmulatorUser } from '../config/emulator-config.js'

/** The users of one emulator instance; EULA acceptance is mutable state, the rest is config. */
export interface UserDirectory {
  get(uid: string): EmulatorUser | undefined
  /** The user if `uid`/`password` match, else undefined. */
  authenticate(uid: string, password: string): EmulatorUser | undefined
  hasAcceptedEula(uid: string, clientId: string): boolean
  acceptEula(uid: string, clientId: string): void
}

/**
 * Builds the directory. A user has not accepted `clientId`'s EULA while `eula_accepted` is
 * false (and no approval happened since) or `clientId` is in `unaccepted_eulas`.
 *
 * @example
 * const users = createUserDirectory(config.users)
 */
export function createUserDirectory(users: readonly EmulatorUser[]): UserDirectory {
  const byUid = new Map(users.map((u) => [u.uid, u]))
  const unaccepted = new Map(users.map((u) => [u.uid, new Set(u.unaccepted_eulas ?? [])]))
  const acceptedAll = new Map(users.map((u) => [u.uid, u.eula_accepted !== false]))
  const approved = new Map(users.map((u) => [u.uid, new Set<string>()]))
  return {
    get: (uid) => byUid.get(uid),
    authenticate: (uid, password) => {
      const user = byUid.get(uid)
      return user !== undefined && safeEqual(user.password, password) ? user : undefined
    },
    hasAcceptedEula: (uid, clientId) => {
      if (approved.get(uid)?.has(clientId) === true) return true
      return acceptedAll.get(uid) === true && unaccepted.get(uid)?.has(clientId) !== true
    },
    acceptEula: (uid, clientId) => {
      approved.get(uid)?.add(clientId)
    },
  }
}

/** Compares secrets in constant time so the emulator does not teach bad habits. */
export function safeEqual(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8')
  const b = Buffer.from(given, 'utf8')
  return a.length === b.length && timingSafeEqual(a, b)
}
