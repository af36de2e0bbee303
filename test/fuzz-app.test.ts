import { createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto'
import fc from 'fast-check'
import { SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { startEdlEmulator } from '@tea-ts/edl-emulator'
import type { RunningEdlEmulator } from '@tea-ts/edl-emulator'
import { buildApp, createEdlClient } from '@tea-ts/server'
import type { AssumeRoleInput, Config, RoleVendor } from '@tea-ts/server'
import {
  mapStsError,
  TEST_CLIENT_ID,
  TEST_CLIENT_PASSWORD,
  demoMap,
  EMULATOR_ALICE,
  s3CredentialsConfig,
} from '@tea-ts/server/testing'
import { FUZZ_SEED, fuzzRuns, secretLike, SECRET_PATTERN } from './helpers/fuzz.js'
import { captureLog, recordSecrets } from './log-audit/log-capture.js'

/**
 * Fuzzes the whole service as `buildApp` builds it, with the real authentication stack: the real
 * session codec (cookies signed with the service's key, with arbitrary claims), the real EDL
 * token verifier and EDL client against the EDL emulator (its JWKS, its profile API, its OAuth
 * codes), the real bucket map and route stack, and a stub STS that checks its input as STS
 * does and can be told to fail. Inputs: cookies, Authorization, app-name, User-Agent, paths,
 * query strings and `state`. Invariants, for every request:
 *
 * - no 5xx, except 503 from an STS failure the test injected;
 * - no credentials without a valid identity (a live cookie we signed, or a real EDL token);
 * - every `Location` resolves to the service's origin or to EDL's authorize URL;
 * - no secret the test minted (tokens, cookies, STS keys, secrets inside `state`) in any log
 *   line, nor in any body other than the credentials a valid identity asked for.
 *
 * A fixed seed in CI (FUZZ_SEED); FUZZ_RUNS=5000 runs longer.
 */

const ORIGIN = 'http://localhost'
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0'
const NOW_S = () => Math.floor(Date.now() / 1000)

let edl: RunningEdlEmulator
let config: Config
let app: FastifyInstance
const logLines: string[] = []
const unhandled: unknown[] = []
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason)
}

/** STS as a stub: minted secrets, STS's own input rules, and a fault when a request asks for one. */
let stsFault: 'throttle' | 'internal' | undefined
const stubSts: RoleVendor = {
  assumeRole: async (input: AssumeRoleInput) => {
    // STS's documented patterns: a refusal here means we sent STS something it would refuse.
    if (!/^[\w+=,.@-]{2,64}$/.test(input.sessionName))
      throw mapStsError(stsError('ValidationError', 400))
    if (input.externalId !== undefined && !/^[\w+=,.@:/-]{2,1224}$/.test(input.externalId))
      throw mapStsError(stsError('ValidationError', 400))
    if (stsFault === 'throttle') throw mapStsError(stsError('Throttling', 400))
    if (stsFault === 'internal') throw mapStsError(stsError('InternalFailure', 500))
    const credentials = {
      accessKeyId: `ASIAFUZZ${randomBytes(6).toString('hex').toUpperCase()}`,
      secretAccessKey: secretLike(),
      sessionToken: secretLike(),
      expiration: new Date(Date.now() + 3_600_000),
    }
    recordSecrets(credentials.secretAccessKey, credentials.sessionToken)
    return credentials
  },
}

function stsError(name: string, status: number): Error {
  return Object.assign(new Error(`${name} (stub)`), { name, $metadata: { httpStatusCode: status } })
}

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled)
  edl = await startEdlEmulator({
    config: {
      users: [
        EMULATOR_ALICE,
        {
          uid: 'bob',
          password: 'bob-pass',
          first_name: 'Bob',
          last_name: 'Nogroups',
          email_address: 'bob@example.com',
        },
      ],
      apps: [{ client_id: TEST_CLIENT_ID, password: TEST_CLIENT_PASSWORD }],
    },
  })
  const kept = captureLog('fuzz-app')
  config = await s3CredentialsConfig({
    AUTH_BASE_URL: edl.url,
    // The limit has its own tests; here it would only hide the STS path after 60 requests.
    S3_CREDENTIALS_RATE_LIMIT: '0',
  })
  app = await buildApp(config, {
    edl: createEdlClient({
      baseUrl: config.authBaseUrl,
      clientId: config.urs.clientId,
      basicAuth: config.urs.basicAuth,
      fetch: globalThis.fetch,
    }),
    roles: stubSts,
    bucketMap: demoMap(),
    fetch: globalThis.fetch,
    now: Date.now,
    log: {
      stream: {
        write: (line: string) => {
          logLines.push(line)
          kept.stream.write(line) // for the log audit at the end of npm test
        },
      },
      level: 'debug',
    },
  })
})

