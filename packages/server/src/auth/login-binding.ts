import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto'

/** The cookie that ties a `/login` callback to the browser that went to EDL. */
export const LOGIN_BINDING_COOKIE = 'tea-login'
/** Long enough to type a password and accept a EULA at EDL. */
export const LOGIN_BINDING_TTL_SECONDS = 600

/** What `/login` found when it compared the callback with the binding cookie. */
export type LoginBindingCheck = 'bound' | 'missing' | 'mismatch'

export interface LoginBinding {
  /** A new cookie value binding a login that will come back with `state`. */
  issue(state: string | undefined): string
  /** Whether `cookieValue` was issued by us, for this `state`, and has not expired. */
  check(cookieValue: string | undefined, state: string | undefined): LoginBindingCheck
}

export interface LoginBindingOptions {
  /**
   * Secret material the HMAC key is derived from (HKDF-SHA256). The service passes its JWT
   * private key and URS credentials, so operators have no new secret to manage, and a key
   * rotation invalidates only logins in flight.
   */
  readonly secret: string
  /** Clock in epoch milliseconds. */
  readonly now: () => number
  readonly ttlSeconds?: number
}

/**
 * Login CSRF protection (see docs/decisions.md): the cookie holds `{expiry}.{nonce}.{mac}`,
 * with the MAC over the expiry, the nonce and `state`. An attacker cannot mint one (no key),
 * and one issued for the attacker's own login does not reach the victim's browser. Stateless,
 * so it works the same across Lambda instances.
 *
 * @example
 * const binding = createLoginBinding({ secret, now: Date.now })
 * const value = binding.issue('/s3credentials')
 * binding.check(value, '/s3credentials') // 'bound'
 */
export function createLoginBinding(options: LoginBindingOptions): LoginBinding {
  const key = Buffer.from(
    hkdfSync('sha256', options.secret, Buffer.alloc(0), 'tea-ts login binding v1', 32),
  )
  const ttl = options.ttlSeconds ?? LOGIN_BINDING_TTL_SECONDS
  const mac = (expiry: string, nonce: string, state: string | undefined): Buffer =>
    createHmac('sha256', key)
      .update(`${expiry}.${nonce}.${state ?? ''}`)
      .digest()
  return {
    issue(state) {
      const expiry = String(Math.floor(options.now() / 1000) + ttl)
      const nonce = randomBytes(16).toString('base64url')
      return `${expiry}.${nonce}.${mac(expiry, nonce, state).toString('base64url')}`
    },
    check(cookieValue, state) {
      if (cookieValue === undefined || cookieValue === '') return 'missing'
      const [expiry, nonce, given, extra] = cookieValue.split('.')
      if (expiry === undefined || nonce === undefined || given === undefined || extra !== undefined)
        return 'mismatch'
      if (!/^\d{1,12}$/.test(expiry) || Number(expiry) * 1000 <= options.now()) return 'mismatch'
      const expected = mac(expiry, nonce, state)
      const actual = Buffer.from(given, 'base64url')
      return actual.length === expected.length && timingSafeEqual(actual, expected)
        ? 'bound'
        : 'mismatch'
    },
  }
}
