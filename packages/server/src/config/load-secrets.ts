import { Type } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { createSessionCodec } from '../auth/session.js'
import type { JwtAlgorithm } from '../auth/session.js'
import type { SecretReader } from '../secrets/secret-reader.js'
import type { EnvReader } from './env-reader.js'

/** The EDL application's credentials (TEA's URS secret). */
export interface UrsCredentials {
  /** `UrsId`: the EDL client_id. */
  readonly clientId: string
  /** `UrsAuth`: base64 of "client_id:password", sent as `Authorization: Basic …`. */
  readonly basicAuth: string
}

/** The session cookie keys as text (decoded from the base64 TEA stores). */
export interface JwtKeyText {
  readonly publicKey: string
  readonly privateKey: string
}

export interface SecretIo {
  readonly readFile: (path: string) => Promise<string>
  readonly secrets: () => Promise<SecretReader>
}

const UrsSecret = Type.Object({
  UrsId: Type.String({ minLength: 1 }),
  UrsAuth: Type.String({ minLength: 1 }),
})
const JwtSecret = Type.Object({
  rsa_priv_key: Type.String({ minLength: 1 }),
  rsa_pub_key: Type.String({ minLength: 1 }),
})

/** Reads and checks `URS_CREDS_SECRET_NAME` / `URS_CREDS_SECRET_FILE`. */
export async function loadUrsCredentials(
  env: EnvReader,
  io: SecretIo,
): Promise<UrsCredentials | undefined> {
  const secret = await readSecretJson(env, io, 'URS_CREDS_SECRET')
  if (secret === undefined) return undefined
  if (!Value.Check(UrsSecret, secret.json)) {
    env.problem(secret.variable, 'must hold JSON with non-empty strings "UrsId" and "UrsAuth"')
    return undefined
  }
  const { UrsId: clientId, UrsAuth: basicAuth } = secret.json
  const decoded = decodeBase64(basicAuth)
  const colon = decoded?.indexOf(':') ?? -1
  if (decoded === undefined || colon <= 0 || colon === decoded.length - 1) {
    env.problem(secret.variable, 'UrsAuth must be base64 of "client_id:password"')
    return undefined
  }
  if (decoded.slice(0, colon) !== clientId) {
    env.problem(secret.variable, "UrsAuth's client_id does not match UrsId")
    return undefined
  }
  return { clientId, basicAuth }
}

/**
 * Reads `JWT_KEY_SECRET_NAME` / `JWT_KEY_SECRET_FILE` and proves the keys work by building the
 * session codec (parses both keys, checks the RSA pair or the HS256 secret).
 */
export async function loadJwtKeys(
  env: EnvReader,
  io: SecretIo,
  algorithm: JwtAlgorithm,
): Promise<JwtKeyText | undefined> {
  const secret = await readSecretJson(env, io, 'JWT_KEY_SECRET')
  if (secret === undefined) return undefined
  if (!Value.Check(JwtSecret, secret.json)) {
    env.problem(
      secret.variable,
      'must hold JSON with non-empty strings "rsa_priv_key" and "rsa_pub_key" (base64)',
    )
    return undefined
  }
  const privateKey = decodeBase64(secret.json.rsa_priv_key)
  const publicKey = decodeBase64(secret.json.rsa_pub_key)
  if (privateKey === undefined || publicKey === undefined) {
    env.problem(secret.variable, 'rsa_priv_key and rsa_pub_key must be base64')
    return undefined
  }
  try {
    createSessionCodec({ algorithm, publicKey, privateKey, ttlSeconds: 1 })
  } catch (err) {
    env.problem(
      secret.variable,
      `unusable ${algorithm} keys: ${err instanceof Error ? err.message : String(err)}`,
    )
    return undefined
  }
  return { publicKey, privateKey }
}

async function readSecretJson(
  env: EnvReader,
  io: SecretIo,
  base: 'URS_CREDS_SECRET' | 'JWT_KEY_SECRET',
): Promise<{ variable: string; json: unknown } | undefined> {
  const name = env.raw(`${base}_NAME`)
  const file = env.raw(`${base}_FILE`)
  if (name !== undefined && file !== undefined) {
    env.problem(`${base}_NAME`, `set either ${base}_NAME or ${base}_FILE, not both`)
    return undefined
  }
  if (name === undefined && file === undefined) {
    env.problem(`${base}_NAME`, `required (or ${base}_FILE, a JSON file with the same content)`)
    return undefined
  }
  const variable = name !== undefined ? `${base}_NAME` : `${base}_FILE`
  let text: string
  try {
    text =
      name !== undefined
        ? await (await io.secrets()).getSecretString(name)
        : await io.readFile(file ?? '')
  } catch (err) {
    const reason =
      err instanceof Error ? ((err as { code?: unknown }).code ?? err.message) : 'unknown error'
    env.problem(
      variable,
      `cannot read ${name !== undefined ? `secret "${name}"` : `file "${file}"`} (${String(reason)})`,
    )
    return undefined
  }
  try {
    return { variable, json: JSON.parse(text) as unknown }
  } catch {
    env.problem(variable, 'is not valid JSON')
    return undefined
  }
}

/** Strict base64 (standard alphabet, optional padding, whitespace ignored) to UTF-8, or undefined. */
function decodeBase64(value: string): string | undefined {
  const compact = value.replace(/\s+/g, '')
  if (
    compact === '' ||
    !/^[A-Za-z0-9+/]+={0,2}$/.test(compact) ||
    compact.replace(/=+$/, '').length % 4 === 1
  ) {
    return undefined
  }
  return Buffer.from(compact, 'base64').toString('utf8')
}