afterAll(async () => {
  await app?.close()
  await edl?.close()
  process.off('unhandledRejection', onUnhandled)
})

// ---- inputs ---------------------------------------------------------------------------------

/**
 * Any text made safe for a request target: non-printable and non-ASCII characters %-encoded, and
 * `\`, which inject() cannot carry in a path (it arrives decoded as `%5C` either way).
 */
function urlSafe(text: string): string {
  return Array.from(text, (c) => {
    if (/^[\x21-\x7e]$/.test(c) && c !== '#' && c !== '\\') return c
    try {
      return encodeURIComponent(c)
    } catch {
      return '%EF%BF%BD' // a lone surrogate
    }
  }).join('')
}

const text = fc.oneof(
  fc.string({ maxLength: 24 }),
  fc.string({ maxLength: 12, unit: 'binary' }),
  fc.constantFrom('', ' ', '/', 'a', 'é', 'x y', '..', '%', '%zz', '\u0000', 'A'.repeat(300)),
)

/** Paths an attacker would try for an open redirect, decoded or not. */
const REDIRECT_TRICKS = [
  '//evil.com',
  '/.//evil.com',
  '/..//evil.com',
  '/a/..//evil.com',
  '/%2e//evil.com',
  '/%2E%2E//evil.com',
  '/x/%2e%2e//evil.com',
  '/\\evil.com',
  '/%5Cevil.com',
  '/%2F%2Fevil.com',
  '/%252F%252Fevil.com',
  'https://evil.com/',
  'javascript:alert(1)',
  '/\t/evil.com',
  '/s3credentials',
  '/profile?x=1',
]

const ROUTES = [
  '/',
  '/login',
  '/logout',
  '/profile',
  '/s3credentials',
  '/s3credentialsREADME',
  '/version',
  '/pubkey',
  '/healthz',
]

/** The download route over the demo map: public, science-only and admin-only keys. */
const DOWNLOADS = [
  '/test/public/a.txt',
  '/test/data/b.bin',
  '/labelled/c.txt',
  '/other/shared/d.txt',
  '/other/secret/e.txt',
]

const path = fc.oneof(
  // The routes with the most logic get most of the runs.
  { weight: 4, arbitrary: fc.constant('/s3credentials') },
  { weight: 3, arbitrary: fc.constant('/login') },
  { weight: 3, arbitrary: fc.constantFrom(...ROUTES) },
  { weight: 2, arbitrary: fc.constantFrom(...DOWNLOADS) },
  { weight: 1, arbitrary: fc.constantFrom(...REDIRECT_TRICKS).map(urlSafe) },
  {
    weight: 2,
    arbitrary: fc
      .array(fc.oneof(text, fc.constantFrom('.', '..', '%2e', '%2E%2E', '', 'evil.com')), {
        maxLength: 4,
      })
      .map((parts) => urlSafe(`/${parts.join('/')}`)),
  },
)

/** A query value that hides a secret the way a careless client would, plain or encoded. */
const secretCarrier = fc
  .tuple(
    fc.constantFrom('token', 'access_token', 'X-Amz-Security-Token', 'code', 'password'),
    fc.constantFrom(0, 1, 2),
  )
  .map(([name, encodings]) => {
    const secret = secretLike()
    let state = `/s3credentials?${name}=${secret}`
    for (let i = 0; i < encodings; i++) state = encodeURIComponent(state)
    return { name, secret, state }
  })

interface Query {
  readonly text: string
  readonly secrets: readonly string[]
}

