import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { loadConfig } from './config.js'
import type { ConfigIo } from './config.js'
import { ConfigError } from './errors.js'

const key = (name: string): string =>
  readFileSync(new URL(`../../../test/fixtures/keys/${name}`, import.meta.url), 'utf8')
const b64 = (text: string): string => Buffer.from(text).toString('base64')

const files: Record<string, string> = {
  'urs.json': JSON.stringify({ UrsId: 'tea-client', UrsAuth: b64('tea-client:app-password') }),
  'jwt.json': JSON.stringify({
    rsa_priv_key: b64(key('tea-rsa')),
    rsa_pub_key: b64(key('tea-rsa.pub')),
  }),
}
const io = (extra: Record<string, string> = {}): ConfigIo => ({
  readFile: async (path) => {
    const content = { ...files, ...extra }[path]
    if (content === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' })
    return content
  },
  secrets: {
    getSecretString: async (name) => {
      const value = { urs_creds_for_tea: files['urs.json'], jwt_secret_for_tea: files['jwt.json'] }[
        name
      ]
      if (value === undefined) throw new Error('ResourceNotFoundException')
      return value
    },
  },
})
const base = { URS_CREDS_SECRET_FILE: 'urs.json', JWT_KEY_SECRET_FILE: 'jwt.json' }

async function problemsOf(
  env: Record<string, string>,
  extraFiles?: Record<string, string>,
): Promise<readonly string[]> {
  try {
    await loadConfig(env, io(extraFiles))
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError)
    expect((err as ConfigError).code).toBe('ERR_CONFIG')
    return (err as ConfigError).problems
  }
  throw new Error('loadConfig did not throw')
}

