import { readFileSync } from 'node:fs'
import type { FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { buildApp } from '../app.js'
import type { EdlClient, EdlUser } from '../auth/edl-client.js'
import { createSessionCodec } from '../auth/session.js'
import type { UserProfile } from '../auth/user-profile.js'
import { parseBucketMap } from '../bucket-map/parse-bucket-map.js'
import { loadConfig } from '../config.js'
import type { Config } from '../config.js'
import type { AssumeRoleInput, RoleVendor } from '../credentials/role-vendor.js'
import { ObjectCheckError } from '../egress/object-store.js'
import type { ObjectStore } from '../egress/object-store.js'

/**
 * TEA's data-path unit tests (TEA's tests/test_app.py) ported: the whole app
 * through inject() with fake STS, S3 and EDL. The real-stack versions are in test/egress.test.ts.
 */

const key = (name: string): string =>
  readFileSync(new URL(`../../../../test/fixtures/keys/${name}`, import.meta.url), 'utf8')
const b64 = (text: string): string => Buffer.from(text).toString('base64')
const T0 = 1_700_000_000_000
const OUT = 'arn:aws:iam::123456789012:role/download-out'
const IN = 'arn:aws:iam::123456789012:role/download-in'

// Modelled on TEA's tests/data/bucket_map_example.yaml.
const MAP = `
MAP:
  DATA-TYPE-1:
    PLATFORM-A: pa-dt1
  BROWSE:
    PLATFORM-A: pa-bro
  HEADERS:
    BROWSE:
      bucket: pa-bro
      headers:
        x-rainheader1: rainheader1 value
  PRIVATE:
    PLATFORM-A:
      bucket: pa-priv
      headers:
        x-rainheader2: rainheader2 value
PUBLIC_BUCKETS:
  pa-bro: browse imagery
  pa-dt1/browse/: public inside private
PRIVATE_BUCKETS:
  pa-priv:
    - PRIVATE_GROUP
`

async function config(env: Record<string, string> = {}): Promise<Config> {
  const files: Record<string, string> = {
    'urs.json': JSON.stringify({ UrsId: 'tea-client', UrsAuth: b64('tea-client:pw') }),
    'jwt.json': JSON.stringify({
      rsa_priv_key: b64(key('tea-rsa')),
      rsa_pub_key: b64(key('tea-rsa.pub')),
    }),
  }
  return loadConfig(
    {
      URS_CREDS_SECRET_FILE: 'urs.json',
      JWT_KEY_SECRET_FILE: 'jwt.json',
      AUTH_BASE_URL: 'https://edl.example',
      BUCKET_MAP_FILE: 'bucket_map.yaml',
      EGRESS_APP_DOWNLOAD_ROLE_ARN: OUT,
      EGRESS_APP_DOWNLOAD_ROLE_INREGION_ARN: IN,
      AWS_REGION: 'us-east-1',
      AWS_IP_RANGES_URL: 'https://ip-ranges.example/ip-ranges.json',
      COOKIE_SECURE: 'false',
      ...env,
    },
    { readFile: async (path) => files[path] ?? '' },
  )
}

interface Harness {
  app: FastifyInstance
  sts: AssumeRoleInput[]
  heads: { bucket: string; key: string; range: string | undefined }[]
  edlCalls: string[]
  metrics: Record<string, unknown>[]
  clock: { now: number }
  store: { head: () => Promise<{ size: number | undefined }>; region: () => Promise<string> }
  edlProfile: { user: EdlUser }
  cookie(profile: UserProfile): Promise<string>
}

const user = (userId: string, groups: string[] = []): UserProfile => ({
  userId,
  firstName: 'Test',
  lastName: 'User',
  email: `${userId}@example.com`,
  groups: groups.map((name) => ({ client_id: 'tea-client', name })),
  accessToken: 'user-token',
})

let current: FastifyInstance | undefined
afterEach(async () => {
  await current?.close()
  current = undefined
})

async function harness(env: Record<string, string> = {}, map = MAP): Promise<Harness> {
  const cfg = await config(env)
  const clock = { now: T0 }
  const sts: AssumeRoleInput[] = []
  const heads: Harness['heads'] = []
  const edlCalls: string[] = []
  const metrics: Record<string, unknown>[] = []
  const store: Harness['store'] = {
    head: async () => ({ size: 42 }),
    region: async () => 'us-east-1',
  }
  const edlProfile = {
    user: { uid: 'x', firstName: '', lastName: '', email: '', groups: [] } as EdlUser,
  }
  const roles: RoleVendor = {
    assumeRole: async (input) => {
      sts.push(input)
      const role = input.roleArn === IN ? 'IN' : 'OUT'
      return {
        accessKeyId: `AKIA${role}${sts.length}`,
        secretAccessKey: 'secret',
        sessionToken: 'token',
        expiration: new Date(clock.now + 3600_000),
      }
    },
  }
  const objects: ObjectStore = {
    headObject: async (_c, bucket, k, range) => {
      heads.push({ bucket, key: k, range })
      return store.head()
    },
    bucketRegion: () => store.region(),
  }
  const edl: EdlClient = {
    exchangeCode: () => Promise.reject(new Error('not used')),
    getProfile: async ({ userId, token }) => {
      edlCalls.push(`${userId}:${token}`)
      return edlProfile.user
    },
    getAppToken: async () => 'app-token',
  }
  const ranges = {
    prefixes: [{ ip_prefix: '10.20.0.0/16', region: 'us-east-1', service: 'AMAZON' }],
  }
  const app = await buildApp(cfg, {
    edl,
    roles,
    bucketMap: parseBucketMap(map, {
      fileName: 'bucket_map.yaml',
      bucketNamePrefix: cfg.bucketMap.bucketnamePrefix,
    }),
    objects,
    metrics: { write: (line) => void metrics.push(JSON.parse(line) as Record<string, unknown>) },
    fetch: (async () => Response.json(ranges)) as unknown as typeof fetch,
    now: () => clock.now,
    log: false,
  })
  current = app
  const codec = createSessionCodec({
    algorithm: cfg.session.algorithm,
    publicKey: cfg.session.keys.publicKey,
    privateKey: cfg.session.keys.privateKey,
    ttlSeconds: cfg.session.ttlSeconds,
    now: () => clock.now,
  })
  return {
    app,
    sts,
    heads,
    edlCalls,
    metrics,
    clock,
    store,
    edlProfile,
    cookie: async (profile) => `asf-urs=${(await codec.mint(profile)).token}`,
  }
}

const get = (
  h: Harness,
  url: string,
  headers: Record<string, string> = {},
  method: 'GET' | 'HEAD' | 'OPTIONS' = 'GET',
) => h.app.inject({ method, url, headers: { 'user-agent': 'curl/8.5.0', ...headers } })

describe('GET /{proxy+} (TEA test_app.py data path)', () => {
  it('redirects 303 with exact headers; Cache-Control counts the cached credentials age (max-age = 3600 - age - 60)', async () => {
    const h = await harness()
    await get(h, '/BROWSE/PLATFORM-A/warm.jpg')
    h.clock.now += 500_000
    const res = await get(h, '/BROWSE/PLATFORM-A/OBJECT_1.jpg')
    expect(res.statusCode).toBe(303)
    expect(res.body).toBe('')
    expect(res.headers['cache-control']).toBe('private, max-age=3040')
    const location = new URL(String(res.headers.location))
    expect(location.origin + location.pathname).toBe(
      'https://gsfc-ngap-d-pa-bro.s3.amazonaws.com/OBJECT_1.jpg',
    )
    expect(location.searchParams.get('A-userid')).toBe('None')
    expect(location.searchParams.get('X-Amz-Expires')).toBe('3100')
    expect(location.searchParams.get('X-Amz-Credential')).toMatch(
      /^AKIAOUT1\/20231114\/us-east-1\/s3\/aws4_request$/,
    )
    expect(h.sts).toHaveLength(1)
    // Older than 10 minutes: new credentials, a full hour again.
    h.clock.now += 100_000
    const renewed = await get(h, '/BROWSE/PLATFORM-A/OBJECT_1.jpg')
    expect(renewed.headers['cache-control']).toBe('private, max-age=3540')
    expect(h.sts).toHaveLength(2)
  })

  it('signs for the bucket region on its regional host, and warns of another region', async () => {
    const h = await harness()
    h.store.region = async () => 'us-west-2'
    const res = await get(h, '/BROWSE/PLATFORM-A/x.jpg')
    expect(String(res.headers.location)).toMatch(
      /^https:\/\/gsfc-ngap-d-pa-bro\.s3\.us-west-2\.amazonaws\.com\/x\.jpg\?.*%2Fus-west-2%2Fs3%2F/,
    )
  })

  it('SUPPRESS_HEAD skips the existence check', async () => {
    const h = await harness({ SUPPRESS_HEAD: 'true' })
    h.store.head = () => Promise.reject(new ObjectCheckError(404))
    expect((await get(h, '/BROWSE/PLATFORM-A/gone.jpg')).statusCode).toBe(303)
    expect(h.heads).toEqual([])
  })

  it('a bucket-region error is the error page with S3 status (else 400)', async () => {
    const h = await harness()
    h.store.region = () => Promise.reject(new ObjectCheckError(403))
    const res = await get(h, '/BROWSE/PLATFORM-A/x.jpg', { 'user-agent': 'Mozilla/5.0' })
    expect(res.statusCode).toBe(403)
    expect(res.headers['content-type']).toMatch(/^text\/html/)
    expect(res.body).toContain('There was a problem accessing download data.')
    expect(res.body).toContain(String(res.headers['x-request-id']))
    expect(h.metrics.at(-1)).toMatchObject({ reason: 'ClientError', code: 403, status: 'failure' })
    const h2 = await harness()
    h2.store.region = () => Promise.reject(new ObjectCheckError(0))
    expect((await get(h2, '/BROWSE/PLATFORM-A/x.jpg')).statusCode).toBe(400)
  })

  it('404 when HeadObject fails with anything but 416 (TEA), 416 otherwise', async () => {
    const h = await harness()
    h.store.head = () => Promise.reject(new ObjectCheckError(403))
    const res = await get(h, '/BROWSE/PLATFORM-A/x.jpg')
    expect(res.statusCode).toBe(404)
    expect(res.json()).toMatchObject({ title: 'Data Not Available' })
    h.store.head = () => Promise.reject(new ObjectCheckError(416))
    const range = await get(h, '/BROWSE/PLATFORM-A/x.jpg', { range: 'bytes=99-' })
    expect(range.statusCode).toBe(416)
    expect(h.heads.at(-1)).toEqual({
      bucket: 'gsfc-ngap-d-pa-bro',
      key: 'x.jpg',
      range: 'bytes=99-',
    })
  })

  it('public data with a cookie carries the user; bearer tokens are ignored on public data', async () => {
    const h = await harness()
    const withCookie = await get(h, '/BROWSE/PLATFORM-A/x.jpg', {
      cookie: await h.cookie(user('jdoe')),
    })
    expect(new URL(String(withCookie.headers.location)).searchParams.get('A-userid')).toBe('jdoe')
    const withToken = await get(h, '/BROWSE/PLATFORM-A/x.jpg', { authorization: 'Bearer abc' })
    expect(new URL(String(withToken.headers.location)).searchParams.get('A-userid')).toBe('None')
  })

  it('public prefix inside a private bucket (TEA #417); the rest of that bucket needs a login', async () => {
    const h = await harness()
    expect((await get(h, '/DATA-TYPE-1/PLATFORM-A/browse/b.jpg')).statusCode).toBe(303)
    const priv = await get(h, '/DATA-TYPE-1/PLATFORM-A/data.nc')
    expect(priv.statusCode).toBe(302)
    expect(String(priv.headers.location)).toMatch(
      /^https:\/\/edl\.example\/oauth\/authorize\?.*state=%2FDATA-TYPE-1%2FPLATFORM-A%2Fdata\.nc/,
    )
    expect(priv.body).toBe('')
  })

  it('private data: custom headers, and the group refresh reissues the cookie with the custom headers', async () => {
    const h = await harness()
    const member = await get(h, '/PRIVATE/PLATFORM-A/d.nc', {
      cookie: await h.cookie(user('jdoe', ['PRIVATE_GROUP'])),
    })
    expect(member.statusCode).toBe(303)
    expect(member.headers['x-rainheader2']).toBe('rainheader2 value')
    expect(member.headers['set-cookie']).toBeUndefined()
    expect(h.edlCalls).toEqual([])

    const stale = await h.cookie(user('newbie', []))
    const denied = await get(h, '/PRIVATE/PLATFORM-A/d.nc', { cookie: stale })
    expect(denied.statusCode).toBe(403)
    expect(denied.json()).toMatchObject({ title: 'Could not access data' })
    expect(String(denied.headers['set-cookie'])).toMatch(/^asf-urs=/)
    expect(h.edlCalls).toEqual(['newbie:user-token'])

    h.edlProfile.user = {
      uid: 'newbie',
      firstName: 'New',
      lastName: 'Bie',
      email: 'n@example.com',
      groups: [{ client_id: 'tea-client', name: 'PRIVATE_GROUP' }],
    }
    const allowed = await get(h, '/PRIVATE/PLATFORM-A/d.nc', { cookie: stale })
    expect(allowed.statusCode).toBe(303)
    expect(allowed.headers['x-rainheader2']).toBe('rainheader2 value')
    expect(String(allowed.headers['set-cookie'])).toMatch(/^asf-urs=/)
  })

  it('a group of another EDL client does not count', async () => {
    const h = await harness()
    const other = { ...user('jdoe'), groups: [{ client_id: 'other-app', name: 'PRIVATE_GROUP' }] }
    expect(
      (await get(h, '/PRIVATE/PLATFORM-A/d.nc', { cookie: await h.cookie(other) })).statusCode,
    ).toBe(403)
  })

  it('custom headers on public data (TEA test_dynamic_url_public_custom_headers)', async () => {
    const h = await harness()
    const res = await get(h, '/HEADERS/BROWSE/OBJECT_BROWSE')
    expect(res.statusCode).toBe(303)
    expect(res.headers['x-rainheader1']).toBe('rainheader1 value')
  })

  it("TEA's 404s: bad bucket, directory, one segment", async () => {
    const h = await harness()
    for (const [url, title] of [
      ['/NOPE/PLATFORM-A/x', 'File not found'],
      ['/DATA-TYPE-1/PLATFORM-A/', 'Request Not Serviceable'],
      ['/s3credentials', 'File not found'],
    ] as const) {
      const res = await get(h, url)
      expect(res.statusCode).toBe(404)
      expect(res.json()).toMatchObject({ title, requestId: res.headers['x-request-id'] })
    }
    // TEA writes no Cumulus line for these (metric filters count S3 failures only).
    expect(h.metrics).toEqual([])
  })

  it('passes A-api-request-uuid into the signed URL, before A-userid', async () => {
    const h = await harness()
    const res = await get(h, '/BROWSE/PLATFORM-A/x.jpg?A-api-request-uuid=abc-123')
    expect(String(res.headers.location)).toContain(
      '/x.jpg?A-api-request-uuid=abc-123&A-userid=None&',
    )
  })

  it('drops an A-api-request-uuid that is not a short printable token', async () => {
    const h = await harness()
    const res = await get(h, `/BROWSE/PLATFORM-A/x.jpg?A-api-request-uuid=${'a'.repeat(201)}`)
    expect(String(res.headers.location)).toContain('/x.jpg?A-userid=None&')
  })

  it('an invalid or expired cookie on private data is a login redirect (TEA e2e bad cookies)', async () => {
    const h = await harness()
    for (const cookie of ['asf-urs=not-a-jwt', 'asf-urs=a.b.c']) {
      const res = await get(h, '/PRIVATE/PLATFORM-A/d.nc', { cookie })
      expect(res.statusCode).toBe(302)
      expect(String(res.headers.location)).toMatch(/^https:\/\/edl\.example\/oauth\/authorize\?/)
    }
    const expired = await h.cookie(user('jdoe', ['PRIVATE_GROUP']))
    h.clock.now += 25 * 3600_000
    expect((await get(h, '/PRIVATE/PLATFORM-A/d.nc', { cookie: expired })).statusCode).toBe(302)
  })

  it('USE_REVERSE_BUCKET_MAP swaps the first two of three segments', async () => {
    const h = await harness({ USE_REVERSE_BUCKET_MAP: 'true' })
    const res = await get(h, '/PLATFORM-A/BROWSE/x.jpg')
    expect(String(res.headers.location)).toMatch(
      /^https:\/\/gsfc-ngap-d-pa-bro\.s3\.amazonaws\.com\/x\.jpg\?/,
    )
    const plain = await harness()
    expect((await get(plain, '/PLATFORM-A/BROWSE/x.jpg')).statusCode).toBe(404)
  })

  it('BUCKETNAME_PREFIX applies to the S3 bucket', async () => {
    const h = await harness({ BUCKETNAME_PREFIX: 'prfx-d-' })
    const res = await get(h, '/BROWSE/PLATFORM-A/x.jpg')
    expect(String(res.headers.location)).toMatch(/^https:\/\/prfx-d-pa-bro\.s3\.amazonaws\.com\//)
  })

  it('client IP: first X-Forwarded-For hop, spaces removed, picks the in-region role', async () => {
    const h = await harness()
    await get(h, '/BROWSE/PLATFORM-A/x.jpg', { 'x-forwarded-for': ' 10.20.1.1 , 1.2.3.4' })
    await get(h, '/BROWSE/PLATFORM-A/x.jpg', { 'x-forwarded-for': '1.2.3.4, 10.20.1.1' })
    expect(h.sts.map((c) => c.roleArn)).toEqual([IN, OUT])
    expect(h.sts[0]).toMatchObject({
      sessionName: 'unauthenticated@1700000000',
      durationSeconds: 3600,
    })
  })

  it('echoes x-origin-request-id on the redirect', async () => {
    const h = await harness()
    const res = await get(h, '/BROWSE/PLATFORM-A/x.jpg', { 'x-origin-request-id': 'origin-1' })
    expect(res.headers['x-origin-request-id']).toBe('origin-1')
  })
})

describe('HEAD and OPTIONS /{proxy+}', () => {
  it('HEAD 303 to a presigned HEAD with A-userid empty for anonymous public data; 404 without a map entry', async () => {
    const h = await harness()
    const res = await get(h, '/BROWSE/PLATFORM-A/x.jpg', {}, 'HEAD')
    expect(res.statusCode).toBe(303)
    expect(new URL(String(res.headers.location)).searchParams.get('A-userid')).toBe('')
    expect((await get(h, '/NOPE/PLATFORM-A/x', {}, 'HEAD')).statusCode).toBe(404)
  })

  it('HEAD of private data needs a login (TEA let anyone HEAD it)', async () => {
    const h = await harness()
    expect((await get(h, '/PRIVATE/PLATFORM-A/d.nc', {}, 'HEAD')).statusCode).toBe(302)
  })

  it('OPTIONS: 204 for an allowed origin and method, 405 otherwise or without CORS_ORIGIN', async () => {
    const h = await harness({ CORS_ORIGIN: 'example.com' })
    const ok = await get(
      h,
      '/BROWSE/PLATFORM-A/x.jpg',
      { origin: 'https://www.example.com', 'access-control-request-method': ' HEAD ' },
      'OPTIONS',
    )
    expect(ok.statusCode).toBe(204)
    expect(ok.headers).toMatchObject({
      'access-control-allow-origin': 'https://www.example.com',
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'GET, HEAD, OPTIONS',
      'access-control-allow-headers': 'Authorization, Origin, X-Requested-With',
    })
    const nullOrigin = await get(
      h,
      '/x/y',
      { origin: 'null', 'access-control-request-method': 'GET' },
      'OPTIONS',
    )
    expect(nullOrigin.statusCode).toBe(204)
    const noCors = await harness()
    const denied = await get(
      noCors,
      '/BROWSE/PLATFORM-A/x.jpg',
      { origin: 'https://www.example.com', 'access-control-request-method': 'GET' },
      'OPTIONS',
    )
    expect(denied.statusCode).toBe(405)
    expect(denied.body).toBe('Method Not Allowed')
  })
})

describe('HTML_TEMPLATE_DIR', () => {
  it("renders the data path's error page and / with a DAAC's Jinja templates", async () => {
    const dir = new URL('../../../../test/fixtures/jinja-templates/', import.meta.url).pathname
    const h = await harness({ HTML_TEMPLATE_DIR: dir })
    const res = await get(h, '/NOPE/PLATFORM-A/x', { 'user-agent': 'Mozilla/5.0' })
    expect(res.statusCode).toBe(404)
    expect(res.body).toContain('<title>DAAC Egress | 404 File not found</title>')
    expect(res.body).toContain(`<span id="requestid">${String(res.headers['x-request-id'])}</span>`)
    const root = await get(h, '/', { 'user-agent': 'Mozilla/5.0' })
    expect(root.body).toContain('Log in with Earthdata Login')
  })
})

describe('/locate', () => {
  it('new and old style maps, compared with the prefix applied', async () => {
    const h = await harness()
    const res = await get(h, '/locate?bucket_name=gsfc-ngap-d-pa-bro')
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^application\/json/)
    expect(res.json()).toEqual(['BROWSE/PLATFORM-A', 'HEADERS/BROWSE'])
    const old = await harness({}, 'DATA-TYPE-1:\n  PLATFORM-A: pa-dt1\n')
    expect((await get(old, '/locate?bucket_name=gsfc-ngap-d-pa-dt1')).json()).toEqual([
      'DATA-TYPE-1/PLATFORM-A',
    ])
  })
})
