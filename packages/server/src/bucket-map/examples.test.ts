import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { canAccess } from './can-access.js'
import { checkIamCompatible } from './check-iam-compatible.js'
import { fitPolicy } from './fit-policy.js'
import { parseBucketMap } from './parse-bucket-map.js'
import { policyJson } from './policy-json.js'
import { requiredGroups } from './required-groups.js'
import { resolvePath } from './resolve-path.js'
import { toIamPolicy } from './to-iam-policy.js'

const load = (name: string, bucketNamePrefix: string) =>
  parseBucketMap(readFileSync(new URL(`./examples/${name}`, import.meta.url), 'utf8'), {
    fileName: name,
    bucketNamePrefix,
    iamCompatible: true,
  })

describe('examples/bucket-map.demo.yaml (local stack, empty BUCKETNAME_PREFIX)', () => {
  const map = load('bucket-map.demo.yaml', '')

  test('parses cleanly and is IAM-compatible', () => {
    expect(map.warnings).toEqual([])
    expect(() => checkIamCompatible(map)).not.toThrow()
  })

  test('paths', () => {
    expect(resolvePath(map, 'test/a/b.txt')).toEqual({
      bucket: 'test-bucket',
      bucketPath: 'test',
      objectKey: 'a/b.txt',
      headers: {},
    })
    expect(resolvePath(map, 'labelled/public/x.jpg')).toEqual({
      bucket: 'test-bucket',
      bucketPath: 'labelled',
      objectKey: 'public/x.jpg',
      headers: { 'x-tea-demo': 'labelled' },
    })
    expect(resolvePath(map, 'other/shared/x')?.bucket).toBe('other-bucket')
  })

  test.each([
    // [bucket, key, no login, no groups, science, admin]
    ['test-bucket', 'public/x.jpg', true, true, true, true],
    ['test-bucket', 'data/x.nc', false, false, true, false],
    ['other-bucket', 'shared/x', false, false, true, true],
    ['other-bucket', 'sharedx', false, false, false, true],
    ['other-bucket', 'private/x', false, false, false, true],
  ])('%s/%s', (bucket, key, anonymous, noGroups, science, admin) => {
    const required = requiredGroups(map, bucket, key)
    expect(canAccess(required, null)).toBe(anonymous)
    expect(canAccess(required, new Set())).toBe(noGroups)
    expect(canAccess(required, new Set(['science']))).toBe(science)
    expect(canAccess(required, new Set(['admin']))).toBe(admin)
  })

  test('session policy for group science: test-bucket whole, other-bucket under shared/', () => {
    const policy = toIamPolicy(map, new Set(['science']))
    expect(policy).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['s3:GetObject', 's3:ListBucket'],
          Resource: [
            'arn:aws:s3:::test-bucket',
            'arn:aws:s3:::test-bucket/*',
            'arn:aws:s3:::other-bucket/shared/*',
          ],
        },
        {
          Effect: 'Allow',
          Action: ['s3:ListBucket'],
          Resource: ['arn:aws:s3:::other-bucket'],
          Condition: { StringLike: { 's3:prefix': ['shared/*'] } },
        },
      ],
    })
    expect(fitPolicy(policy!).json).toBe(policyJson(policy!))
  })

  test('session policy without groups: only the public prefix', () => {
    expect(toIamPolicy(map, new Set())).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['s3:GetObject'],
          Resource: ['arn:aws:s3:::test-bucket/public/*'],
        },
        {
          Effect: 'Allow',
          Action: ['s3:ListBucket'],
          Resource: ['arn:aws:s3:::test-bucket'],
          Condition: { StringLike: { 's3:prefix': ['public/*'] } },
        },
      ],
    })
  })
})

describe('examples/bucket-map.example.yaml (TEA tests/data/bucket_map_example.yaml)', () => {
  const map = load('bucket-map.example.yaml', 'gsfc-ngap-d-')

  test('parses cleanly', () => {
    expect(map.warnings).toEqual([])
  })

  test('access as in TEA test_app.py', () => {
    const need = (path: string) => {
      const found = resolvePath(map, path)!
      return requiredGroups(map, found.bucket, found.objectKey)
    }
    expect(need('BROWSE/PLATFORM-A/OBJECT_2')).toBe('public')
    expect(need('HEADERS/BROWSE/OBJECT_1')).toBe('public')
    expect(need('DATA-TYPE-1/PLATFORM-A/OBJECT_1')).toBe('authenticated')
    expect(need('PRIVATE/PLATFORM-A/OBJECT_2')).toEqual(new Set(['PRIVATE_GROUP_A']))
    expect(need('HEADERS/PRIVATE/OBJECT_1')).toEqual(new Set(['PRIVATE_GROUP_A']))
  })

  test('session policy for PRIVATE_GROUP_B', () => {
    const arns = (...b: string[]) =>
      b.flatMap((n) => [`arn:aws:s3:::gsfc-ngap-d-${n}`, `arn:aws:s3:::gsfc-ngap-d-${n}/*`])
    expect(toIamPolicy(map, new Set(['PRIVATE_GROUP_B']))).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['s3:GetObject', 's3:ListBucket'],
          Resource: arns('pa-raw', 'pb-raw', 'pa-dt1', 'pb-dt1', 'pa-bro', 'pb-bro', 'pb-priv'),
        },
      ],
    })
  })
})
