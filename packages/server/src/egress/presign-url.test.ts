import { S3RequestPresigner } from '@aws-sdk/s3-request-presigner'
import { Sha256Node } from '@smithy/core/checksum'
import { buildQueryString, HttpRequest } from '@smithy/core/protocols'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { presignUrl } from './presign-url.js'
import type { PresignInput } from './presign-url.js'

// rain-api-core tests/test_egress_util.py: TEA's hand-rolled SigV4 presigner, frozen at
// 2015-01-01 (and 2024-01-01 for the request-uuid case). Same credentials, bucket and region.
const credentials = {
  accessKeyId: 'access_key_id',
  secretAccessKey: 'secret_access_key',
  sessionToken: 'session_token',
}
const common = { credentials, region: 'region_name', bucket: 'bucket_name', method: 'GET' as const }
const tail = (day: string, expires: number, signature: string) =>
  `&X-Amz-Algorithm=AWS4-HMAC-SHA256` +
  `&X-Amz-Credential=access_key_id%2F${day}%2Fregion_name%2Fs3%2Faws4_request` +
  `&X-Amz-Date=${day}T000000Z&X-Amz-Expires=${expires}` +
  `&X-Amz-Security-Token=session_token&X-Amz-SignedHeaders=host` +
  `&X-Amz-Signature=${signature}`

describe('presignUrl reproduces TEA presigned URLs', () => {
  it.each([
    [
      'object_name',
      'object_name',
      '766aa9d15ec05d33bb6de720b02e8b9cf7d96def24a94cba3e0b39f19b302834',
    ],
    [
      'has spaces ',
      'has%20spaces%20',
      '99787202e2729ab15cea657f8a1a78716e570fc65a07c5fb60128ab205753ace',
    ],
    [
      'has_:colons:',
      'has_%3Acolons%3A',
      'f664672404aa1f98d2017c386011b3cb20625ca21cf082420c67b4bca3891489',
    ],
    [
      'has\nnewlines\n',
      'has%0Anewlines%0A',
      'b5f7dab0ba1af2a1a5c625f526de6ab8047a20f165675890cfa8caf70cfed730',
    ],
  ])('key %j', async (key, encoded, signature) => {
    const url = await presignUrl({
      ...common,
      key,
      expiresInSeconds: 1000,
      query: { 'A-userid': 'user_id' },
      signingDate: new Date('2015-01-01T00:00:00Z'),
    })
    expect(url).toBe(
      `https://bucket_name.s3.region_name.amazonaws.com/${encoded}?A-userid=user_id` +
        tail('20150101', 1000, signature),
    )
  })

  it('signs A-api-request-uuid before A-userid', async () => {
    const url = await presignUrl({
      ...common,
      key: 'object_name',
      expiresInSeconds: 500,
      query: { 'A-api-request-uuid': 'uuid_value', 'A-userid': 'user_id' },
      signingDate: new Date('2024-01-01T00:00:00Z'),
    })
    expect(url).toBe(
      'https://bucket_name.s3.region_name.amazonaws.com/object_name' +
        '?A-api-request-uuid=uuid_value&A-userid=user_id' +
        tail('20240101', 500, '3010924b3725f8b47a3486ea4005f658128ddc5dde5ca405dfe1bd69bd2ae7a8'),
    )
  })

  it('uses s3.amazonaws.com in us-east-1 and path style on a configured endpoint', async () => {
    const base = {
      ...common,
      key: 'a/b c.txt',
      expiresInSeconds: 60,
      query: { 'A-userid': 'u' },
    }
    const aws = await presignUrl({ ...base, region: 'us-east-1' })
    expect(aws).toMatch(
      /^https:\/\/bucket_name\.s3\.amazonaws\.com\/a\/b%20c\.txt\?A-userid=u&X-Amz-/,
    )
    const local = await presignUrl({ ...base, endpoint: 'http://127.0.0.1:7480' })
    expect(local).toMatch(/^http:\/\/127\.0\.0\.1:7480\/bucket_name\/a\/b%20c\.txt\?A-userid=u&/)
    expect(local).not.toContain('X-Amz-Content-Sha256')
  })
})

/**
 * The URL `@aws-sdk/s3-request-presigner` makes for the same request (formatted as the SDK's
 * formatUrl does: sorted, RFC 3986), with X-Amz-Signature moved last as TEA orders it.
 */
