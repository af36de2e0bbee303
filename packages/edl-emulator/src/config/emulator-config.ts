import { Type } from '@sinclair/typebox'
import type { Static } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'

const Text = Type.String({ minLength: 1, maxLength: 256 })
// EDL uids are short login names; keeping them URL-safe lets them sit in `/api/users/<uid>`.
const Uid = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$' })

const GroupSchema = Type.Object(
  {
    client_id: Text,
    name: Text,
    group_id: Type.Optional(Text),
    tag: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    shared_user_group: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)

const UserSchema = Type.Object(
  {
    uid: Uid,
    password: Text,
    first_name: Type.String({ maxLength: 256 }),
    last_name: Type.String({ maxLength: 256 }),
    email_address: Type.String({ maxLength: 256 }),
    eula_accepted: Type.Optional(Type.Boolean()),
    unaccepted_eulas: Type.Optional(Type.Array(Text)),
    groups: Type.Optional(Type.Array(GroupSchema)),
    country: Type.Optional(Type.String({ maxLength: 256 })),
    organization: Type.Optional(Type.String({ maxLength: 256 })),
  },
  { additionalProperties: false },
)

const AppSchema = Type.Object(
  {
    client_id: Text,
    password: Text,
    name: Type.Optional(Text),
    redirect_uris: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 2048 }))),
  },
  { additionalProperties: false },
)

/** The JSON Schema of a users file (and of the `config` option), as TypeBox. */
export const EmulatorConfigSchema = Type.Object(
  {
    users: Type.Array(UserSchema),
    apps: Type.Array(AppSchema),
    issuer: Type.Optional(Text),
    keyId: Type.Optional(Text),
    key_id: Type.Optional(Text),
  },
  { additionalProperties: false },
)

/** A group membership as configured; the profile expands it into EDL's `user_groups` entry. */
export type EmulatorGroup = Static<typeof GroupSchema>
/**
 * An EDL user. `eula_accepted: false` (default true) means the user has accepted no app's EULA;
 * `unaccepted_eulas` lists the client_ids whose EULA the user has not accepted.
 */
export type EmulatorUser = Static<typeof UserSchema>
/**
 * A registered EDL application. Without `redirect_uris` any absolute http(s) redirect_uri is
 * accepted (tests start servers on port 0, so their callback URL is not known in advance).
 */
export type EmulatorApp = Static<typeof AppSchema>

/**
 * The emulator's configuration: users, apps, and the JWT `iss` and key id.
 * `issuer` defaults to `https://urs.earthdata.nasa.gov`; `keyId` (alias `key_id` in files)
 * defaults to `edljwtpubkey_ops`.
 */
export interface EmulatorConfig {
  readonly users: readonly EmulatorUser[]
  readonly apps: readonly EmulatorApp[]
  readonly issuer?: string
  readonly keyId?: string
  readonly key_id?: string
}

/** The configuration after validation, with defaults applied. */
export interface ResolvedEmulatorConfig {
  readonly users: readonly EmulatorUser[]
  readonly apps: readonly EmulatorApp[]
  readonly issuer: string
  readonly keyId: string
}

/** A users file or `config` object is malformed; the message names the source and each problem. */
export class EmulatorConfigError extends Error {
  readonly code = 'ERR_EDL_EMULATOR_CONFIG'
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'EmulatorConfigError'
  }
}

const MAX_REPORTED = 10

/**
 * Validates an untrusted configuration value and resolves its defaults. Throws
 * `EmulatorConfigError` listing every problem as `<source>: <path>: <what is wrong>`.
 *
 * @example
 * const config = parseEmulatorConfig(YAML.parse(text), 'users.yaml')
 */
export function parseEmulatorConfig(input: unknown, source = 'config'): ResolvedEmulatorConfig {
  if (!Value.Check(EmulatorConfigSchema, input)) {
    // TypeBox reports a missing property twice (required, then wrong type): keep the first.
    const firstByPath = new Map<string, string>()
    for (const e of Value.Errors(EmulatorConfigSchema, input)) {
      if (!firstByPath.has(e.path)) firstByPath.set(e.path, `${e.path || '/'}: ${e.message}`)
    }
    const problems = [...firstByPath.values()].slice(0, MAX_REPORTED)
    throw new EmulatorConfigError(`${source}: invalid EDL emulator config: ${problems.join('; ')}`)
  }
  const problems = crossChecks(input)
  if (problems.length > 0) {
    throw new EmulatorConfigError(`${source}: invalid EDL emulator config: ${problems.join('; ')}`)
  }
  return deepFreeze({
    users: structuredClone(input.users),
    apps: structuredClone(input.apps),
    issuer: input.issuer ?? 'https://urs.earthdata.nasa.gov',
    keyId: input.keyId ?? input.key_id ?? 'edljwtpubkey_ops',
  })
}

function crossChecks(config: Static<typeof EmulatorConfigSchema>): string[] {
  const problems: string[] = []
  if (config.keyId !== undefined && config.key_id !== undefined) {
    problems.push('/keyId: give keyId or key_id, not both')
  }
  duplicates(config.users.map((u) => u.uid)).forEach((uid) =>
    problems.push(`/users: duplicate uid "${uid}"`),
  )
  duplicates(config.apps.map((a) => a.client_id)).forEach((id) =>
    problems.push(`/apps: duplicate client_id "${id}"`),
  )
  config.apps.forEach((app, i) =>
    (app.redirect_uris ?? []).forEach((uri, j) => {
      if (!isHttpUrl(uri)) {
        problems.push(`/apps/${i}/redirect_uris/${j}: not an absolute http(s) URL`)
      }
    }),
  )
  return problems.slice(0, MAX_REPORTED)
}

function duplicates(values: readonly string[]): string[] {
  const seen = new Set<string>()
  return [...new Set(values.filter((v) => seen.size === seen.add(v).size))]
}

/** True for an absolute `http:` or `https:` URL. */
export function isHttpUrl(value: string): boolean {
  if (!URL.canParse(value)) return false
  const { protocol } = new URL(value)
  return protocol === 'http:' || protocol === 'https:'
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze)
    Object.freeze(value)
  }
  return value
}
