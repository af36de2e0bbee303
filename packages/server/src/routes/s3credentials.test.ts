import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { BucketMapError } from '../bucket-map/bucket-map-error.js'
import { parseBucketMap } from '../bucket-map/parse-bucket-map.js'
import type { AssumeRoleInput, RoleVendor } from '../credentials/role-vendor.js'
import { UpstreamThrottledError } from '../errors.js'
import {
  CURL,
  FIREFOX,
  TEST_CLIENT_ID,
  countingVendor,
  DEMO_MAP_PATH,
  expectErrorBody,
  logCapture,
  s3CredentialsConfig,
  sessionCookie,
  testApp,
  user,
} from '../testing/index.js'

/** /s3credentials through Fastify's inject(): the HTTP contract, with a fake STS. */

const EXPIRATION = new Date('2031-01-27T00:50:09.501Z')
const fixed: RoleVendor = {
  assumeRole: async (input: AssumeRoleInput) => ({
    accessKeyId: 'ASIAFAKE',
    secretAccessKey: 'fake-secret',
    sessionToken: 'fake-token',
    expiration: EXPIRATION,
    assumedRoleArn: `arn:aws:sts::123456789012:assumed-role/download/${input.sessionName}`,
  }),
}

// Demo map, group science: all of test-bucket, other-bucket/shared/ (TEA's statement order).
const SCIENCE_POLICY =
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],' +
  '"Resource":["arn:aws:s3:::test-bucket","arn:aws:s3:::test-bucket/*","arn:aws:s3:::other-bucket/shared/*"]},' +
  '{"Effect":"Allow","Action":["s3:ListBucket"],"Resource":["arn:aws:s3:::other-bucket"],' +
  '"Condition":{"StringLike":{"s3:prefix":["shared/*"]}}}]}'

let app: FastifyInstance | undefined
afterEach(async () => {
  await app?.close()
  app = undefined
})

/** alice (group science) asks for credentials with `app-name`, through a fresh app. */
async function askAsAlice(appName: string) {
  const config = await s3CredentialsConfig()
  const roles = countingVendor(fixed)
  app = await testApp({ config, roles })
  const res = await app.inject({
    url: '/s3credentials',
    headers: {
      cookie: await sessionCookie(config, user('alice', ['science'])),
      'app-name': appName,
    },
  })
  return { res, roles }
}