async function presignerUrl(input: PresignInput): Promise<string> {
  const target =
    input.endpoint === undefined
      ? new URL(
          input.region === 'us-east-1'
            ? `https://${input.bucket}.s3.amazonaws.com`
            : `https://${input.bucket}.s3.${input.region}.amazonaws.com`,
        )
      : new URL(input.endpoint)
  const base =
    input.endpoint === undefined
      ? ''
      : `${target.pathname.replace(/\/+$/, '')}/${rfc3986(input.bucket)}`
  const path = `${base}/${input.key.split('/').map(rfc3986).join('/')}`
  const presigner = new S3RequestPresigner({
    credentials: input.credentials,
    region: input.region,
    sha256: Sha256Node,
  })
  const keep = 'x-amz-content-sha256'
  const signed = await presigner.presign(
    new HttpRequest({
      protocol: target.protocol,
      hostname: target.hostname,
      ...(target.port === '' ? {} : { port: Number(target.port) }),
      method: input.method,
      path,
      query: { ...input.query },
      headers: {},
    }),
    {
      expiresIn: input.expiresInSeconds,
      ...(input.signingDate === undefined ? {} : { signingDate: input.signingDate }),
      unhoistableHeaders: new Set([keep]),
      unsignableHeaders: new Set([keep]),
    },
  )
  const { 'X-Amz-Signature': signature, ...rest } = signed.query ?? {}
  expect(typeof signature).toBe('string')
  return `${target.origin}${path}?${buildQueryString(rest)}&X-Amz-Signature=${String(signature)}`
}

function rfc3986(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  )
}

describe('presignUrl and @aws-sdk/s3-request-presigner', () => {
  const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?$/)
  const bucket = fc
    .array(label, { minLength: 1, maxLength: 3 })
    .map((labels) => labels.join('.'))
    .filter((name) => name.length >= 3 && name.length <= 63)
  const key = fc.oneof(
    fc.string({ unit: 'binary', minLength: 1, maxLength: 80 }),
    fc
      .array(
        fc.constantFrom(
          'a',
          'b/c',
          ' ',
          ':',
          '/',
          '+',
          '=',
          '~',
          "!'()*",
          '%20',
          '.',
          '..',
          'é',
          '😀',
          '\n',
          '?#&',
        ),
        { minLength: 1, maxLength: 12 },
      )
      .map((parts) => parts.join('')),
  )
  const credentials = fc.record(
    {
      accessKeyId: fc.stringMatching(/^[A-Z0-9]{16,24}$/),
      secretAccessKey: fc.stringMatching(/^[A-Za-z0-9/+]{40}$/),
      sessionToken: fc.stringMatching(/^[A-Za-z0-9/+=]{20,900}$/),
    },
    { requiredKeys: ['accessKeyId', 'secretAccessKey'] },
  )
  const region = fc.oneof(
    fc.constantFrom('us-east-1', 'us-west-2', 'eu-central-1', 'region_name'),
    fc.stringMatching(/^[a-z]{2}-[a-z]{4,9}-[1-9]$/),
  )
  const endpoint = fc.option(
    fc.constantFrom(
      'http://127.0.0.1:7480',
      'http://localhost:9000/',
      'https://s3.example.org',
      'https://objects.example.org:8443/s3/',
    ),
    { nil: undefined },
  )
  const query = fc
    .record(
      {
        'A-api-request-uuid': fc.stringMatching(/^[\x21-\x7e]{1,60}$/),
        'A-userid': fc.oneof(
          fc.constant('None'),
          fc.constant(''),
          fc.string({ unit: 'binary', maxLength: 40 }),
        ),
      },
      { requiredKeys: ['A-userid'] },
    )
    // TEA's order: the request uuid before the user id.
    .map((q): Record<string, string> => ({ ...q }))
  // Several URLs per credentials object, over regions and days: the signer (and its signing
  // keys) is kept per credentials, so a key from one region or day must not leak into another.
  const requests = fc.array(
    fc.record({
      region,
      bucket,
      key,
      method: fc.constantFrom('GET' as const, 'HEAD' as const),
      expiresInSeconds: fc.integer({ min: 1, max: 3600 }),
      query,
      endpoint,
      signingDate: fc.date({
        min: new Date('2015-01-01T00:00:00Z'),
        max: new Date('2040-01-01T00:00:00Z'),
        noInvalidDate: true,
      }),
    }),
    { minLength: 1, maxLength: 4 },
  )

  it('gives byte-identical URLs for random keys, buckets, credentials, regions and parameters', async () => {
    await fc.assert(
      fc.asyncProperty(credentials, requests, async (creds, list) => {
        for (const request of list) {
          const input: PresignInput = { credentials: creds, ...request }
          expect(await presignUrl(input)).toBe(await presignerUrl(input))
        }
      }),
      { seed: 20261201, numRuns: 400 },
    )
  })
})
