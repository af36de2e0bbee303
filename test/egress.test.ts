import { PutObjectCommand } from '@aws-sdk/client-s3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEdlEmulator } from '@tea-ts/edl-emulator'
import type { RunningEdlEmulator } from '@tea-ts/edl-emulator'
import type { Config } from '@tea-ts/server'
import { readS3Env, s3ClientFor } from './helpers/s3-env.js'
import {
  EMULATOR_ALICE,
  TEST_CLIENT_ID,
  TEST_CLIENT_PASSWORD,
  logCapture,
  s3CredentialsConfig,
  s3TemplateSource,
  sessionCookie,
  startTestServer,
  user,
} from '@tea-ts/server/testing'
import {
  accessKeyOf,
  DEMO_MAP_FILE,
  ensureSecondRole,
  execFileAsync,
  IP_RANGES_FIXTURE,
  recordingVendor,
  serveJson,
} from './egress-fixtures.js'

/**
 * TEA's download path end to end: the real server on port 0, the EDL emulator, radosgw's STS
 * signing with two download roles, and every 303 followed into radosgw (fetch and curl -L), so
 * S3 itself accepts or refuses the presigned URL. Needs the local stack in the environment.
 */

const s3 = readS3Env()
const CURL = 'curl/8.5.0'
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64)'
const BODY = 'hello world, egress!'
const PRIVATE = '/test/egress/hello.txt'
const PUBLIC = '/test/public/egress.txt'
const IN_REGION_IP = '10.20.3.4'
const OUT_OF_REGION_IP = '192.0.2.7'

let edl: RunningEdlEmulator
let server: { url: string; close(): Promise<void> }
let ipRanges: Awaited<ReturnType<typeof serveJson>>
let config: Readonly<Config>
let inRegionRole: string
const roles = recordingVendor(s3)
const logs = logCapture()

beforeAll(async () => {
  edl = await startEdlEmulator({
    config: {
      users: [
        EMULATOR_ALICE,
        {
          uid: 'eve',
          password: 'eve-pass',
          first_name: 'Eve',
          last_name: 'Nogroups',
          email_address: 'eve@example.com',
        },
        {
          uid: 'carol',
          password: 'carol-pass',
          first_name: 'Carol',
          last_name: 'Newmember',
          email_address: 'carol@example.com',
          groups: [{ client_id: TEST_CLIENT_ID, name: 'science' }],
        },
      ],
      apps: [{ client_id: TEST_CLIENT_ID, password: TEST_CLIENT_PASSWORD }],
    },
  })
  ipRanges = await serveJson(IP_RANGES_FIXTURE)
  inRegionRole = await ensureSecondRole(s3, 'egress-in-region')
  config = await s3CredentialsConfig({
    AUTH_BASE_URL: edl.url,
    ENABLE_S3_CREDENTIALS_ENDPOINT: 'false',
    BUCKET_MAP_FILE: DEMO_MAP_FILE,
    EGRESS_APP_DOWNLOAD_ROLE_ARN: s3.roleArn,
    EGRESS_APP_DOWNLOAD_ROLE_INREGION_ARN: inRegionRole,
    AWS_REGION: s3.region,
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    AWS_IP_RANGES_URL: ipRanges.url,
    CORS_ORIGIN: 'example.org',
  })
  server = await startTestServer({
    config,
    roles,
    bucketMap: 'load',
    log: { stream: logs.stream, level: 'info' },
  })
  const admin = s3ClientFor(s3.user)
  await admin.send(new PutObjectCommand({ Bucket: s3.bucket, Key: 'egress/hello.txt', Body: BODY }))
  await admin.send(
    new PutObjectCommand({ Bucket: s3.bucket, Key: 'public/egress.txt', Body: 'public bytes' }),
  )
})

afterAll(async () => {
  await server?.close()
  await edl?.close()
  await ipRanges?.close()
})

async function get(
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method,
    redirect: 'manual',
    headers: { 'user-agent': CURL, ...headers },
  })
}

/** The 303, then its Location fetched with no cookies or tokens (as a browser would). */
async function follow(
  path: string,
  headers: Record<string, string> = {},
  s3Headers: Record<string, string> = {},
  method = 'GET',
): Promise<{ redirect: Response; location: string; object: Response }> {
  const redirect = await get(path, headers, method)
  expect(redirect.status).toBe(303)
  const location = redirect.headers.get('location') ?? ''
  const object = await fetch(location, { method, headers: s3Headers })
  return { redirect, location, object }
}