describe('GET /s3credentials (inject, fake STS)', () => {
  it('vends for a cookie session: exact body, key order, headers and AssumeRole input', async () => {
    const config = await s3CredentialsConfig()
    const roles = countingVendor(fixed)
    const logs = logCapture()
    app = await testApp({ config, roles, log: { stream: logs.stream, level: 'info' } })
    const res = await app.inject({
      method: 'GET',
      url: '/s3credentials',
      headers: {
        cookie: await sessionCookie(config, user('alice', ['science', 'unrelated'])),
        'App-Name': 'my-notebook',
        'user-agent': CURL,
      },
    })
    expect(res.statusCode).toBe(200)
    expect(res.body).toBe(
      '{"accessKeyId":"ASIAFAKE","secretAccessKey":"fake-secret","sessionToken":"fake-token",' +
        '"expiration":"2031-01-27 00:50:09+00:00"}',
    )
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(res.headers['cache-control']).toBe('no-store')
    expect(res.headers['set-cookie']).toBeUndefined()
    expect(roles.calls).toEqual([
      {
        roleArn: 'arn:aws:iam::123456789012:role/download',
        sessionName: 'alice@my-notebook',
        externalId: 'alice',
        durationSeconds: 3600,
        policy: SCIENCE_POLICY,
      },
    ])
    const vended = logs.lines.find((l) => l.url === '/s3credentials' && l.statusCode === 200)
    expect(vended).toMatchObject({
      sessionName: 'alice@my-notebook',
      assumedRoleArn: 'arn:aws:sts::123456789012:assumed-role/download/alice@my-notebook',
      source: 'sts',
    })
    expect(JSON.stringify(logs.lines)).not.toContain('fake-secret')
    expect(JSON.stringify(logs.lines)).not.toContain('fake-token')
  })

  it('only counts groups of this app’s client_id', async () => {
    const config = await s3CredentialsConfig()
    const roles = countingVendor(fixed)
    app = await testApp({ config, roles })
    const profile = {
      ...user('bob', []),
      groups: [
        { client_id: 'another-app', name: 'science' },
        { client_id: TEST_CLIENT_ID, name: 'admin' },
      ],
    }
    const res = await app.inject({
      url: '/s3credentials',
      headers: { cookie: await sessionCookie(config, profile) },
    })
    expect(res.statusCode).toBe(200)
    expect(roles.calls).toEqual([
      expect.objectContaining({
        sessionName: 'bob@',
        policy:
          '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],' +
          '"Resource":["arn:aws:s3:::test-bucket/public/*","arn:aws:s3:::other-bucket","arn:aws:s3:::other-bucket/*"]},' +
          '{"Effect":"Allow","Action":["s3:ListBucket"],"Resource":["arn:aws:s3:::test-bucket"],' +
          '"Condition":{"StringLike":{"s3:prefix":["public/*"]}}}]}',
      }),
    ])
  })

  it.each([
    [CURL, '&app_type=401'],
    [FIREFOX, ''],
  ])(
    'redirects an unauthenticated caller (%s) to EDL with state=/s3credentials',
    async (ua, tail) => {
      const config = await s3CredentialsConfig()
      const roles = countingVendor(fixed)
      app = await testApp({ config, roles })
      const res = await app.inject({ url: '/s3credentials', headers: { 'user-agent': ua } })
      expect(res.statusCode).toBe(302)
      expect(res.headers.location).toBe(
        'http://127.0.0.1:9/oauth/authorize?client_id=tea-test-client&response_type=code' +
          `&redirect_uri=http%3A%2F%2Flocalhost%3A80%2Flogin&state=%2Fs3credentials${tail}`,
      )
      expect(res.body).toBe('')
      expect(roles.calls).toEqual([])
    },
  )

  it.each([
    ['a space', 'my app'],
    ['a slash', 'team/app'],
    ['non-ASCII', 'café'],
  ])('answers 400 ERR_INVALID_APP_NAME for %s, without calling STS', async (_case, appName) => {
    const { res, roles } = await askAsAlice(appName)
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8')
    expectErrorBody(
      res,
      400,
      'ERR_INVALID_APP_NAME',
      'Bad Request',
      'app-name may only contain letters, digits and + = , . @ _ - (the STS RoleSessionName alphabet)',
    )
    expect(roles.calls).toEqual([])
  })

  it('cuts a long session name to 64 characters, as TEA', async () => {
    const { res, roles } = await askAsAlice('x'.repeat(100))
    expect(res.statusCode).toBe(200)
    expect(roles.calls).toEqual([
      expect.objectContaining({ sessionName: `alice@${'x'.repeat(58)}` }),
    ])
  })

  it.each([
    ['a space', 'j doe', 'j=20doe'],
    ['a slash', 'a/b', 'a=2Fb'],
    ['non-ASCII', 'jöe', 'j=C3=B6e'],
    ['one character', 'j', 'j='],
  ])('maps a user id with %s into the STS alphabet: 200, never 5xx', async (_c, id, mapped) => {
    const config = await s3CredentialsConfig()
    const roles = countingVendor(fixed)
    app = await testApp({ config, roles })
    const res = await app.inject({
      url: '/s3credentials',
      headers: { cookie: await sessionCookie(config, user(id, ['science'])), 'app-name': 'nb' },
    })
    expect(res.statusCode).toBe(200)
    expect(roles.calls).toEqual([
      expect.objectContaining({ sessionName: `${mapped}@nb`, externalId: mapped }),
    ])
  })

  it('Bearer <token> junk: 400 malformed Authorization, no EDL or STS call', async () => {
    const config = await s3CredentialsConfig()
    const roles = countingVendor(fixed)
    let fetches = 0
    const fetch = (async () => (fetches++, new Response('{}'))) as typeof globalThis.fetch
    app = await testApp({ config, roles, fetch })
    const res = await app.inject({
      url: '/s3credentials',
      headers: { authorization: 'Bearer a.b.c junk', 'user-agent': CURL },
    })
    expect([res.statusCode, res.json()]).toEqual([
      400,
      { status_code: 400, error_description: 'Malformed Authorization header' },
    ])
    expect([fetches, roles.calls]).toEqual([0, []])
  })

  it('a path that is not valid percent-encoding: 400 in the JSON error shape', async () => {
    const config = await s3CredentialsConfig()
    app = await testApp({ config, roles: fixed })
    for (const url of ['/%E0%A4%A', '/s3credentials%ZZ/x', '/%']) {
      const res = await app.inject({ url })
      expect(res.statusCode).toBe(400)
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8')
      expect(res.headers['x-content-type-options']).toBe('nosniff')
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
      expect(res.json()).toEqual({
        statusCode: 400,
        code: 'ERR_BAD_REQUEST',
        error: 'Bad Request',
        message: 'The URL path is not valid percent-encoding',
      })
    }
  })

  describe('a user whose groups reach no data', () => {
    const privateOnly = parseBucketMap(
      'MAP:\n  data: locked\nPRIVATE_BUCKETS:\n  locked: [staff]\n',
      {
        fileName: 'private.yaml',
        iamCompatible: true,
      },
    )

    it('gets TEA’s 403 as JSON (scripts), and STS is not called', async () => {
      const config = await s3CredentialsConfig()
      const roles = countingVendor(fixed)
      app = await testApp({ config, roles, bucketMap: privateOnly })
      const res = await app.inject({
        url: '/s3credentials',
        headers: { cookie: await sessionCookie(config, user('carol', [])), 'user-agent': CURL },
      })
      expectErrorBody(
        res,
        403,
        'ERR_FORBIDDEN',
        'Forbidden',
        'You do not have permission to access any data.',
      )
      expect(roles.calls).toEqual([])
    })

    it('gets TEA’s error page in a browser', async () => {
      const config = await s3CredentialsConfig()
      app = await testApp({ config, roles: fixed, bucketMap: privateOnly })
      const res = await app.inject({
        url: '/s3credentials',
        headers: { cookie: await sessionCookie(config, user('carol', [])), 'user-agent': FIREFOX },
      })
      expect(res.statusCode).toBe(403)
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8')
      expect(res.body).toContain('<title>Egress | 403 Could not access data</title>')
      expect(res.body).toContain(
        '<div id="contentstring">You do not have permission to access any data.</div>',
      )
    })
  })

  it('answers 503 with Retry-After when STS throttles, and no STS text', async () => {
    const config = await s3CredentialsConfig()
    const throttled: RoleVendor = {
      assumeRole: () =>
        Promise.reject(
          new UpstreamThrottledError('STS is throttling AssumeRole; retry after 2 s', 2, {
            cause: new Error('Rate exceeded (from STS)'),
          }),
        ),
    }
    app = await testApp({ config, roles: throttled })
    const res = await app.inject({
      url: '/s3credentials',
      headers: { cookie: await sessionCookie(config, user('alice', ['science'])) },
    })
    expect(res.headers['retry-after']).toBe('2')
    expectErrorBody(
      res,
      503,
      'ERR_UPSTREAM_THROTTLED',
      'Service Unavailable',
      'STS is throttling AssumeRole; retry after 2 s',
    )
  })
})

