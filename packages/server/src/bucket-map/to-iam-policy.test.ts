import { describe, expect, test } from 'vitest'
import type { BucketMap } from './bucket-map.js'
import { BucketMapError } from './bucket-map-error.js'
import { parseBucketMap } from './parse-bucket-map.js'
import { policyJson } from './policy-json.js'
import { toIamPolicy } from './to-iam-policy.js'
import { TEA_SAMPLE_MAP } from '../testing/tea-sample-map.js'

const fromJson = (doc: unknown, bucketNamePrefix = ''): BucketMap =>
  parseBucketMap(JSON.stringify(doc), { fileName: 'm.yaml', bucketNamePrefix })

const whole = (...resources: string[]) => ({
  Effect: 'Allow',
  Action: ['s3:GetObject', 's3:ListBucket'],
  Resource: resources,
})
const getOnly = (...resources: string[]) => ({
  Effect: 'Allow',
  Action: ['s3:GetObject'],
  Resource: resources,
})
const listPrefixes = (buckets: string[], prefixes: string[]) => ({
  Effect: 'Allow',
  Action: ['s3:ListBucket'],
  Resource: buckets,
  Condition: { StringLike: { 's3:prefix': prefixes } },
})
const policy = (...Statement: object[]) => ({ Version: '2012-10-17', Statement })

const GROUPS_MAP = {
  PATH1: 'bucket1',
  PATH2: 'bucket2',
  PATH3: 'bucket3',
  PRIVATE_BUCKETS: { bucket1: ['group1'], bucket2: ['group2'], bucket3: ['group3'] },
}

