import { createServer, request as httpRequest } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3'
import type { S3Client } from '@aws-sdk/client-s3'
import { AssumeRoleCommand } from '@aws-sdk/client-sts'
import type { AwsCredentialIdentity } from '@smithy/types'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEdlEmulator } from '@tea-ts/edl-emulator'
import type { RunningEdlEmulator } from '@tea-ts/edl-emulator'
import type { RoleVendor } from '@tea-ts/server'
import {
  CURL,
  DEMO_MAP_PATH,
  EMULATOR_ALICE,
  TEST_CLIENT_ID,
  TEST_CLIENT_PASSWORD,
  countingVendor,
  createStsRoleVendor,
  loadCredentialsBucketMap,
  logCapture,
  parseBucketMap,
  s3CredentialsConfig,
  sessionCookie,
  startTestServer,
  user,
} from '@tea-ts/server/testing'
import { readS3Env, s3ClientFor, stsClientFor } from './helpers/s3-env.js'
import { emulatorLogger } from './log-audit/log-capture.js'

/**
 * /s3credentials end to end: the real server on port 0, the EDL emulator, and radosgw's STS.
 * The credentials are then used against radosgw, so the session policy is enforced by the S3
 * server, not by us. Needs the local stack (scripts/s3-stack.sh) in the environment.
 */

const s3 = readS3Env()
const KEY = 's3cred-test/a.txt'

interface Running {
  readonly url: string
  close(): Promise<void>
}

let edl: RunningEdlEmulator
let server: Running
let roles: RoleVendor & { calls: unknown[] }
let serverConfig: Awaited<ReturnType<typeof stackConfig>>
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
      ],
      apps: [{ client_id: TEST_CLIENT_ID, password: TEST_CLIENT_PASSWORD }],
    },
    logger: emulatorLogger(),
  })
  const config = await stackConfig()
  serverConfig = config
  roles = countingVendor(realVendor())
  server = await startTestServer({
    config,
    roles,
    bucketMap: 'load',
    log: { stream: logs.stream, level: 'info' },
  })
  const admin = s3ClientFor(s3.user)
  for (const [bucket, key] of [
    [s3.bucket, KEY],
    [s3.bucket, 'public/p.txt'],
    [s3.otherBucket, 'shared/s.txt'],
    [s3.otherBucket, 'private/q.txt'],
  ] as const) {
    await admin.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `${bucket}/${key}` }))
  }
})

afterAll(async () => {
  await server?.close()
  await edl?.close()
})

function stackConfig(env: Record<string, string> = {}) {
  return s3CredentialsConfig({
    AUTH_BASE_URL: edl.url,
    EGRESS_APP_DOWNLOAD_ROLE_INREGION_ARN: s3.roleArn,
    BUCKET_MAP_FILE: fileURLToPath(DEMO_MAP_PATH),
    ...env,
  })
}

function realVendor(endpoint = s3.endpoint): RoleVendor {
  return createStsRoleVendor({ endpoint, region: 'us-east-1', credentials: s3.user })
}

/** TEA's documented scripted login: follow the 302 to EDL with Basic, then /login sets the cookie. */
async function loginCookie(uid: string, password: string): Promise<string> {
  const first = await fetch(`${server.url}/s3credentials`, {
    redirect: 'manual',
    headers: { 'user-agent': CURL },
  })
  expect(first.status).toBe(302)
  const authorize = first.headers.get('location') ?? ''
  const atEdl = await fetch(authorize, {
    redirect: 'manual',
    headers: { authorization: `Basic ${Buffer.from(`${uid}:${password}`).toString('base64')}` },
  })
  expect(atEdl.status).toBe(302)
  const callback = await fetch(atEdl.headers.get('location') ?? '', { redirect: 'manual' })
  expect(callback.status).toBe(301)
  expect(callback.headers.get('location')).toBe(`${server.url}/s3credentials`)
  const setCookie = callback.headers.get('set-cookie') ?? ''
  return setCookie.split(';', 1)[0] ?? ''
}

