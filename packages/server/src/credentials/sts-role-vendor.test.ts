import { Readable } from 'node:stream'
import { STSClient } from '@aws-sdk/client-sts'
import { describe, expect, it } from 'vitest'
import { stsRoleVendor } from './sts-role-vendor.js'

interface Seen {
  body: string
}

/**
 * A real STSClient whose HTTP handler is injected: the SDK serializes and deserializes for real,
 * so these tests pin the wire input and how SDK errors reach mapStsError.
 */
function client(status: number, xml: string, seen: Seen[] = []): STSClient {
  return new STSClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKID', secretAccessKey: 'SECRET' },
    maxAttempts: 1,
    requestHandler: {
      async handle(request: { body?: unknown }) {
        seen.push({ body: String(request.body) })
        return {
          response: {
            statusCode: status,
            headers: { 'content-type': 'text/xml' },
            body: Readable.from([Buffer.from(xml)]),
          },
        }
      },
    },
  })
}

const OK = `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>
<AssumedRoleUser><Arn>arn:aws:sts::123:assumed-role/dl/jdoe@app</Arn><AssumedRoleId>AROA:jdoe@app</AssumedRoleId></AssumedRoleUser>
<Credentials><AccessKeyId>ASIAX</AccessKeyId><SecretAccessKey>sk</SecretAccessKey><SessionToken>st</SessionToken>
<Expiration>2021-01-27T00:50:09Z</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>`

const input = {
  roleArn: 'arn:aws:iam::123:role/dl',
  sessionName: 'jdoe@app',
  externalId: 'jdoe',
  durationSeconds: 3600,
  policy: '{"Version":"2012-10-17"}',
}

describe('stsRoleVendor', () => {
  it('sends AssumeRole with RoleArn, RoleSessionName, ExternalId, DurationSeconds and Policy', async () => {
    const seen: Seen[] = []
    const creds = await stsRoleVendor(client(200, OK, seen)).assumeRole(input)
    const params = new URLSearchParams(seen[0]?.body)
    expect(Object.fromEntries(params)).toEqual({
      Action: 'AssumeRole',
      Version: '2011-06-15',
      RoleArn: 'arn:aws:iam::123:role/dl',
      RoleSessionName: 'jdoe@app',
      ExternalId: 'jdoe',
      DurationSeconds: '3600',
      Policy: '{"Version":"2012-10-17"}',
    })
    expect(creds).toEqual({
      accessKeyId: 'ASIAX',
      secretAccessKey: 'sk',
      sessionToken: 'st',
      expiration: new Date('2021-01-27T00:50:09Z'),
      assumedRoleArn: 'arn:aws:sts::123:assumed-role/dl/jdoe@app',
    })
  })

  it('omits Policy when none is given', async () => {
    const seen: Seen[] = []
    const { policy: _omit, ...noPolicy } = input
    await stsRoleVendor(client(200, OK, seen)).assumeRole(noPolicy)
    expect(new URLSearchParams(seen[0]?.body).has('Policy')).toBe(false)
  })

  it.each([
    [
      'STS Throttling',
      400,
      '<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>',
      { statusCode: 503, code: 'ERR_UPSTREAM_THROTTLED', headers: { 'retry-after': '2' } },
    ],
    [
      'STS PackedPolicyTooLarge',
      400,
      '<ErrorResponse><Error><Type>Sender</Type><Code>PackedPolicyTooLarge</Code><Message>98%</Message></Error></ErrorResponse>',
      { statusCode: 500, code: 'ERR_POLICY_TOO_LARGE' },
    ],
    [
      'RGW S3-style 403',
      403,
      '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message></Message></Error>',
      { statusCode: 502, code: 'ERR_STS_ACCESS_DENIED' },
    ],
    [
      'RGW S3-style 404',
      404,
      '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchEntity</Code><Message></Message></Error>',
      {
        statusCode: 502,
        code: 'ERR_STS_ACCESS_DENIED',
        message:
          'EGRESS_APP_DOWNLOAD_ROLE_INREGION_ARN names a role that does not exist: check the ARN',
      },
    ],
    [
      'RGW S3-style 400',
      400,
      '<?xml version="1.0" encoding="UTF-8"?><Error><Code>InvalidArgument</Code><Message></Message></Error>',
      { statusCode: 502, code: 'ERR_UPSTREAM_FAILED' },
    ],
  ])('maps %s', async (_case, status, xml, expected) => {
    const err: unknown = await stsRoleVendor(client(status, xml))
      .assumeRole(input)
      .catch((e: unknown) => e)
    expect(err).toMatchObject(expected)
  })

  it('bounds the whole call, retries included, by timeoutMs: 503 with Retry-After 5', async () => {
    let attempts = 0
    // Each attempt hangs until the SDK aborts it, as a silent STS would.
    const hanging = new STSClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKID', secretAccessKey: 'SECRET' },
      maxAttempts: 3,
      requestHandler: {
        handle: (_request: unknown, options?: { abortSignal?: AbortSignal }) => {
          attempts++
          return new Promise((_resolve, reject) => {
            const signal = options?.abortSignal
            const abort = () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }))
            if (signal?.aborted) abort()
            else signal?.addEventListener('abort', abort)
          })
        },
      },
    })
    const started = performance.now()
    const err: unknown = await stsRoleVendor(hanging, { timeoutMs: 150 })
      .assumeRole(input)
      .catch((e: unknown) => e)
    expect(performance.now() - started).toBeLessThan(1_000)
    expect(err).toMatchObject({
      statusCode: 503,
      code: 'ERR_UPSTREAM_THROTTLED',
      headers: { 'retry-after': '5' },
      message: 'STS did not answer within 150 ms; retry after 5 s',
    })
    expect(attempts).toBe(1)
  })

  it('refuses an answer without complete credentials', async () => {
    const partial = OK.replace('<SessionToken>st</SessionToken>', '')
    await expect(stsRoleVendor(client(200, partial)).assumeRole(input)).rejects.toMatchObject({
      statusCode: 502,
      code: 'ERR_UPSTREAM_FAILED',
      message: 'STS answered AssumeRole without complete credentials',
    })
  })
})
