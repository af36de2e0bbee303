import { AppError } from '../errors.js'
import { InvalidAppNameError } from './credential-errors.js'

/** STS `RoleSessionName` alphabet (`[\w+=,.@-]`); `\w` is ASCII-only in JavaScript. */
const STS_NAME_CHARS = /^[\w+=,.@-]*$/
/** STS limits: RoleSessionName is 2 to 64 characters. */
export const ROLE_SESSION_NAME_MAX = 64
const ROLE_SESSION_NAME_MIN = 2

/**
 * Builds the STS role session name `{userId}@{appName}` as TEA does (no header: `{userId}@`),
 * cut to 64 characters. Unlike TEA, the app name is validated first, so a bad header is a 400
 * that names the broken rule instead of an STS ValidationError (TEA's 500).
 *
 * The whole header is checked, including any part that the 64-character cut drops: the caller
 * sent it, and a name that is valid only because it was truncated would be a surprise.
 *
 * @param userId - the EDL user id (EDL ids use only STS-safe characters)
 * @param appName - the raw `app-name` header; `undefined` when absent
 * @throws InvalidAppName when the app name has a character STS does not allow
 * @example roleSessionName('jdoe', 'my-notebook') // 'jdoe@my-notebook'
 */
export function roleSessionName(
  userId: string,
  appName: string | readonly string[] | undefined,
): string {
  const app = appNameFromHeader(appName)
  if (!STS_NAME_CHARS.test(app)) {
    throw new InvalidAppNameError(
      'app-name may only contain letters, digits and + = , . @ _ - (the STS RoleSessionName alphabet)',
    )
  }
  if (!STS_NAME_CHARS.test(userId)) {
    // EDL user ids never contain such characters; reaching this is a bug, not a user error.
    throw new AppError('the user id cannot be part of an STS role session name')
  }
  const name = `${userId}@${app}`.slice(0, ROLE_SESSION_NAME_MAX)
  if (name.length < ROLE_SESSION_NAME_MIN) {
    throw new AppError('the role session name would be shorter than 2 characters')
  }
  return name
}

function appNameFromHeader(header: string | readonly string[] | undefined): string {
  if (header === undefined) return ''
  if (typeof header === 'string') return header
  if (header.length > 1) {
    throw new InvalidAppNameError('send at most one app-name header')
  }
  return header[0] ?? ''
}
