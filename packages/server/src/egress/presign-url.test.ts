import { describe, expect, it } from 'vitest'
import { presignUrl } from './presign-url.js'

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