async function getCredentials(headers: Record<string, string>): Promise<{
  res: Response
  creds: AwsCredentialIdentity
}> {
  const res = await fetch(`${server.url}/s3credentials`, { redirect: 'manual', headers })
  expect(res.status).toBe(200)
  const body = (await res.json()) as Record<string, string>
  expect(Object.keys(body)).toEqual([
    'accessKeyId',
    'secretAccessKey',
    'sessionToken',
    'expiration',
  ])
  expect(body.expiration).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+00:00$/)
  const expiresIn = Date.parse(body.expiration?.replace(' ', 'T') ?? '') - Date.now()
  expect(expiresIn).toBeGreaterThan(3500_000)
  expect(expiresIn).toBeLessThanOrEqual(3600_000)
  return {
    res,
    creds: {
      accessKeyId: body.accessKeyId ?? '',
      secretAccessKey: body.secretAccessKey ?? '',
      sessionToken: body.sessionToken ?? '',
    },
  }
}

async function status(send: () => Promise<unknown>): Promise<number> {
  try {
    await send()
    return 200
  } catch (err) {
    return (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? -1
  }
}

/** What the session policy lets `client` do, as radosgw decides it. */
async function accessMatrix(client: S3Client): Promise<Record<string, number>> {
  const get = (Bucket: string, Key: string) =>
    status(() => client.send(new GetObjectCommand({ Bucket, Key })))
  const list = (Bucket: string, Prefix?: string) =>
    status(() => client.send(new ListObjectsV2Command({ Bucket, ...(Prefix ? { Prefix } : {}) })))
  return {
    'get test-bucket/s3cred-test/a.txt': await get(s3.bucket, KEY),
    'get test-bucket/public/p.txt': await get(s3.bucket, 'public/p.txt'),
    'list test-bucket': await list(s3.bucket),
    'list test-bucket public/': await list(s3.bucket, 'public/'),
    'get other-bucket/shared/s.txt': await get(s3.otherBucket, 'shared/s.txt'),
    'get other-bucket/private/q.txt': await get(s3.otherBucket, 'private/q.txt'),
    'list other-bucket shared/': await list(s3.otherBucket, 'shared/'),
    'list other-bucket private/': await list(s3.otherBucket, 'private/'),
    'list other-bucket': await list(s3.otherBucket),
    'put test-bucket': await status(() =>
      client.send(
        new PutObjectCommand({ Bucket: s3.bucket, Key: 's3cred-test/new.txt', Body: 'x' }),
      ),
    ),
  }
}

// Demo map, group science: all of test-bucket; other-bucket only under shared/.
const SCIENCE = {
  'get test-bucket/s3cred-test/a.txt': 200,
  'get test-bucket/public/p.txt': 200,
  'list test-bucket': 200,
  'list test-bucket public/': 200,
  'get other-bucket/shared/s.txt': 200,
  'get other-bucket/private/q.txt': 403,
  'list other-bucket shared/': 200,
  'list other-bucket private/': 403,
  'list other-bucket': 403,
  'put test-bucket': 403,
}

describe('/s3credentials against radosgw STS', () => {
  it('cookie from the EDL login flow: credentials read what the groups allow, nothing else', async () => {
    const cookie = await loginCookie('alice', 'alice-pass')
    const { res, creds } = await getCredentials({ cookie, 'app-name': 'my-notebook' })
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(res.headers.get('set-cookie')).toBeNull()
    const client = s3ClientFor(creds)
    expect(await accessMatrix(client)).toEqual(SCIENCE)
    const body = await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: KEY }))
    expect(await body.Body?.transformToString()).toBe(`${s3.bucket}/${KEY}`)
  })

  it('bearer token from EDL: same scope, and the response sets the session cookie', async () => {
    const token = await edl.issueUserToken('alice')
    const { res, creds } = await getCredentials({ authorization: `Bearer ${token}` })
    const setCookie = res.headers.get('set-cookie') ?? ''
    expect(setCookie).toMatch(/^asf-urs=[\w-]+\.[\w-]+\.[\w-]+; Expires=/)
    expect(await accessMatrix(s3ClientFor(creds))).toEqual(SCIENCE)
    // The cookie it set works on its own.
    const again = await getCredentials({ cookie: setCookie.split(';', 1)[0] ?? '' })
    expect(again.res.headers.get('set-cookie')).toBeNull()
  })

  it('a user without groups gets only the public prefix (prefix policy enforced by radosgw)', async () => {
    const cookie = await loginCookie('eve', 'eve-pass')
    const { creds } = await getCredentials({ cookie })
    expect(await accessMatrix(s3ClientFor(creds))).toEqual({
      'get test-bucket/s3cred-test/a.txt': 403,
      'get test-bucket/public/p.txt': 200,
      'list test-bucket': 403,
      'list test-bucket public/': 200,
      'get other-bucket/shared/s.txt': 403,
      'get other-bucket/private/q.txt': 403,
      'list other-bucket shared/': 403,
      'list other-bucket private/': 403,
      'list other-bucket': 403,
      'put test-bucket': 403,
    })
  })

  it('radosgw names the role session user@app-name (AssumedRoleUser.Arn, on the access line)', async () => {
    const token = await edl.issueUserToken('alice')
    await getCredentials({ authorization: `Bearer ${token}`, 'app-name': 'arn-check.v2' })
    await getCredentials({ authorization: `Bearer ${token}` })
    const vends = logs.lines.filter((l) => l.sessionName !== undefined).slice(-2)
    const role = s3.roleArn.split('/').pop()
    expect(vends.map((l) => [l.sessionName, l.assumedRoleArn])).toEqual([
      ['alice@arn-check.v2', `arn:aws:sts:::assumed-role/${role}/alice@arn-check.v2`],
      ['alice@', `arn:aws:sts:::assumed-role/${role}/alice@`],
    ])
    const text = JSON.stringify(logs.lines)
    expect(text).not.toContain(token)
    expect(text).not.toMatch(/"(secretAccessKey|sessionToken)":"(?!\[REDACTED\])/)
  })

  it('vended credentials cannot assume the download role again; the service still can', async () => {
    const cookie = await loginCookie('alice', 'alice-pass')
    const { creds } = await getCredentials({ cookie, 'app-name': 'chain-check' })
    // Without a session policy and under any name: this would escape the bucket map.
    const chained = stsClientFor(creds).send(
      new AssumeRoleCommand({
        RoleArn: s3.roleArn,
        RoleSessionName: 'someone-else',
        ExternalId: 'alice',
        DurationSeconds: 900,
      }),
    )
    await expect(chained).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } })
    // The service's own long-term keys still assume the role (the trust condition lets them).
    const own = await stsClientFor(s3.user).send(
      new AssumeRoleCommand({
        RoleArn: s3.roleArn,
        RoleSessionName: 'alice@chain-check',
        ExternalId: 'alice',
        DurationSeconds: 900,
      }),
    )
    expect(own.Credentials?.SessionToken).toBeTruthy()
  })

  it.each([
    ['a space', 'j doe', 'j=20doe@nb'],
    ['a slash', 'j/doe', 'j=2Fdoe@nb'],
    ['non-ASCII', 'jöe', 'j=C3=B6e@nb'],
    ['one character', 'j', 'j=@nb'],
    ['a plus (radosgw refuses it)', 'j+doe', 'j=2Bdoe@nb'],
  ])('a user id with %s gets credentials that work (session %s)', async (_case, id, name) => {
    const cookie = await sessionCookie(serverConfig, user(id, ['science']))
    const { creds } = await getCredentials({ cookie, 'app-name': 'nb' })
    const vend = logs.lines.filter((l) => l.sessionName !== undefined).at(-1)
    expect(vend?.sessionName).toBe(name)
    const body = await s3ClientFor(creds).send(
      new GetObjectCommand({ Bucket: s3.bucket, Key: KEY }),
    )
    expect(await body.Body?.transformToString()).toBe(`${s3.bucket}/${KEY}`)
  })

  it('an app-name radosgw refuses (+): 400 about the session name, not the duration', async () => {
    const cookie = await loginCookie('alice', 'alice-pass')
    const res = await fetch(`${server.url}/s3credentials`, {
      headers: { cookie, 'app-name': 'my+app' },
    })
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({
      statusCode: 400,
      code: 'ERR_INVALID_APP_NAME',
      error: 'Bad Request',
      message:
        'STS refused the role session name "alice@my+app": this STS does not accept every ' +
        'character of the app-name header (radosgw refuses "+"); use letters, digits and . _ - only',
    })
  })

  it('two app-name headers: 400 saying to send one, no STS call', async () => {
    const cookie = await loginCookie('alice', 'alice-pass')
    const before = roles.calls.length
    const { status, body } = await new Promise<{ status: number; body: string }>(
      (resolve, reject) => {
        const req = httpRequest(`${server.url}/s3credentials`, {
          headers: { cookie, 'app-name': ['one', 'two'] },
        })
        req.on('response', (res) => {
          let text = ''
          res.on('data', (chunk: Buffer) => (text += chunk.toString()))
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }))
        })
        req.on('error', reject)
        req.end()
      },
    )
    expect(status).toBe(400)
    expect(JSON.parse(body)).toMatchObject({
      code: 'ERR_INVALID_APP_NAME',
      message: 'app-name was sent 2 times: send one app-name header',
    })
    expect(roles.calls.length).toBe(before)
  })

  it('unauthenticated: 302 to EDL with the exact query; app_type=401 for curl only', async () => {
    const redirectUri = encodeURIComponent(`${server.url}/login`)
    const expected = `${edl.url}/oauth/authorize?client_id=${TEST_CLIENT_ID}&response_type=code&redirect_uri=${redirectUri}&state=%2Fs3credentials`
    const curl = await fetch(`${server.url}/s3credentials`, {
      redirect: 'manual',
      headers: { 'user-agent': CURL },
    })
    expect(curl.status).toBe(302)
    expect(curl.headers.get('location')).toBe(`${expected}&app_type=401`)
    const browser = await fetch(`${server.url}/s3credentials`, {
      redirect: 'manual',
      headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64)' },
    })
    expect(browser.headers.get('location')).toBe(expected)
    // Following the redirect as a script does ends at EDL's 401 Basic challenge (TEA e2e).
    const followed = await fetch(`${server.url}/s3credentials`, { headers: { 'user-agent': CURL } })
    expect(followed.status).toBe(401)
    expect(followed.headers.get('www-authenticate')).toMatch(/^Basic /)
  })

  it('invalid app-name: 400 with the rule, and no STS call', async () => {
    const token = await edl.issueUserToken('alice')
    const before = roles.calls.length
    const res = await fetch(`${server.url}/s3credentials`, {
      headers: { authorization: `Bearer ${token}`, 'app-name': 'my notebook' },
    })
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({
      statusCode: 400,
      code: 'ERR_INVALID_APP_NAME',
      error: 'Bad Request',
      message:
        'app-name may only contain letters, digits and + = , . @ _ - (the STS RoleSessionName alphabet)',
    })
    expect(roles.calls.length).toBe(before)
  })
})