const query: fc.Arbitrary<Query> = fc
  .tuple(
    fc.array(
      fc.tuple(
        fc.oneof(fc.constantFrom('state', 'code', 'error', 'app_type', 'x'), text),
        fc.oneof(text, fc.constantFrom(...REDIRECT_TRICKS)),
      ),
      { maxLength: 3 },
    ),
    // `state` on its own, often: where a login sends the browser, and what gets logged.
    fc.option(
      fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...REDIRECT_TRICKS) },
        { weight: 1, arbitrary: text },
      ),
      { nil: undefined, freq: 2 },
    ),
    fc.option(secretCarrier, { nil: undefined, freq: 2 }),
    fc.boolean(),
  )
  .map(([pairs, state, carrier, raw]) => {
    const encode = raw ? urlSafe : encodeURIComponent
    const parts = pairs.map(([k, v]) => `${encode(k)}=${encode(v)}`)
    if (state !== undefined) parts.unshift(`state=${encode(state)}`)
    const secrets: string[] = []
    if (carrier !== undefined) {
      parts.push(`state=${encodeURIComponent(carrier.state)}`, `${carrier.name}=${carrier.secret}`)
      secrets.push(carrier.secret)
    }
    return { text: parts.length === 0 ? '' : `?${parts.join('&')}`, secrets }
  })

/** Mostly `value`, sometimes `other`: keeps most runs on the path that reaches deep code. */
function mostly<T>(value: T, other: T): fc.Arbitrary<T> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant(value) },
    { weight: 1, arbitrary: fc.constant(other) },
  )
}

/** Cookie claims: TEA's shape, sometimes broken, with arbitrary user ids and groups. */
const claims = fc.record({
  userId: fc.oneof(
    fc.constantFrom('alice', 'bob', 'a', 'x y', 'a/b', 'ü', 'user+1', '..', '@', 'a'.repeat(200)),
    text,
    fc.constant(undefined),
    fc.integer(),
  ),
  groups: fc.oneof(
    { weight: 4, arbitrary: fc.constant([{ client_id: TEST_CLIENT_ID, name: 'science' }]) },
    fc.array(fc.record({ client_id: fc.oneof(fc.constant(TEST_CLIENT_ID), text), name: text }), {
      maxLength: 3,
    }),
    fc.anything({ maxDepth: 2 }),
  ),
  names: fc.tuple(text, text, text),
  hasToken: mostly(true, false),
  expired: mostly(false, true),
})

type Claims = typeof claims extends fc.Arbitrary<infer C> ? C : never

interface Identity {
  /** The header value, or undefined. */
  readonly header: string | undefined
  /** Would a correct service accept this as a user? */
  readonly valid: boolean
  /** Minted tokens and secrets that must never be echoed. */
  readonly secrets: readonly string[]
}

type CookieKind =
  | { kind: 'none' }
  | { kind: 'garbage'; value: string; named: boolean }
  | { kind: 'signed'; claims: Claims }
  | { kind: 'forged'; how: 'other-key' | 'alg-none' | 'hs256-public-key' }

const cookieKind: fc.Arbitrary<CookieKind> = fc.oneof(
  fc.constant<CookieKind>({ kind: 'none' }),
  fc.record({ kind: fc.constant('garbage' as const), value: text, named: fc.boolean() }),
  fc.record({ kind: fc.constant('signed' as const), claims }),
  fc.record({ kind: fc.constant('signed' as const), claims }),
  fc.record({
    kind: fc.constant('forged' as const),
    how: fc.constantFrom('other-key' as const, 'alg-none' as const, 'hs256-public-key' as const),
  }),
)

const OTHER_KEY = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey

async function cookieFor(kind: CookieKind): Promise<Identity> {
  const name = config.session.cookieName
  switch (kind.kind) {
    case 'none':
      return { header: undefined, valid: false, secrets: [] }
    case 'garbage':
      return {
        header: urlSafe(kind.named ? `${name}=${kind.value}` : kind.value),
        valid: false,
        secrets: [],
      }
    case 'signed': {
      const c = kind.claims
      const accessToken = secretLike()
      const iat = NOW_S() - 10
      const payload: Record<string, unknown> = {
        'urs-user-id': c.userId,
        first_name: c.names[0],
        last_name: c.names[1],
        email: c.names[2],
        'urs-groups': c.groups,
        iat,
        exp: c.expired ? iat + 5 : iat + 3600,
        ...(c.hasToken ? { 'urs-access-token': accessToken } : {}),
      }
      const token = await new SignJWT(payload)
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
        .sign(createPrivateKey(config.session.keys.privateKey))
      const valid = typeof c.userId === 'string' && c.userId !== '' && c.hasToken && !c.expired
      return { header: `${name}=${token}`, valid, secrets: [token, accessToken] }
    }
    case 'forged': {
      const payload = {
        'urs-user-id': 'alice',
        'urs-access-token': secretLike(),
        'urs-groups': [{ client_id: TEST_CLIENT_ID, name: 'science' }],
        iat: NOW_S(),
        exp: NOW_S() + 3600,
      }
      let token: string
      if (kind.how === 'other-key') {
        token = await new SignJWT(payload).setProtectedHeader({ alg: 'RS256' }).sign(OTHER_KEY)
      } else if (kind.how === 'hs256-public-key') {
        token = await new SignJWT(payload)
          .setProtectedHeader({ alg: 'HS256' })
          .sign(new TextEncoder().encode(config.session.keys.publicKey))
      } else {
        const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url')
        token = `${part({ alg: 'none', typ: 'JWT' })}.${part(payload)}.`
      }
      return { header: `${name}=${token}`, valid: false, secrets: [token] }
    }
  }
}

