// The deployment packages themselves: `npm run package`'s zips, unzipped and run in a fresh Node
// process with only a function's environment, answer API Gateway REST (v1) and HTTP API (v2)
// events against the local stack (EDL emulator, radosgw STS and S3).
import { execFile } from 'node:child_process'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LambdaResult } from '@tea-ts/server'
import { startEgressStack } from './helpers/egress-stack.js'
import type { EgressStack } from './helpers/egress-stack.js'
import { v1Event, v2Event } from './helpers/apigw-events.js'
import {
  buildAndUnzipLambdas,
  egressLambdaEnv,
  extractZip,
  invokeInFreshProcess,
} from './helpers/lambda-bundles.js'
import type { EgressLambdaEnv, InvokeReport, UnzippedLambdas } from './helpers/lambda-bundles.js'
import { readS3Env, s3ClientFor } from './helpers/s3-env.js'
import { md5, pattern, putBytes, readBytes } from './helpers/transfer-fixtures.js'

const s3 = readS3Env()
let lambdas: UnzippedLambdas

beforeAll(async () => {
  lambdas = await buildAndUnzipLambdas()
})
afterAll(async () => {
  await lambdas?.close()
})

/** The warnings a user must never see in a function's log (the SDK's Node version notice). */
function expectNoWarnings(report: InvokeReport): void {
  expect(report.stderr).not.toMatch(/Warning/)
  expect(report.stdout).not.toMatch(/Warning/)
}

describe('the zips', () => {
  it('hold index.mjs, its chunks and source maps, sorted, all with one fixed timestamp', async () => {
    for (const name of ['egress', 'transfer'] as const) {
      const p = lambdas.packaged[name]
      expect(p.files).toContain('index.mjs')
      expect(p.files).toContain('index.mjs.map')
      for (const f of p.files) expect(f).toMatch(/^(index\.mjs|chunks\/[\w-]+\.mjs)(\.map)?$/)
      const entries = await extractZip(p.zip, `${lambdas.work}/again-${name}`)
      expect(entries.map((e) => e.name)).toEqual(p.files)
      const times = new Set(entries.map((e) => e.modified.getTime()))
      expect(times.size).toBe(1)
    }
  })

  it("leave the AWS SDK clients, the SigV4 signer, nunjucks and Node's fetch out of the egress import", async () => {
    // Loaded on first use (docs/lambda.md): compiling them at init costs about as much as Fastify.
    const index = lambdas.packaged.egress.indexPackages
    expect(index).toContain('fastify')
    for (const heavy of [
      '@aws-sdk/client-sts',
      '@aws-sdk/client-secrets-manager',
      '@aws-sdk/client-s3',
      '@smithy/signature-v4',
      'nunjucks',
    ]) {
      expect(index).not.toContain(heavy)
    }
    const { stdout } = await promisify(execFile)(process.execPath, [
      '--input-type=module',
      '-e',
      `await import(${JSON.stringify(`${lambdas.dirs.egress}/index.mjs`)})
       console.log(process.moduleLoadList.filter((m) => m.includes('undici')).length)`,
    ])
    expect(stdout.trim()).toBe('0')
  })

  it('are reproducible: packaging twice gives the same bytes', async () => {
    const again = await buildAndUnzipLambdas()
    try {
      for (const name of ['egress', 'transfer'] as const) {
        expect(md5(await readFile(again.packaged[name].zip))).toEqual(
          md5(await readFile(lambdas.packaged[name].zip)),
        )
      }
    } finally {
      await again.close()
    }
  })
})

