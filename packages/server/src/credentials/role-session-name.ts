import { InvalidAppNameError } from './credential-errors.js'

/** STS `RoleSessionName` alphabet (`[\w+=,.@-]`); `\w` is ASCII-only in JavaScript. */
const STS_NAME_CHARS = /^[\w+=,.@-]*$/
/** STS limits: RoleSessionName is 2 to 64 characters. */
export const ROLE_SESSION_NAME_MAX = 64
/** STS limits: ExternalId is 2 to 1224 characters. */
const EXTERNAL_ID_MAX = 1224
/**
 * What a user id keeps as it is. The STS alphabet without `=` (our escape character) and `+`
 * (which radosgw refuses although AWS allows it).
 */
const USER_ID_KEEP = /[A-Za-z0-9_,.@-]/

/**
 * The user id as STS accepts it, in RoleSessionName and ExternalId (see docs/decisions.md).
 * Every character outside `[A-Za-z0-9_,.@-]` becomes `=XX` per UTF-8 byte (upper-case hex, as
 * in quoted-printable); an id shorter than 2 characters is padded with `=`. Deterministic and
 * one-to-one, and ordinary EDL ids (letters, digits, `_ . -`) are unchanged, so CloudTrail shows
 * them as TEA would.
 *
 * @example stsUserId('jdoe') // 'jdoe'
 * @example stsUserId('j doe/é') // 'j=20doe=2F=C3=A9'
 * @example stsUserId('u') // 'u='
 */
export function stsUserId(userId: string): string {
  let out = ''
  for (const char of userId) {
    if (USER_ID_KEEP.test(char)) out += char
    else for (const byte of Buffer.from(char, 'utf8')) out += `=${hex(byte)}`
  }
  return out.padEnd(2, '=').slice(0, EXTERNAL_ID_MAX)
}

/**
 * Builds the STS role session name `{userId}@{appName}` as TEA does (no header: `{userId}@`),
 * cut to 64 characters, with the user id mapped by {@link stsUserId}. Unlike TEA, the app name
 * is validated first, so a bad header is a 400 that names the broken rule instead of an STS
 * ValidationError (TEA's 500).
 *
 * The whole header is checked, including any part that the 64-character cut drops: the caller
 * sent it, and a name that is valid only because it was truncated would be a surprise.
 *
 * @param userId - the EDL user id, any string
 * @param appName - the `app-name` header: its value, every value when sent more than once
 *   (`headersDistinct`), or `undefined` when absent
 * @throws InvalidAppName when the app name has a character STS does not allow, or comes twice
 * @example roleSessionName('jdoe', 'my-notebook') // 'jdoe@my-notebook'
 */
export function roleSessionName(
  userId: string,
  appName: string | readonly string[] | undefined,
): string {
  return roleSessionNameFor(stsUserId(userId), appName)
}

/** {@link roleSessionName} with the user id already mapped by {@link stsUserId}. */
export function roleSessionNameFor(
  stsId: string,
  appName: string | readonly string[] | undefined,
): string {
  const app = appNameFromHeader(appName)
  if (!STS_NAME_CHARS.test(app)) {
    throw new InvalidAppNameError(
      'app-name may only contain letters, digits and + = , . @ _ - (the STS RoleSessionName alphabet)',
    )
  }
  return `${stsId}@${app}`.slice(0, ROLE_SESSION_NAME_MAX)
}

function appNameFromHeader(header: string | readonly string[] | undefined): string {
  if (header === undefined) return ''
  if (typeof header === 'string') return header
  if (header.length > 1) {
    throw new InvalidAppNameError(
      `app-name was sent ${header.length} times: send one app-name header`,
    )
  }
  return header[0] ?? ''
}

function hex(byte: number): string {
  return byte.toString(16).toUpperCase().padStart(2, '0')
}