type AuthKind =
  | { kind: 'none' }
  | { kind: 'garbage'; value: string }
  | { kind: 'edl'; user: 'alice' | 'bob'; shape: 'exact' | 'junk-after' | 'lower' | 'expired' }
  | { kind: 'forged-edl' }

const authKind: fc.Arbitrary<AuthKind> = fc.oneof(
  fc.constant<AuthKind>({ kind: 'none' }),
  fc.record({ kind: fc.constant('garbage' as const), value: text }),
  fc.record({
    kind: fc.constant('edl' as const),
    user: fc.constantFrom('alice' as const, 'bob' as const),
    shape: fc.constantFrom(
      'exact' as const,
      'junk-after' as const,
      'lower' as const,
      'expired' as const,
    ),
  }),
  fc.constant<AuthKind>({ kind: 'forged-edl' }),
)

async function authorizationFor(kind: AuthKind): Promise<Identity> {
  switch (kind.kind) {
    case 'none':
      return { header: undefined, valid: false, secrets: [] }
    case 'garbage':
      return { header: kind.value.replace(/[\r\n\0]/g, ' '), valid: false, secrets: [] }
    case 'edl': {
      const token = await edl.issueUserToken(
        kind.user,
        kind.shape === 'expired' ? { expiresInSeconds: 0 } : {},
      )
      const header =
        kind.shape === 'junk-after'
          ? `Bearer ${token} junk`
          : kind.shape === 'lower'
            ? `bearer ${token}`
            : `Bearer ${token}`
      return {
        header,
        valid: kind.shape === 'exact' || kind.shape === 'lower',
        secrets: [token],
      }
    }
    case 'forged-edl': {
      const token = await new SignJWT({ uid: 'alice', type: 'User' })
        .setProtectedHeader({ alg: 'RS256' })
        .setExpirationTime('1h')
        .sign(OTHER_KEY)
      return { header: `Bearer ${token}`, valid: false, secrets: [token] }
    }
  }
}

const appName = fc.oneof(
  fc.constant(undefined),
  text.map((t) => t.replace(/[\r\n\0]/g, ' ')),
  fc.tuple(fc.constantFrom('a', 'notebook'), fc.constantFrom('b', 'script')).map((p) => [...p]),
)

const userAgent = fc.oneof(
  fc.constantFrom(BROWSER, 'curl/8.5.0', 'python-requests/2.32', undefined),
  text.map((t) => t.replace(/[\r\n\0]/g, ' ')),
)

// ---- invariants -----------------------------------------------------------------------------

interface Response {
  readonly statusCode: number
  readonly headers: Record<string, string | string[] | number | undefined>
  readonly body: string
}

/** Where the service may send a browser: its own origin, or EDL's authorize page. */
function allowedTarget(target: string): boolean {
  return (
    new URL(target, `${ORIGIN}/`).origin === ORIGIN ||
    target.startsWith(`${edl.url}/oauth/authorize?`)
  )
}

function checkResponse(
  res: Response,
  context: {
    path: string
    identityValid: boolean
    stsFault: boolean
    /** Cookie and Authorization tokens: never echoed anywhere. */
    requestSecrets: readonly string[]
  },
): void {
  const where = `${res.statusCode} for ${context.path}`
  if (res.statusCode >= 500) {
    // Only an STS failure the test injected may surface as a 5xx, and only as a mapped 503.
    expect(context.stsFault && res.statusCode === 503, `${where}: ${res.body}`).toBe(true)
  }
  let credentials = false
  try {
    const json: unknown = JSON.parse(res.body)
    credentials = typeof json === 'object' && json !== null && 'secretAccessKey' in json
  } catch {
    // not JSON
  }
  if (credentials)
    expect(context.identityValid, `credentials without identity: ${where}`).toBe(true)

  const location = res.headers.location
  if (location !== undefined) {
    expect(allowedTarget(String(location)), `Location ${String(location)} (${where})`).toBe(true)
  }

  const body = res.body
  for (const secret of context.requestSecrets) {
    expect(body.includes(secret), `a request token in the body: ${where}`).toBe(false)
  }
  // A link back to where the caller asked to go (`state`) carries the caller's own URL, as a
  // Location would; only links to allowed targets are exempt, and only from the pattern check.
  const links = body.matchAll(/href="([^"]*)"/g)
  let rest = body
  for (const [attribute, href = ''] of links) {
    if (allowedTarget(href.replaceAll('&amp;', '&'))) rest = rest.replace(attribute, '')
  }
  if (!credentials) {
    expect(SECRET_PATTERN.test(rest), `a minted secret in the body: ${where}`).toBe(false)
  }
}