describe('egress.zip', () => {
  let egress: EgressLambdaEnv
  beforeAll(async () => {
    egress = await egressLambdaEnv(s3, lambdas.work)
  })
  afterAll(async () => {
    await egress?.close()
  })

  const invoke = (events: readonly unknown[]) =>
    invokeInFreshProcess(lambdas.dirs.egress, events, egress.env, lambdas.work)

  it('serves /version, the README and a 302 to EDL from v1 and v2 events, on this Node', async () => {
    const report = await invoke([
      v1Event({ path: '/version' }),
      v2Event({ path: '/version' }),
      v1Event({ path: '/s3credentialsREADME' }),
      v1Event({ path: '/s3credentials' }),
      v2Event({ path: '/s3credentials' }),
    ])
    expect(report.node).toBe(process.version)
    const [v1, v2, readme, redirect1, redirect2] = report.invocations.map(
      (i) => i.result as LambdaResult,
    )
    for (const version of [v1, v2]) {
      expect(version?.statusCode).toBe(200)
      expect(JSON.parse(version?.body ?? '')).toEqual({ version_id: 'lambda-bundle-test' })
    }
    expect(readme?.statusCode).toBe(200)
    expect(readme?.body).toContain('<h1>Direct S3 access with temporary credentials</h1>')
    const authorize = `${egress.edl.url}/oauth/authorize?client_id=tea-test-client&response_type=code&redirect_uri=`
    expect(redirect1?.statusCode).toBe(302)
    expect(redirect1?.headers.location).toBe(
      `${authorize}${encodeURIComponent('https://abc123def4.execute-api.us-west-2.amazonaws.com/DEV/login')}&state=%2FDEV%2Fs3credentials&app_type=401`,
    )
    expect(redirect2?.statusCode).toBe(302)
    expect(redirect2?.headers.location).toBe(
      `${authorize}${encodeURIComponent('https://xyz789ghi0.execute-api.us-west-2.amazonaws.com/login')}&state=%2Fs3credentials&app_type=401`,
    )
    expectNoWarnings(report)
  })

  it('vends radosgw credentials for a session cookie (v1 header, v2 cookies) that read the bucket', async () => {
    const key = `lambda-bundle/${Date.now()}.txt`
    await putBytes(s3ClientFor(s3.user), s3.bucket, key, Buffer.from('from the bundle'))
    const report = await invoke([
      v1Event({ path: '/s3credentials', cookies: [egress.aliceCookie] }),
      v2Event({ path: '/s3credentials', cookies: ['other=1', egress.aliceCookie] }),
    ])
    for (const invocation of report.invocations) {
      const res = invocation.result as LambdaResult
      expect(res.statusCode, report.stdout).toBe(200)
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8')
      const creds = JSON.parse(res.body) as Record<string, string>
      expect(Object.keys(creds).sort()).toEqual([
        'accessKeyId',
        'expiration',
        'secretAccessKey',
        'sessionToken',
      ])
      const client = s3ClientFor({
        accessKeyId: creds.accessKeyId ?? '',
        secretAccessKey: creds.secretAccessKey ?? '',
        sessionToken: creds.sessionToken ?? '',
      })
      const out = await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }))
      expect(await out.Body?.transformToString()).toBe('from the bundle')
      // Read-only: the session policy grants no listing of other-bucket outside shared/.
      await expect(
        client.send(new ListObjectsV2Command({ Bucket: s3.otherBucket, Prefix: 'private/' })),
      ).rejects.toMatchObject({ name: 'AccessDenied' })
    }
    expectNoWarnings(report)
  })

  it('loads the S3 client, the SigV4 signer and nunjucks from their chunks on first use', async () => {
    const key = `lambda-bundle/${Date.now()}-download.txt`
    await putBytes(s3ClientFor(s3.user), s3.bucket, key, Buffer.from('downloaded from the bundle'))
    const templates = join(lambdas.work, 'templates')
    await mkdir(templates, { recursive: true })
    await writeFile(join(templates, 'root.html'), '<p>custom root: {{ title }}</p>')
    const report = await invokeInFreshProcess(
      lambdas.dirs.egress,
      [v1Event({ path: `/test/${key}`, cookies: [egress.aliceCookie] }), v1Event({ path: '/' })],
      {
        ...egress.env,
        EGRESS_APP_DOWNLOAD_ROLE_ARN: s3.roleArn,
        AWS_ENDPOINT_URL_S3: s3.endpoint,
        // Refused at once: callers count as out of region, signed with the role above.
        AWS_IP_RANGES_URL: 'http://127.0.0.1:1/ip-ranges.json',
        HTML_TEMPLATE_DIR: templates,
      },
      lambdas.work,
    )
    const [download, root] = report.invocations.map((i) => i.result as LambdaResult)
    expect(download?.statusCode, report.stdout).toBe(303)
    const location = String(download?.headers.location)
    expect(location.startsWith(`${s3.endpoint}/${s3.bucket}/${key}?`)).toBe(true)
    const object = await fetch(location)
    expect(object.status).toBe(200)
    expect(await object.text()).toBe('downloaded from the bundle')
    expect(root?.statusCode).toBe(200)
    expect(root?.body).toMatch(/^<p>custom root: .+<\/p>$/)
  })
})

describe('transfer.zip', () => {
  let stack: EgressStack
  beforeAll(async () => {
    stack = await startEgressStack()
  })
  afterAll(async () => {
    await stack?.close()
  })

  it('copies an object with /s3credentials for the source and its own role for the destination', async () => {
    const key = `lambda-bundle/${Date.now()}.bin`
    const body = pattern(300_000, 7)
    await putBytes(s3ClientFor(s3.user), s3.bucket, key, body)
    const report = await invokeInFreshProcess(
      lambdas.dirs.transfer,
      [
        {
          CredentialsEndpoint: stack.endpoint,
          BearerToken: await stack.edl.issueUserToken('alice'),
          Source: { Bucket: s3.bucket, Key: key },
          Dest: { Bucket: s3.destBucket },
        },
      ],
      {
        AWS_REGION: s3.region,
        AWS_ENDPOINT_URL_S3: s3.endpoint,
        AWS_ACCESS_KEY_ID: s3.dest.accessKeyId,
        AWS_SECRET_ACCESS_KEY: s3.dest.secretAccessKey,
      },
      lambdas.work,
    )
    expect(report.node).toBe(process.version)
    expect(report.invocations[0]?.error).toBeUndefined()
    expect(report.invocations[0]?.result).toMatchObject({
      bytes: body.length,
      parts: 1,
      etag: md5(body).toString('hex'),
    })
    expect(await readBytes(s3ClientFor(s3.dest), s3.destBucket, key)).toEqual(body)
    expectNoWarnings(report)
  })
})
