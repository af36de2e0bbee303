import { describe, expect, test } from 'vitest'
import type { IamPolicy } from './iam-policy.js'
import { policyAllows } from './policy-allows.js'

const POLICY: IamPolicy = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:ListBucket'],
      Resource: ['arn:aws:s3:::whole', 'arn:aws:s3:::whole/*', 'arn:aws:s3:::part/pub/*'],
    },
    {
      Effect: 'Allow',
      Action: ['s3:ListBucket'],
      Resource: ['arn:aws:s3:::part'],
      Condition: { StringLike: { 's3:prefix': ['pub/*'] } },
    },
  ],
}

describe('policyAllows', () => {
  test.each([
    ['s3:GetObject', 'whole', 'any/key', true],
    ['s3:GetObject', 'whole', '', true],
    ['s3:GetObject', 'wholesale', 'x', false],
    ['s3:GetObject', 'part', 'pub/x', true],
    ['s3:GetObject', 'part', 'pub/', true],
    ['s3:GetObject', 'part', 'pub', false],
    ['s3:GetObject', 'part', 'private/x', false],
    ['s3:GetObject', 'other', 'pub/x', false],
  ] as const)('%s %s/%s → %s', (action, bucket, key, expected) => {
    expect(policyAllows(POLICY, { action, bucket, key })).toBe(expected)
  })

  test.each([
    ['whole', undefined, true],
    ['whole', 'anything', true],
    ['part', undefined, false],
    ['part', '', false],
    ['part', 'pub/', true],
    ['part', 'pub/deep/', true],
    ['part', 'pub', false],
    ['part', 'private/', false],
    ['other', 'pub/', false],
  ] as const)('s3:ListBucket %s prefix %j → %s', (bucket, prefix, expected) => {
    expect(policyAllows(POLICY, { action: 's3:ListBucket', bucket, prefix })).toBe(expected)
  })

  test('s3:ListBucket on an object ARN and s3:GetObject on a bucket ARN grant nothing', () => {
    const odd: IamPolicy = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: ['arn:aws:s3:::b/*'] },
        { Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::c'] },
      ],
    }
    expect(policyAllows(odd, { action: 's3:ListBucket', bucket: 'b' })).toBe(false)
    expect(policyAllows(odd, { action: 's3:GetObject', bucket: 'b', key: 'x' })).toBe(false)
    expect(policyAllows(odd, { action: 's3:GetObject', bucket: 'c', key: '' })).toBe(false)
  })
})