function checkLogs(lines: readonly string[], secrets: readonly string[]): void {
  for (const line of lines) {
    // Every secret this suite mints has one recognisable shape; tokens are checked literally.
    expect(SECRET_PATTERN.test(line), `a minted secret in a log line: ${line}`).toBe(false)
    for (const secret of secrets) {
      expect(line.includes(secret), `a minted token in a log line: ${line}`).toBe(false)
    }
  }
}

/** An OAuth code for alice from the emulator, as a browser would bring back to /login. */
async function realCode(): Promise<string> {
  const authorize = new URL(`${edl.url}/oauth/authorize`)
  authorize.searchParams.set('client_id', TEST_CLIENT_ID)
  authorize.searchParams.set('redirect_uri', `${ORIGIN}/login`)
  authorize.searchParams.set('response_type', 'code')
  const res = await fetch(authorize, {
    redirect: 'manual',
    headers: { authorization: `Basic ${Buffer.from('alice:alice-pass').toString('base64')}` },
  })
  const code = new URL(res.headers.get('location') ?? '').searchParams.get('code')
  if (code === null) throw new Error(`the emulator gave no code (${res.status})`)
  return code
}

describe('fuzz: buildApp with the real authentication stack', () => {
  it('holds the invariants for arbitrary cookies, Authorization, app-name, paths, queries and state', async () => {
    await fc.assert(
      fc.asyncProperty(
        path,
        query,
        cookieKind,
        authKind,
        appName,
        userAgent,
        fc.constantFrom(
          ...[undefined, undefined, undefined, undefined, undefined, undefined],
          'throttle' as const,
          'internal' as const,
        ),
        mostly(true, false),
        mostly<'GET' | 'HEAD' | 'POST' | 'DELETE'>('GET', 'HEAD'),
        fc.constantFrom<'GET' | 'HEAD' | 'POST' | 'DELETE'>('HEAD', 'POST', 'DELETE'),
        async (p, q, cookieK, authK, name, ua, fault, withCode, usual, unusual) => {
          const cookie = await cookieFor(cookieK)
          const auth = await authorizationFor(authK)
          const loginWithCode = withCode && p === '/login'
          const code = loginWithCode ? await realCode() : undefined
          // A real code goes first: the route reads the first `code`.
          const url =
            code === undefined ? `${p}${q.text}` : `${p}?code=${code}${q.text.replace(/^\?/, '&')}`
          const headers: Record<string, string | string[]> = { host: new URL(ORIGIN).host }
          if (cookie.header !== undefined) headers.cookie = cookie.header
          if (auth.header !== undefined) headers.authorization = auth.header
          if (name !== undefined) headers['app-name'] = name
          if (ua !== undefined) headers['user-agent'] = ua
          const secrets = [...cookie.secrets, ...auth.secrets, ...q.secrets]
          recordSecrets(...secrets, code)
          stsFault = fault
          const before = logLines.length
          // Mostly GET; sometimes HEAD, POST or DELETE (405s, bodies that must stay empty).
          const method = usual === 'GET' ? 'GET' : unusual
          const res = await app.inject({ method, url, headers })
          stsFault = undefined
          checkResponse(res, {
            path: url,
            identityValid: cookie.valid || auth.valid,
            stsFault: fault !== undefined,
            requestSecrets: [...cookie.secrets, ...auth.secrets],
          })
          checkLogs(logLines.slice(before), code === undefined ? secrets : [...secrets, code])
        },
      ),
      { seed: FUZZ_SEED, numRuns: fuzzRuns(300) },
    )
    expect(unhandled).toEqual([])
  })
})