describe('toIamPolicy: RAC tests/test_bucket_map.py::test_to_iam_policy_*', () => {
  test.each([
    ['empty', {}, '', [], null],
    [
      'simple',
      { PATH: 'bucket-name' },
      '',
      [],
      policy(whole('arn:aws:s3:::bucket-name', 'arn:aws:s3:::bucket-name/*')),
    ],
    [
      'simple_duplicates',
      {
        PATH1: 'bucket-name1',
        PATH2: 'bucket-name1',
        PATH3: 'bucket-name1',
        PATH4: 'bucket-name2',
        PATH5: 'bucket-name2',
        PATH6: 'bucket-name2',
      },
      '',
      [],
      policy(
        whole(
          'arn:aws:s3:::bucket-name1',
          'arn:aws:s3:::bucket-name1/*',
          'arn:aws:s3:::bucket-name2',
          'arn:aws:s3:::bucket-name2/*',
        ),
      ),
    ],
    [
      'private',
      { PATH: 'bucket-name', PRIVATE_BUCKETS: { 'bucket-name': ['science_team'] } },
      '',
      [],
      null,
    ],
    [
      'private_with_public_prefix',
      {
        PATH: 'bucket-name',
        PUBLIC_BUCKETS: { 'bucket-name/public/': 'Public browse imagery' },
        PRIVATE_BUCKETS: { 'bucket-name': ['science_team'] },
      },
      '',
      [],
      policy(
        getOnly('arn:aws:s3:::bucket-name/public/*'),
        listPrefixes(['arn:aws:s3:::bucket-name'], ['public/*']),
      ),
    ],
    [
      'private_with_protected_prefix',
      {
        PATH: 'bucket-name',
        PRIVATE_BUCKETS: { 'bucket-name': ['science_team'], 'bucket-name/public/': [] },
      },
      '',
      [],
      policy(
        getOnly('arn:aws:s3:::bucket-name/public/*'),
        listPrefixes(['arn:aws:s3:::bucket-name'], ['public/*']),
      ),
    ],
    [
      'private_with_protected_prefix_full_access',
      {
        PATH: 'bucket-name',
        PRIVATE_BUCKETS: { 'bucket-name': ['science_team'], 'bucket-name/public/': [] },
      },
      '',
      ['science_team'],
      policy(whole('arn:aws:s3:::bucket-name', 'arn:aws:s3:::bucket-name/*')),
    ],
    [
      'private_with_multiple_nested_private',
      {
        PATH: 'bucket-name',
        PRIVATE_BUCKETS: {
          'bucket-name': ['science_team'],
          'bucket-name/closed1/': ['science_team'],
          'bucket-name/closed2/': ['science_team'],
          'bucket-name/closed3/': ['science_team'],
          'bucket-name/closed1/open1/': [],
          'bucket-name/closed1/open2/': [],
          'bucket-name/closed1/open3/': [],
        },
      },
      '',
      [],
      policy(
        getOnly(
          'arn:aws:s3:::bucket-name/closed1/open1/*',
          'arn:aws:s3:::bucket-name/closed1/open2/*',
          'arn:aws:s3:::bucket-name/closed1/open3/*',
        ),
        listPrefixes(
          ['arn:aws:s3:::bucket-name'],
          ['closed1/open1/*', 'closed1/open2/*', 'closed1/open3/*'],
        ),
      ),
    ],
    [
      'private_with_multiple_nested_protected_multiple_buckets',
      {
        PATH1: 'bucket1',
        PATH2: 'bucket2',
        PRIVATE_BUCKETS: {
          bucket1: ['science_team'],
          bucket2: ['science_team'],
          'bucket1/closed1/': ['science_team'],
          'bucket2/closed2/': ['science_team'],
          'bucket1/closed1/open1/': [],
          'bucket2/closed1/open2/': [],
        },
      },
      '',
      [],
      policy(
        getOnly('arn:aws:s3:::bucket1/closed1/open1/*', 'arn:aws:s3:::bucket2/closed1/open2/*'),
        listPrefixes(['arn:aws:s3:::bucket1'], ['closed1/open1/*']),
        listPrefixes(['arn:aws:s3:::bucket2'], ['closed1/open2/*']),
      ),
    ],
    [
      'merge_prefix_resources',
      {
        PATH1: 'bucket1',
        PATH2: 'bucket2',
        PRIVATE_BUCKETS: {
          bucket1: ['science_team'],
          bucket2: ['science_team'],
          'bucket1/theprefix/': [],
          'bucket2/theprefix/': [],
        },
      },
      '',
      [],
      policy(
        getOnly('arn:aws:s3:::bucket1/theprefix/*', 'arn:aws:s3:::bucket2/theprefix/*'),
        listPrefixes(['arn:aws:s3:::bucket1', 'arn:aws:s3:::bucket2'], ['theprefix/*']),
      ),
    ],
    [
      '(sample_bucket_map_iam, prefix pre-)',
      {
        ...TEA_SAMPLE_MAP,
        PRIVATE_BUCKETS: { bucket: ['science_team'], 'nested-bucket-private': [] },
      },
      'pre-',
      [],
      policy(
        whole(
          'arn:aws:s3:::pre-authed-bucket',
          'arn:aws:s3:::pre-authed-bucket/*',
          'arn:aws:s3:::pre-browse-bucket',
          'arn:aws:s3:::pre-browse-bucket/*',
          'arn:aws:s3:::pre-bucket/browse*',
          'arn:aws:s3:::pre-nested-bucket-public',
          'arn:aws:s3:::pre-nested-bucket-public/*',
          'arn:aws:s3:::pre-nested-bucket-private',
          'arn:aws:s3:::pre-nested-bucket-private/*',
        ),
        listPrefixes(['arn:aws:s3:::pre-bucket'], ['browse*']),
      ),
    ],
    // test_to_iam_policy_groups_noaccess with groups () and ("foo") (a str: groups f, o, o)
    ['groups_noaccess ()', GROUPS_MAP, '', [], null],
    ['groups_noaccess "foo"', GROUPS_MAP, '', ['f', 'o', 'o'], null],
    [
      'groups_single_access group1',
      GROUPS_MAP,
      '',
      ['group1'],
      policy(whole('arn:aws:s3:::bucket1', 'arn:aws:s3:::bucket1/*')),
    ],
    [
      'groups_single_access group2',
      GROUPS_MAP,
      '',
      ['group2'],
      policy(whole('arn:aws:s3:::bucket2', 'arn:aws:s3:::bucket2/*')),
    ],
    [
      'groups_multiple_access',
      GROUPS_MAP,
      '',
      ['group2', 'group3'],
      policy(
        whole(
          'arn:aws:s3:::bucket2',
          'arn:aws:s3:::bucket2/*',
          'arn:aws:s3:::bucket3',
          'arn:aws:s3:::bucket3/*',
        ),
      ),
    ],
  ])('%s', (_, doc, prefix, groups, expected) => {
    expect(toIamPolicy(fromJson(doc, prefix), new Set(groups))).toEqual(expected)
  })

  test("checks_compatibility: an incompatible map throws TEA's message", () => {
    const map = fromJson({ PATH: 'bucket', PRIVATE_BUCKETS: { 'bucket/foo/': ['group'] } })
    expect(() => toIamPolicy(map, new Set())).toThrow(BucketMapError)
    expect(() => toIamPolicy(map, new Set())).toThrow(
      "Invalid prefix permissions for bucket 'bucket': 'foo/' has {'group'} but '' has protected access",
    )
  })
})