describe('start-up', () => {
  it('without ENABLE_S3_CREDENTIALS_ENDPOINT neither route exists', async () => {
    const config = await s3CredentialsConfig({ ENABLE_S3_CREDENTIALS_ENDPOINT: 'false' })
    app = await testApp({ config, roles: fixed })
    for (const url of ['/s3credentials', '/s3credentialsREADME']) {
      const res = await app.inject({ url })
      expect(res.statusCode).toBe(404)
    }
  })

  it('loads BUCKET_MAP_FILE and stops on an IAM-incompatible map, naming file, line and rule', async () => {
    const dir = await mkdtemp(join(tmpdir(), 's3cred-'))
    const file = join(dir, 'bad-map.yaml')
    await writeFile(
      file,
      [
        'MAP:',
        '  data: bucket-a',
        'PRIVATE_BUCKETS:',
        '  bucket-a: [g1]',
        '  bucket-a/open/: [g2]',
        '',
      ].join('\n'),
    )
    try {
      const config = await s3CredentialsConfig({ BUCKET_MAP_FILE: file })
      const err: unknown = await testApp({ config, roles: fixed, bucketMap: 'load' }).catch(
        (e: unknown) => e,
      )
      expect(err).toBeInstanceOf(BucketMapError)
      expect(err).toMatchObject({
        code: 'ERR_CONFIG',
        fileName: file,
        line: 5,
        message: `Invalid prefix permissions for bucket 'bucket-a': 'open/' has {'g2'} but '' has {'g1'}`,
      })
    } finally {
      await rm(dir, { recursive: true })
    }
  })

  it('loads a good BUCKET_MAP_FILE at start-up', async () => {
    const config = await s3CredentialsConfig({ BUCKET_MAP_FILE: fileURLToPath(DEMO_MAP_PATH) })
    const roles = countingVendor(fixed)
    app = await testApp({ config, roles, bucketMap: 'load' })
    const res = await app.inject({
      url: '/s3credentials',
      headers: { cookie: await sessionCookie(config, user('alice', ['science'])) },
    })
    expect(res.statusCode).toBe(200)
    expect(roles.calls).toEqual([expect.objectContaining({ policy: SCIENCE_POLICY })])
  })
})

describe('GET /s3credentialsREADME', () => {
  it('serves the rendered README without a login', async () => {
    const config = await s3CredentialsConfig()
    app = await testApp({ config, roles: fixed })
    const res = await app.inject({ url: '/s3credentialsREADME' })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(res.body).toContain('<h1>Direct S3 access with temporary credentials</h1>')
    expect(res.body).toContain('<h2>One hour, and why</h2>')
    expect(res.body).toContain('<strong>us-west-2</strong>')
    expect(res.body).toContain('<h2>The <code>app-name</code> header</h2>')
    expect(res.body).toContain('128 MiB to\n1 GiB')
    expect(res.body).toContain('fromS3Credentials')
    // GDAL reads credential_process only from 3.12 on; older versions need the env variables.
    expect(res.body).toContain('GDAL 3.12 or later')
    expect(res.body).toContain('<strong>GDAL before 3.12</strong>')
    expect(res.body).toContain('--format env)&quot;')
    expect(res.body).toContain('These do not refresh')
    expect(res.body).toContain('--format process')
    expect(res.body).toMatch(
      /<footer>Request ID: <span id="requestid">[0-9a-f-]{36}<\/span><\/footer>/,
    )
  })
})
