import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { parseBucketMap } from '../bucket-map/parse-bucket-map.js'
import { PolicyTooLargeError } from '../bucket-map/policy-too-large.js'
import { createPolicyForGroups } from './policy-for-groups.js'

const MAP = parseBucketMap(
  [
    'MAP:',
    '  a: bucket-a',
    '  b: bucket-b',
    'PUBLIC_BUCKETS:',
    '  bucket-a/pub/: public',
    'PRIVATE_BUCKETS:',
    '  bucket-a: [g1]',
    '  bucket-b: [g2]',
  ].join('\n'),
  { fileName: 'map.yaml', iamCompatible: true },
)

describe('createPolicyForGroups', () => {
  it('returns TEA’s policy JSON with its SHA-256 as id', () => {
    const policy = createPolicyForGroups(MAP)(['g2'])
    const json =
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],' +
      '"Resource":["arn:aws:s3:::bucket-a/pub/*","arn:aws:s3:::bucket-b","arn:aws:s3:::bucket-b/*"]},' +
      '{"Effect":"Allow","Action":["s3:ListBucket"],"Resource":["arn:aws:s3:::bucket-a"],' +
      '"Condition":{"StringLike":{"s3:prefix":["pub/*"]}}}]}'
    expect(policy).toEqual({
      json,
      id: createHash('sha256').update(json).digest('base64url'),
    })
  })

  it('gives the same object for the same group set, whatever the order or duplicates', () => {
    const policyFor = createPolicyForGroups(MAP)
    const first = policyFor(['g1', 'g2'])
    expect(policyFor(['g2', 'g1', 'g2'])).toBe(first)
    expect(policyFor(['g1'])).not.toEqual(first)
  })

  it('returns null when the groups reach nothing', () => {
    const privateOnly = parseBucketMap(
      'MAP:\n  a: bucket-a\nPRIVATE_BUCKETS:\n  bucket-a: [g1]\n',
      {
        fileName: 'private.yaml',
      },
    )
    const policyFor = createPolicyForGroups(privateOnly)
    expect(policyFor([])).toBeNull()
    expect(policyFor(['other'])).toBeNull()
  })

  it('throws PolicyTooLarge when the policy cannot fit maxChars', () => {
    expect(() => createPolicyForGroups(MAP, { maxChars: 50 })(['g1'])).toThrow(PolicyTooLargeError)
  })

  it('rejects a bad cacheSize (misuse)', () => {
    expect(() => createPolicyForGroups(MAP, { cacheSize: 0 })).toThrow(TypeError)
  })
})