describe('loadConfig', () => {
  it("applies TEA's defaults", async () => {
    const config = await loadConfig(base, io())
    expect(config).toEqual({
      authBaseUrl: 'https://urs.earthdata.nasa.gov',
      edlJwksUrl: 'https://urs.earthdata.nasa.gov/.well-known/edl_ops_jwks.json',
      urs: { clientId: 'tea-client', basicAuth: b64('tea-client:app-password') },
      session: {
        algorithm: 'RS256',
        cookieName: 'asf-urs',
        ttlSeconds: 86_400,
        keys: { privateKey: key('tea-rsa'), publicKey: key('tea-rsa.pub') },
      },
      cookie: { domain: undefined, secure: true },
      domainName: undefined,
      stageName: 'DEV',
      publicBaseUrl: undefined,
      maturity: 'DEV',
      blacklistEndpoint: undefined,
      upstreamTimeoutMs: 5000,
      port: 3000,
      logLevel: 'info',
      buildVersion: 'NOBUILD',
      bump: undefined,
      s3Credentials: {
        enabled: false,
        inRegionRoleArn: undefined,
        durationSeconds: 3600,
        reuse: false,
        rateLimit: 60,
        rateLimitWindowMs: 60_000,
      },
      bucketMap: {
        file: 'bucket_map.yaml',
        configBucket: undefined,
        bucketnamePrefix: 'gsfc-ngap-d-',
        reverse: false,
        configured: false,
      },
      downloads: {
        outOfRegionRoleArn: undefined,
        inRegionRoleArn: undefined,
        region: 'us-east-1',
        ipRangesUrl: 'https://ip-ranges.amazonaws.com/ip-ranges.json',
        s3Endpoint: undefined,
        suppressHead: false,
        corsOrigin: undefined,
        templateDir: undefined,
      },
    })
    expect(
      Object.isFrozen(config) &&
        Object.isFrozen(config.session.keys) &&
        Object.isFrozen(config.bucketMap),
    ).toBe(true)
  })

  it('reads every variable', async () => {
    const config = await loadConfig(
      {
        URS_CREDS_SECRET_NAME: 'urs_creds_for_tea',
        JWT_KEY_SECRET_NAME: 'jwt_secret_for_tea',
        AUTH_BASE_URL: 'https://uat.urs.earthdata.nasa.gov/',
        EDL_JWKS_URL: 'https://uat.urs.earthdata.nasa.gov/.well-known/edl_uat_jwks.json',
        JWT_COOKIENAME: 'my-cookie',
        SESSION_TTL_HRS: '0.5',
        COOKIE_DOMAIN: '.earthdata.example',
        COOKIE_SECURE: 'FALSE',
        DOMAIN_NAME: 'data.example:8443',
        STAGE_NAME: 'API',
        TEA_PUBLIC_URL: 'http://127.0.0.1:3000/tea',
        MATURITY: 'PROD',
        BLACKLIST_ENDPOINT: 'https://bl.example/list.json',
        PORT: '8080',
        LOGLEVEL: 'WARNING',
        BUILD_VERSION: 'abc123',
        BUMP: '2024-01-01, req',
        ENABLE_S3_CREDENTIALS_ENDPOINT: 'True',
        EGRESS_APP_DOWNLOAD_ROLE_INREGION_ARN: 'arn:aws:iam::123456789012:role/tea-in-region',
        S3_CREDENTIALS_DURATION_SECONDS: '900',
        S3_CREDENTIALS_REUSE: 'true',
        S3_CREDENTIALS_RATE_LIMIT: '0',
        S3_CREDENTIALS_RATE_LIMIT_WINDOW_SECONDS: '3600',
        UPSTREAM_TIMEOUT_SECONDS: '2.5',
        BUCKET_MAP_FILE: 'maps/map.yaml',
        CONFIG_BUCKET: 'my-config',
        BUCKETNAME_PREFIX: '',
        USE_REVERSE_BUCKET_MAP: 'TRUE',
      },
      io(),
    )
    expect(config).toMatchObject({
      authBaseUrl: 'https://uat.urs.earthdata.nasa.gov',
      edlJwksUrl: 'https://uat.urs.earthdata.nasa.gov/.well-known/edl_uat_jwks.json',
      session: { cookieName: 'my-cookie', ttlSeconds: 1800 },
      cookie: { domain: '.earthdata.example', secure: false },
      domainName: 'data.example:8443',
      stageName: 'API',
      publicBaseUrl: 'http://127.0.0.1:3000/tea/',
      maturity: 'PROD',
      blacklistEndpoint: 'https://bl.example/list.json',
      upstreamTimeoutMs: 2500,
      port: 8080,
      logLevel: 'warn',
      buildVersion: 'abc123',
      bump: '2024-01-01, req',
      s3Credentials: {
        enabled: true,
        inRegionRoleArn: 'arn:aws:iam::123456789012:role/tea-in-region',
        durationSeconds: 900,
        reuse: true,
        rateLimit: 0,
        rateLimitWindowMs: 3_600_000,
      },
      bucketMap: {
        file: 'maps/map.yaml',
        configBucket: 'my-config',
        bucketnamePrefix: '',
        reverse: true,
      },
    })
  })

  it('derives the JWKS URL from AUTH_BASE_URL, the bucket prefix from MATURITY, and truncates fractional TTLs', async () => {
    const config = await loadConfig(
      {
        ...base,
        AUTH_BASE_URL: 'http://127.0.0.1:9999',
        MATURITY: 'TEST',
        SESSION_TTL_HRS: '0.0005',
      },
      io(),
    )
    expect(config.edlJwksUrl).toBe('http://127.0.0.1:9999/.well-known/edl_ops_jwks.json')
    expect(config.bucketMap.bucketnamePrefix).toBe('gsfc-ngap-t-')
    expect(config.session.ttlSeconds).toBe(1)
  })

  it.each([
    [
      'AUTH_BASE_URL',
      'not a url',
      'AUTH_BASE_URL: must be an absolute http(s) URL (got "not a url")',
    ],
    [
      'AUTH_BASE_URL',
      'ftp://x',
      'AUTH_BASE_URL: must be an http(s) URL without credentials, query or fragment (got "ftp://x")',
    ],
    [
      'EDL_JWKS_URL',
      'https://x/?a=1',
      'EDL_JWKS_URL: must be an http(s) URL without credentials, query or fragment (got "https://x/?a=1")',
    ],
    ['JWT_ALGO', 'RS512', 'JWT_ALGO: must be one of RS256, HS256 (got "RS512")'],
    ['JWT_COOKIENAME', 'a b', 'JWT_COOKIENAME: must be a cookie name (RFC 7230 token) (got "a b")'],
    ['SESSION_TTL_HRS', '0', 'SESSION_TTL_HRS: must be a number greater than 0 (got "0")'],
    ['SESSION_TTL_HRS', '-1', 'SESSION_TTL_HRS: must be a number greater than 0 (got "-1")'],
    ['SESSION_TTL_HRS', 'abc', 'SESSION_TTL_HRS: must be a number greater than 0 (got "abc")'],
    ['SESSION_TTL_HRS', '0.0001', 'SESSION_TTL_HRS: must be at least one second (1/3600 hour)'],
    ['COOKIE_DOMAIN', 'a;b', 'COOKIE_DOMAIN: must be a domain name (got "a;b")'],
    ['COOKIE_SECURE', 'yes', 'COOKIE_SECURE: must be "true" or "false" (got "yes")'],
    [
      'DOMAIN_NAME',
      'https://x',
      'DOMAIN_NAME: must be a host name, optionally with :port (got "https://x")',
    ],
    ['STAGE_NAME', 'a/b', 'STAGE_NAME: must be letters, digits, "_" or "-" (got "a/b")'],
    [
      'TEA_PUBLIC_URL',
      '/relative',
      'TEA_PUBLIC_URL: must be an absolute http(s) URL (got "/relative")',
    ],
    [
      'BLACKLIST_ENDPOINT',
      'nope',
      'BLACKLIST_ENDPOINT: must be an absolute http(s) URL (got "nope")',
    ],
    ['PORT', '70000', 'PORT: must be an integer from 0 to 65535 (got "70000")'],
    ['PORT', '80.5', 'PORT: must be an integer from 0 to 65535 (got "80.5")'],
    [
      'LOGLEVEL',
      'LOUD',
      'LOGLEVEL: must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL (got "LOUD")',
    ],
    [
      'ENABLE_S3_CREDENTIALS_ENDPOINT',
      'yes',
      'ENABLE_S3_CREDENTIALS_ENDPOINT: must be "true" or "false" (got "yes")',
    ],
    [
      'EGRESS_APP_DOWNLOAD_ROLE_INREGION_ARN',
      'role',
      'EGRESS_APP_DOWNLOAD_ROLE_INREGION_ARN: must be an IAM role ARN (got "role")',
    ],
    [
      'S3_CREDENTIALS_DURATION_SECONDS',
      '899',
      'S3_CREDENTIALS_DURATION_SECONDS: must be an integer from 900 to 43200 (got "899")',
    ],
    [
      'S3_CREDENTIALS_DURATION_SECONDS',
      '43201',
      'S3_CREDENTIALS_DURATION_SECONDS: must be an integer from 900 to 43200 (got "43201")',
    ],
    ['S3_CREDENTIALS_REUSE', '1', 'S3_CREDENTIALS_REUSE: must be "true" or "false" (got "1")'],
    [
      'S3_CREDENTIALS_RATE_LIMIT',
      '-1',
      'S3_CREDENTIALS_RATE_LIMIT: must be an integer from 0 to 1000000 (got "-1")',
    ],
    [
      'S3_CREDENTIALS_RATE_LIMIT_WINDOW_SECONDS',
      '0.5',
      'S3_CREDENTIALS_RATE_LIMIT_WINDOW_SECONDS: must be an integer from 1 to 86400 (got "0.5")',
    ],
    [
      'UPSTREAM_TIMEOUT_SECONDS',
      '0',
      'UPSTREAM_TIMEOUT_SECONDS: must be a number from 0.1 to 60 (got "0")',
    ],
    [
      'UPSTREAM_TIMEOUT_SECONDS',
      '61',
      'UPSTREAM_TIMEOUT_SECONDS: must be a number from 0.1 to 60 (got "61")',
    ],
    [
      'USE_REVERSE_BUCKET_MAP',
      'nah',
      'USE_REVERSE_BUCKET_MAP: must be "true" or "false" (got "nah")',
    ],
  ])('%s=%j → %s', async (name, value, problem) => {
    expect(await problemsOf({ ...base, [name]: value })).toEqual([problem])
  })

  it('requires the in-region role ARN when the credentials endpoint is on, and takes an RGW ARN', async () => {
    expect(await problemsOf({ ...base, ENABLE_S3_CREDENTIALS_ENDPOINT: 'true' })).toEqual([
      'EGRESS_APP_DOWNLOAD_ROLE_INREGION_ARN: required when ENABLE_S3_CREDENTIALS_ENDPOINT is true',
    ])
    const config = await loadConfig(
      {
        ...base,
        ENABLE_S3_CREDENTIALS_ENDPOINT: 'true',
        EGRESS_APP_DOWNLOAD_ROLE_INREGION_ARN: 'arn:aws:iam:::role/tea',
      },
      io(),
    )
    expect(config.s3Credentials.inRegionRoleArn).toBe('arn:aws:iam:::role/tea')
  })

  it('serves downloads whenever a bucket map is configured, which needs a download role', async () => {
    expect(await problemsOf({ ...base, BUCKET_MAP_FILE: 'map.yaml' })).toEqual([
      'EGRESS_APP_DOWNLOAD_ROLE_ARN: required when a bucket map is configured (downloads are signed with it)',
    ])
    const one = await loadConfig(
      { ...base, CONFIG_BUCKET: 'cfg', EGRESS_APP_DOWNLOAD_ROLE_ARN: 'arn:aws:iam::1:role/out' },
      io(),
    )
    expect(one.bucketMap.configured).toBe(true)
    // One role signs for everyone until an in-region role is given.
    expect(one.downloads).toMatchObject({
      outOfRegionRoleArn: 'arn:aws:iam::1:role/out',
      inRegionRoleArn: 'arn:aws:iam::1:role/out',
    })
    const two = await loadConfig(
      {
        ...base,
        BUCKET_MAP_FILE: 'map.yaml',
        EGRESS_APP_DOWNLOAD_ROLE_ARN: 'arn:aws:iam::1:role/out',
        EGRESS_APP_DOWNLOAD_ROLE_INREGION_ARN: 'arn:aws:iam::1:role/in',
        AWS_DEFAULT_REGION: 'us-west-2',
        AWS_IP_RANGES_URL: 'http://127.0.0.1:9/ip-ranges.json',
        AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:7480/',
        SUPPRESS_HEAD: 'True',
        CORS_ORIGIN: '.example.org',
        HTML_TEMPLATE_DIR: 'templates/',
      },
      io(),
    )
    expect(two.downloads).toEqual({
      outOfRegionRoleArn: 'arn:aws:iam::1:role/out',
      inRegionRoleArn: 'arn:aws:iam::1:role/in',
      region: 'us-west-2',
      ipRangesUrl: 'http://127.0.0.1:9/ip-ranges.json',
      s3Endpoint: 'http://127.0.0.1:7480',
      suppressHead: true,
      corsOrigin: '.example.org',
      templateDir: 'templates/',
    })
  })

  it.each([
    [
      'https://urs.earthdata.nasa.gov',
      'https://urs.earthdata.nasa.gov/.well-known/edl_ops_jwks.json',
    ],
    [
      'https://uat.urs.earthdata.nasa.gov',
      'https://uat.urs.earthdata.nasa.gov/.well-known/edl_uat_jwks.json',
    ],
    ['http://127.0.0.1:3001', 'http://127.0.0.1:3001/.well-known/edl_ops_jwks.json'],
  ])('derives EDL_JWKS_URL from AUTH_BASE_URL %s', async (authBaseUrl, jwks) => {
    expect((await loadConfig({ ...base, AUTH_BASE_URL: authBaseUrl }, io())).edlJwksUrl).toBe(jwks)
  })

  it('names EDL_JWKS_URL for an EDL host without a known key set, and S3_SIGNATURE_VERSION other than v4', async () => {
    expect(
      await problemsOf({
        ...base,
        AUTH_BASE_URL: 'https://new.urs.earthdata.nasa.gov',
        S3_SIGNATURE_VERSION: 's3',
      }),
    ).toEqual([
      'EDL_JWKS_URL: required: no default is known for AUTH_BASE_URL host "new.urs.earthdata.nasa.gov" (set it to that EDL\'s JWKS URL)',
      'S3_SIGNATURE_VERSION: only "s3v4" (SigV4) is supported (got "s3")',
    ])
    await expect(loadConfig({ ...base, S3_SIGNATURE_VERSION: 's3v4' }, io())).resolves.toBeDefined()
  })

  it('collects every problem into one error, and counts "" as unset', async () => {
    expect(await problemsOf({ PORT: 'x', JWT_ALGO: 'none', DOMAIN_NAME: '' })).toEqual([
      'JWT_ALGO: must be one of RS256, HS256 (got "none")',
      'URS_CREDS_SECRET_NAME: required (or URS_CREDS_SECRET_FILE, a JSON file with the same content)',
      'JWT_KEY_SECRET_NAME: required (or JWT_KEY_SECRET_FILE, a JSON file with the same content)',
      'PORT: must be an integer from 0 to 65535 (got "x")',
    ])
  })

  describe('secrets', () => {
    const urs = (value: unknown) => ({ 'bad.json': JSON.stringify(value) })
    it.each([
      [
        { URS_CREDS_SECRET_FILE: 'missing.json' },
        {},
        'URS_CREDS_SECRET_FILE: cannot read file "missing.json" (ENOENT)',
      ],
      [
        { URS_CREDS_SECRET_FILE: 'bad.json' },
        { 'bad.json': '{' },
        'URS_CREDS_SECRET_FILE: is not valid JSON',
      ],
      [
        { URS_CREDS_SECRET_FILE: 'bad.json' },
        urs({ UrsId: 'x' }),
        'URS_CREDS_SECRET_FILE: must hold JSON with non-empty strings "UrsId" and "UrsAuth"',
      ],
      [
        { URS_CREDS_SECRET_FILE: 'bad.json' },
        urs({ UrsId: 'x', UrsAuth: 'not base64!' }),
        'URS_CREDS_SECRET_FILE: UrsAuth must be base64 of "client_id:password"',
      ],
      [
        { URS_CREDS_SECRET_FILE: 'bad.json' },
        urs({ UrsId: 'x', UrsAuth: b64('nocolon') }),
        'URS_CREDS_SECRET_FILE: UrsAuth must be base64 of "client_id:password"',
      ],
      [
        { URS_CREDS_SECRET_FILE: 'bad.json' },
        urs({ UrsId: 'x', UrsAuth: b64('y:pw') }),
        "URS_CREDS_SECRET_FILE: UrsAuth's client_id does not match UrsId",
      ],
      [
        { URS_CREDS_SECRET_NAME: 'nope', URS_CREDS_SECRET_FILE: undefined },
        {},
        'URS_CREDS_SECRET_NAME: cannot read secret "nope" (ResourceNotFoundException)',
      ],
      [
        { URS_CREDS_SECRET_NAME: 'urs_creds_for_tea' },
        {},
        'URS_CREDS_SECRET_NAME: set either URS_CREDS_SECRET_NAME or URS_CREDS_SECRET_FILE, not both',
      ],
    ])('%j → problem', async (env, extra, problem) => {
      expect(await problemsOf({ ...base, ...env } as Record<string, string>, extra)).toEqual([
        problem,
      ])
    })

    const jwt = (priv: string, pub: string) => ({
      'jwt2.json': JSON.stringify({ rsa_priv_key: b64(priv), rsa_pub_key: b64(pub) }),
    })
    it.each([
      [
        {},
        { 'jwt2.json': JSON.stringify({ rsa_priv_key: 'x' }) },
        'JWT_KEY_SECRET_FILE: must hold JSON with non-empty strings "rsa_priv_key" and "rsa_pub_key" (base64)',
      ],
      [
        {},
        { 'jwt2.json': JSON.stringify({ rsa_priv_key: '%%%', rsa_pub_key: '%%%' }) },
        'JWT_KEY_SECRET_FILE: rsa_priv_key and rsa_pub_key must be base64',
      ],
      [
        {},
        jwt(key('tea-rsa'), key('other-rsa.pub')),
        'JWT_KEY_SECRET_FILE: unusable RS256 keys: the public key does not match the private key',
      ],
      [
        {},
        jwt('junk', key('tea-rsa.pub')),
        'JWT_KEY_SECRET_FILE: unusable RS256 keys: not a PEM private key',
      ],
      [
        { JWT_ALGO: 'HS256' },
        jwt(key('tea-rsa'), key('tea-rsa.pub')),
        'JWT_KEY_SECRET_FILE: unusable HS256 keys: HS256 needs a shared secret, not an RSA or SSH key',
      ],
    ])('%j with a bad JWT secret → problem', async (env, extra, problem) => {
      expect(
        await problemsOf({ ...base, JWT_KEY_SECRET_FILE: 'jwt2.json', ...env }, extra),
      ).toEqual([problem])
    })

    it('reads secrets from Secrets Manager by name, and HS256 secrets', async () => {
      const config = await loadConfig(
        { URS_CREDS_SECRET_NAME: 'urs_creds_for_tea', JWT_KEY_SECRET_NAME: 'jwt_secret_for_tea' },
        io(),
      )
      expect(config.urs.clientId).toBe('tea-client')
      const secret = 'a-shared-hmac-secret-of-at-least-32-bytes!'
      const hs = await loadConfig(
        { ...base, JWT_ALGO: 'HS256', JWT_KEY_SECRET_FILE: 'jwt2.json' },
        io(jwt(secret, secret)),
      )
      expect(hs.session).toMatchObject({
        algorithm: 'HS256',
        keys: { privateKey: secret, publicKey: secret },
      })
    })
  })
})