describe('toIamPolicy: JSON identical to TEA', () => {
  test('compact JSON, TEA key order (json.dumps(..., separators=(",", ":")))', () => {
    const map = fromJson({
      PATH1: 'bucket1',
      PATH2: 'bucket2',
      PATH3: 'bucket3',
      PRIVATE_BUCKETS: { bucket1: ['g'], bucket2: ['g'], 'bucket2/a/': [], 'bucket1/a/': [] },
    })
    expect(policyJson(toIamPolicy(map, new Set())!)).toBe(
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],' +
        '"Resource":["arn:aws:s3:::bucket1/a/*","arn:aws:s3:::bucket2/a/*","arn:aws:s3:::bucket3",' +
        '"arn:aws:s3:::bucket3/*"]},{"Effect":"Allow","Action":["s3:ListBucket"],"Resource":' +
        '["arn:aws:s3:::bucket1","arn:aws:s3:::bucket2"],"Condition":{"StringLike":{"s3:prefix":["a/*"]}}}]}',
    )
  })

  test('prefix statements: buckets sorted, prefixes in first-seen order, longest first per bucket', () => {
    const map = fromJson({
      Z: 'zeta',
      A: 'alpha',
      PUBLIC_BUCKETS: ['zeta/x/', 'zeta/yy/', 'alpha/yy/', 'alpha/x/'],
      PRIVATE_BUCKETS: { zeta: ['g'], alpha: ['g'] },
    })
    expect(toIamPolicy(map, new Set(['other']))).toEqual(
      policy(
        getOnly(
          'arn:aws:s3:::zeta/yy/*',
          'arn:aws:s3:::zeta/x/*',
          'arn:aws:s3:::alpha/yy/*',
          'arn:aws:s3:::alpha/x/*',
        ),
        listPrefixes(['arn:aws:s3:::alpha', 'arn:aws:s3:::zeta'], ['yy/*', 'x/*']),
      ),
    )
  })

  test('only the shortest readable prefix is kept', () => {
    const map = fromJson({
      P: 'b',
      PUBLIC_BUCKETS: ['b/pub/', 'b/pub/deeper/'],
      PRIVATE_BUCKETS: { b: ['g'] },
    })
    expect(toIamPolicy(map, new Set())).toEqual(
      policy(getOnly('arn:aws:s3:::b/pub/*'), listPrefixes(['arn:aws:s3:::b'], ['pub/*'])),
    )
  })

  test('a bucket without rules is readable whole by any logged-in user', () => {
    expect(toIamPolicy(fromJson({ P: 'b', PRIVATE_BUCKETS: {} }), new Set())).toEqual(
      policy(whole('arn:aws:s3:::b', 'arn:aws:s3:::b/*')),
    )
  })
})

describe('toIamPolicy: deliberate difference from TEA', () => {
  test('*, ? and $ in prefixes are escaped so they cannot widen the grant', () => {
    const map = fromJson({
      P: 'b',
      PUBLIC_BUCKETS: ['b/a*b/', 'b/q?/', 'b/${aws:username}/'],
      PRIVATE_BUCKETS: { b: ['g'] },
    })
    expect(toIamPolicy(map, new Set())).toEqual(
      policy(
        getOnly(
          'arn:aws:s3:::b/${$}{aws:username}/*',
          'arn:aws:s3:::b/a${*}b/*',
          'arn:aws:s3:::b/q${?}/*',
        ),
        listPrefixes(['arn:aws:s3:::b'], ['${$}{aws:username}/*', 'a${*}b/*', 'q${?}/*']),
      ),
    )
  })
})