describe('/s3credentials when STS fails', () => {
  async function serverWith(vendor: RoleVendor, mapYaml?: string): Promise<Running> {
    const config = await stackConfig()
    return startTestServer({
      config,
      roles: vendor,
      bucketMap: mapYaml
        ? parseBucketMap(mapYaml, { fileName: 'inline.yaml', iamCompatible: true })
        : await loadCredentialsBucketMap(config),
    })
  }

  async function askWithBearer(url: string): Promise<Response> {
    const token = await edl.issueUserToken('alice')
    return fetch(`${url}/s3credentials`, { headers: { authorization: `Bearer ${token}` } })
  }

  it('STS down (connection refused): 503 with Retry-After', async () => {
    const closed = createServer()
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r))
    const port = (closed.address() as AddressInfo).port
    await new Promise<void>((r) => closed.close(() => r()))
    const down = await serverWith(realVendor(`http://127.0.0.1:${port}`))
    try {
      const res = await askWithBearer(down.url)
      expect(res.status).toBe(503)
      expect(res.headers.get('retry-after')).toBe('5')
      expect(await res.json()).toEqual({
        statusCode: 503,
        code: 'ERR_UPSTREAM_THROTTLED',
        error: 'Service Unavailable',
        message: 'STS could not be reached; retry after 5 s',
      })
    } finally {
      await down.close()
    }
  })

  it('STS throttling (a proxy answering Throttling): 503 with Retry-After', async () => {
    let requests = 0
    const throttler = createServer((req, res) => {
      requests++
      req.resume()
      res.writeHead(400, { 'content-type': 'text/xml' })
      res.end(
        '<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code>' +
          '<Message>Rate exceeded</Message></Error><RequestId>r1</RequestId></ErrorResponse>',
      )
    })
    await new Promise<void>((r) => throttler.listen(0, '127.0.0.1', r))
    const port = (throttler.address() as AddressInfo).port
    const throttled = await serverWith(realVendor(`http://127.0.0.1:${port}`))
    try {
      const res = await askWithBearer(throttled.url)
      expect(res.status).toBe(503)
      expect(res.headers.get('retry-after')).toBe('2')
      const body = await res.text()
      expect(JSON.parse(body)).toEqual({
        statusCode: 503,
        code: 'ERR_UPSTREAM_THROTTLED',
        error: 'Service Unavailable',
        message: 'STS is throttling AssumeRole; retry after 2 s',
      })
      expect(body).not.toContain('Rate exceeded')
      expect(requests).toBe(2) // maxAttempts 2: one SDK retry, then we answer
    } finally {
      await throttled.close()
      await new Promise<void>((r) => throttler.close(() => r()))
    }
  })

  it('a role STS does not know: 502 ERR_STS_ACCESS_DENIED naming the variable', async () => {
    const config = await stackConfig({
      EGRESS_APP_DOWNLOAD_ROLE_INREGION_ARN: 'arn:aws:iam:::role/no-such-role',
    })
    const bad = await startTestServer({
      config,
      roles: realVendor(),
      bucketMap: await loadCredentialsBucketMap(config),
    })
    try {
      const res = await askWithBearer(bad.url)
      expect(res.status).toBe(502)
      expect(await res.json()).toEqual({
        statusCode: 502,
        code: 'ERR_STS_ACCESS_DENIED',
        error: 'Bad Gateway',
        message:
          'EGRESS_APP_DOWNLOAD_ROLE_INREGION_ARN names a role that does not exist: check the ARN',
      })
    } finally {
      await bad.close()
    }
  })

  it('a user whose groups reach no bucket: TEA’s 403, no STS call', async () => {
    const vendor = countingVendor(realVendor())
    const locked = await serverWith(
      vendor,
      `MAP:\n  data: ${s3.bucket}\nPRIVATE_BUCKETS:\n  ${s3.bucket}: [staff]\n`,
    )
    try {
      const res = await askWithBearer(locked.url)
      expect(res.status).toBe(403)
      expect(await res.json()).toEqual({
        statusCode: 403,
        code: 'ERR_FORBIDDEN',
        error: 'Forbidden',
        message: 'You do not have permission to access any data.',
      })
      expect(vendor.calls).toEqual([])
    } finally {
      await locked.close()
    }
  })
})