const aliceCookie = () => sessionCookie(config, user('alice', ['science']))

describe('GET /{proxy+}: 303 to a presigned radosgw URL', () => {
  it('serves public data anonymously, signed for A-userid=None', async () => {
    const { redirect, location, object } = await follow(PUBLIC)
    expect(object.status).toBe(200)
    expect(await object.text()).toBe('public bytes')
    expect(
      location.startsWith(`${s3.endpoint}/${s3.bucket}/public/egress.txt?A-userid=None&`),
    ).toBe(true)
    expect(redirect.headers.get('cache-control')).toMatch(/^private, max-age=35[34]\d$/)
    expect(await redirect.text()).toBe('')
  })

  it('counts a cookie on public data for attribution', async () => {
    const { location, object } = await follow(PUBLIC, { cookie: await aliceCookie() })
    expect(object.status).toBe(200)
    expect(new URL(location).searchParams.get('A-userid')).toBe('alice')
  })

  it('serves private data with a cookie, and S3 accepts A-userid and A-api-request-uuid', async () => {
    const uuid = '0b5e8c4e-7d0a-4a59-9df1-3a7e1f9c2b11'
    const { location, object } = await follow(`${PRIVATE}?A-api-request-uuid=${uuid}`, {
      cookie: await aliceCookie(),
    })
    expect(object.status).toBe(200)
    expect(await object.text()).toBe(BODY)
    const url = new URL(location)
    expect([...url.searchParams.keys()].slice(0, 3)).toEqual([
      'A-api-request-uuid',
      'A-userid',
      'X-Amz-Algorithm',
    ])
    expect(url.searchParams.get('A-api-request-uuid')).toBe(uuid)
    expect(url.searchParams.get('A-userid')).toBe('alice')
    // Inside the signature: S3 refuses the URL once either is changed.
    url.searchParams.set('A-userid', 'mallory')
    expect((await fetch(url)).status).toBe(403)
  })

  it('serves private data with an EDL bearer token and sets the session cookie', async () => {
    const token = await edl.issueUserToken('alice')
    const { redirect, object } = await follow(PRIVATE, { authorization: `Bearer ${token}` })
    expect(object.status).toBe(200)
    expect(await object.text()).toBe(BODY)
    expect(redirect.headers.get('set-cookie')).toMatch(/^asf-urs=ey/)
  })

  it('sends an anonymous caller of private data to EDL with the path as state', async () => {
    const res = await get(`${PRIVATE}?x=1`)
    expect(res.status).toBe(302)
    const location = new URL(res.headers.get('location') ?? '')
    expect(location.origin + location.pathname).toBe(`${edl.url}/oauth/authorize`)
    expect(location.searchParams.get('state')).toBe(`${PRIVATE}?x=1`)
    expect(location.searchParams.get('app_type')).toBe('401')
  })

  it('refuses a non-member 403 and lets a member in after the EDL group refresh', async () => {
    const eve = await get(PRIVATE, { cookie: await sessionCookie(config, user('eve', [])) })
    expect(eve.status).toBe(403)
    expect(await eve.json()).toMatchObject({
      statusCode: 403,
      title: 'Could not access data',
      message: 'This data is not currently available.',
      requestId: eve.headers.get('x-request-id'),
    })
    const browser = await get(PRIVATE, {
      cookie: await sessionCookie(config, user('eve', [])),
      'user-agent': BROWSER,
    })
    expect(browser.status).toBe(403)
    expect(browser.headers.get('content-type')).toMatch(/^text\/html/)
    expect(await browser.text()).toContain('This data is not currently available.')

    // carol's cookie predates her joining "science"; EDL knows better.
    const { redirect, object } = await follow(PRIVATE, {
      cookie: await sessionCookie(config, user('carol', [])),
    })
    expect(object.status).toBe(200)
    const reissued = redirect.headers.get('set-cookie') ?? ''
    expect(reissued).toMatch(/^asf-urs=ey/)
    const again = await follow(PRIVATE, { cookie: reissued.split(';', 1)[0] ?? '' })
    expect(again.object.status).toBe(200)
    expect(again.redirect.headers.get('set-cookie')).toBeNull()
  })

  it('passes Range through: bytes=6-9 gives 206 and exactly those bytes', async () => {
    const cookie = await aliceCookie()
    const { redirect, object } = await follow(
      PRIVATE,
      { cookie, range: 'bytes=6-9' },
      { range: 'bytes=6-9' },
    )
    expect(redirect.headers.get('range')).toBe('bytes=6-9')
    expect(object.status).toBe(206)
    expect(await object.text()).toBe(BODY.slice(6, 10))
  })

  it('answers 416 for an unsatisfiable Range and 404 for a missing key', async () => {
    const cookie = await aliceCookie()
    const range = await get(PRIVATE, { cookie, range: 'bytes=500-600' })
    expect(range.status).toBe(416)
    expect(await range.json()).toMatchObject({ title: 'Invalid Range' })
    const missing = await get('/test/egress/missing.txt', { cookie })
    expect(missing.status).toBe(404)
    expect(await missing.json()).toMatchObject({
      title: 'Data Not Available',
      message: 'Could not find requested data.',
    })
  })

  it("answers TEA's 404s for no map entry and for a directory", async () => {
    const none = await get('/nowhere/at/all.txt')
    expect(none.status).toBe(404)
    expect(await none.json()).toMatchObject({ title: 'File not found', message: 'File not found' })
    const dir = await get('/test/', { cookie: await aliceCookie() })
    expect(dir.status).toBe(404)
    expect(await dir.json()).toMatchObject({
      title: 'Request Not Serviceable',
      message: 'Request does not appear to be valid.',
    })
  })

  it('adds the map leaf custom headers and CORS for an allowed origin', async () => {
    const res = await get('/labelled/egress/hello.txt', {
      cookie: await aliceCookie(),
      origin: 'https://search.example.org',
    })
    expect(res.status).toBe(303)
    expect(res.headers.get('x-tea-demo')).toBe('labelled')
    expect(res.headers.get('access-control-allow-origin')).toBe('https://search.example.org')
    expect(res.headers.get('access-control-allow-credentials')).toBe('true')
    const evil = await get('/labelled/egress/hello.txt', {
      cookie: await aliceCookie(),
      origin: 'https://evilexample.org',
    })
    expect(evil.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('works with curl -L and a cookie file', async () => {
    const cookie = (await aliceCookie()).split('=')
    const jar = `127.0.0.1\tFALSE\t/\tFALSE\t0\t${cookie[0]}\t${cookie.slice(1).join('=')}\n`
    const { mkdtemp, writeFile } = await import('node:fs/promises')
    const { tmpdir } = await import('node:os')
    const dir = await mkdtemp(`${tmpdir()}/egress-`)
    await writeFile(`${dir}/cookies.txt`, jar)
    const { stdout } = await execFileAsync('curl', [
      '-sS',
      '-L',
      '-b',
      `${dir}/cookies.txt`,
      '-r',
      '6-9',
      '-w',
      '\n%{http_code}',
      `${server.url}${PRIVATE}`,
    ])
    expect(stdout).toBe(`${BODY.slice(6, 10)}\n206`)
  })
})

describe('GDAL', () => {
  it('reads a private GeoTIFF through the egress URL with /vsicurl/ and a cookie file', async () => {
    const { mkdtemp, readFile, writeFile } = await import('node:fs/promises')
    const { tmpdir } = await import('node:os')
    const dir = await mkdtemp(`${tmpdir()}/egress-gdal-`)
    // A 4×3 grid of 1..12, written as a GeoTIFF by GDAL itself.
    await writeFile(
      `${dir}/grid.asc`,
      'ncols 4\nnrows 3\nxllcorner 0\nyllcorner 0\ncellsize 1\n1 2 3 4\n5 6 7 8\n9 10 11 12\n',
    )
    await execFileAsync('gdal_translate', [
      '-q',
      '-of',
      'GTiff',
      `${dir}/grid.asc`,
      `${dir}/grid.tif`,
    ])
    await s3ClientFor(s3.user).send(
      new PutObjectCommand({
        Bucket: s3.bucket,
        Key: 'egress/grid.tif',
        Body: await readFile(`${dir}/grid.tif`),
      }),
    )
    const [name, ...value] = (await aliceCookie()).split('=')
    await writeFile(
      `${dir}/cookies.txt`,
      `127.0.0.1\tFALSE\t/\tFALSE\t0\t${name}\t${value.join('=')}\n`,
    )
    const before = logs.lines.length
    const { stdout } = await execFileAsync(
      'gdalinfo',
      ['-checksum', `/vsicurl/${server.url}/test/egress/grid.tif`],
      {
        env: {
          ...process.env,
          GDAL_HTTP_COOKIEFILE: `${dir}/cookies.txt`,
          GDAL_DISABLE_READDIR_ON_OPEN: 'EMPTY_DIR',
          CPL_VSIL_CURL_USE_HEAD: 'NO',
          GDAL_HTTP_MAX_RETRY: '0',
        },
      },
    )
    expect(stdout).toContain('Size is 4, 3')
    expect(stdout).toContain('Checksum=71')
    // GDAL went through the egress route, as alice.
    const records = logs.lines.slice(before).filter((l) => l.download !== undefined)
    expect(records.length).toBeGreaterThan(0)
  })
})

describe('a browser', () => {
  it('logs in through EDL from a private download link and gets the bytes', async () => {
    const { mkdtemp, rm } = await import('node:fs/promises')
    const { tmpdir } = await import('node:os')
    const { chromium } = await import('playwright-core')
    await s3ClientFor(s3.user).send(
      new PutObjectCommand({
        Bucket: s3.bucket,
        Key: 'egress/browser.txt',
        Body: 'bytes for the browser',
        ContentType: 'text/plain',
      }),
    )
    const profile = await mkdtemp(`${tmpdir()}/egress-chromium-`)
    const browser = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    })
    try {
      const page = await browser.newPage()
      await page.setContent(
        `<a id="download" href="${server.url}/test/egress/browser.txt">granule</a>`,
      )
      await Promise.all([page.waitForURL(`${edl.url}/oauth/authorize?**`), page.click('#download')])
      expect(new URL(page.url()).searchParams.get('state')).toBe('/test/egress/browser.txt')
      await page.fill('#username', 'alice')
      await page.fill('#password', 'alice-pass')
      // /login → 301 back to the link → 303 → the presigned URL on radosgw.
      await Promise.all([
        page.waitForURL(`${s3.endpoint}/${s3.bucket}/egress/browser.txt?**`),
        page.click('input[name="commit"]'),
      ])
      expect(await page.textContent('body')).toBe('bytes for the browser')
      expect(new URL(page.url()).searchParams.get('A-userid')).toBe('alice')
    } finally {
      await browser.close()
      await rm(profile, { recursive: true, force: true })
    }
  })
})

describe('in-region routing', () => {
  it('signs with the in-region role for callers in the fixture ranges, else the other role', async () => {
    const cookie = await aliceCookie()
    const inside = await follow(PRIVATE, { cookie, 'x-forwarded-for': `${IN_REGION_IP}, 10.0.0.1` })
    const outside = await follow(PRIVATE, { cookie, 'x-forwarded-for': OUT_OF_REGION_IP })
    const v6 = await follow(PRIVATE, { cookie, 'x-forwarded-for': '2001:db8:20::5' })
    expect(inside.object.status).toBe(200)
    expect(outside.object.status).toBe(200)
    const roleName = (url: string) => roles.roleOf.get(accessKeyOf(url))?.split('/')[1]
    expect(roleName(inside.location)).toBe('egress-in-region')
    expect(roleName(v6.location)).toBe('egress-in-region')
    expect(roleName(outside.location)).toBe(s3.roleArn.split('/').pop())
    // One fetch of the ranges; one STS call per (role, user), TEA's session name, no ExternalId.
    expect(ipRanges.requests()).toBe(1)
    const aliceCalls = roles.calls.filter((c) => c.sessionName.startsWith('alice@'))
    expect(new Set(aliceCalls.map((c) => c.roleArn)).size).toBe(aliceCalls.length)
    expect(aliceCalls[0]?.sessionName).toMatch(/^alice@\d{10}$/)
    expect(aliceCalls[0]?.externalId).toBeUndefined()
  })
})

describe('HEAD, OPTIONS and /locate', () => {
  it('HEAD of private data needs a login; with one, the presigned HEAD gives 200 and the size', async () => {
    expect((await get(PRIVATE, {}, 'HEAD')).status).toBe(302)
    const { object } = await follow(PRIVATE, { cookie: await aliceCookie() }, {}, 'HEAD')
    expect(object.status).toBe(200)
    expect(object.headers.get('content-length')).toBe(String(BODY.length))
    const anon = await follow(PUBLIC, {}, {}, 'HEAD')
    expect(anon.object.status).toBe(200)
    expect(new URL(anon.location).searchParams.get('A-userid')).toBe('')
  })

  it('answers a CORS preflight 204 for an allowed origin and method, else 405', async () => {
    const ok = await get(
      PRIVATE,
      {
        origin: 'https://a.example.org',
        'access-control-request-method': 'GET',
      },
      'OPTIONS',
    )
    expect(ok.status).toBe(204)
    expect(ok.headers.get('access-control-allow-methods')).toBe('GET, HEAD, OPTIONS')
    expect(ok.headers.get('access-control-allow-headers')).toBe(
      'Authorization, Origin, X-Requested-With',
    )
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://a.example.org')
    const bad = await get(
      PRIVATE,
      {
        origin: 'https://a.example.org',
        'access-control-request-method': 'DELETE',
      },
      'OPTIONS',
    )
    expect(bad.status).toBe(405)
    expect(await bad.text()).toBe('Method Not Allowed')
  })

  it("/locate lists the map paths of a bucket, sorted, with TEA's 400 and 404", async () => {
    const res = await get(`/locate?bucket_name=${s3.bucket}`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual(['labelled', 'test'])
    const missing = await get('/locate')
    expect(missing.status).toBe(400)
    expect(await missing.text()).toBe('Required "bucket_name" query paramater not specified')
    const none = await get('/locate?bucket_name=nope')
    expect(none.status).toBe(404)
    expect(await none.text()).toBe('No route defined for nope')
  })
})

describe('HTML_TEMPLATE_DIR in the config bucket', () => {
  it('loads the templates directly under the prefix from S3', async () => {
    const admin = s3ClientFor(s3.user)
    for (const [name, body] of [
      ['error.html', '{{ status_code }} {{ title }}: {{ contentstring }}'],
      ['nested/ignored.html', 'not a template of this set'],
    ]) {
      await admin.send(
        new PutObjectCommand({ Bucket: s3.bucket, Key: `egress-templates/${name}`, Body: body }),
      )
    }
    const templates = await s3TemplateSource(admin, s3.bucket, 'egress-templates').list()
    expect([...templates.entries()]).toEqual([
      ['error.html', '{{ status_code }} {{ title }}: {{ contentstring }}'],
    ])
  })
})

describe("TEA's download logs", () => {
  it('writes a Cumulus line for every success and failure and a download record', async () => {
    const cookie = await aliceCookie()
    const before = logs.lines.length
    const ok = await get(PRIVATE, { cookie, range: 'bytes=0-4' })
    const bad = await get(PRIVATE, { cookie, range: 'bytes=500-' })
    const lines = logs.lines.slice(before)
    const okId = ok.headers.get('x-request-id')
    const success = lines.find((l) => l.requestid === okId && l.status === 'success')
    expect(success).toEqual({
      redirect: 'yes',
      redirect_URL: `${s3.endpoint}/${s3.bucket}/egress/hello.txt`,
      code: 303,
      http_method: 'GET',
      status: 'success',
      requestid: okId,
    })
    const failure = lines.find((l) => l.requestid === bad.headers.get('x-request-id'))
    expect(failure).toEqual({
      reason: 'Invalid Range',
      s3: `${s3.bucket}/egress/hello.txt`,
      range: 'bytes=500-',
      code: 416,
      http_method: 'GET',
      status: 'failure',
      requestid: bad.headers.get('x-request-id'),
    })
    const record = lines.find((l) => l.reqId === okId && l.download !== undefined)
    expect(record?.download).toEqual({
      bucket: s3.bucket,
      object: 'egress/hello.txt',
      range: 'bytes=0-4',
      InRegion: 'False',
      size: 5,
    })
    // No signature or session token ever reaches the log.
    expect(JSON.stringify(lines)).not.toMatch(/X-Amz-(Signature|Security-Token)/)
  })
})
