import { describe, expect, test } from 'vitest'
import type { BucketMap, RequiredGroups } from './bucket-map.js'
import { canAccess } from './can-access.js'
import { parseBucketMap } from './parse-bucket-map.js'
import { requiredGroups } from './required-groups.js'
import { resolvePath } from './resolve-path.js'

const fromJson = (doc: unknown, bucketNamePrefix = ''): BucketMap =>
  parseBucketMap(JSON.stringify(doc), { fileName: 'm.yaml', bucketNamePrefix })

/** TEA's `b_map.get(path).get_required_groups()`. */
const required = (map: BucketMap, path: string): RequiredGroups => {
  const found = resolvePath(map, path)
  if (found === null) throw new Error(`no entry for ${path}`)
  return requiredGroups(map, found.bucket, found.objectKey)
}
/** TEA's `b_map.get(path).is_accessible(groups)`; `null` = no login (TEA's default `None`). */
const accessible = (map: BucketMap, path: string, groups: string[] | null = null): boolean =>
  canAccess(required(map, path), groups === null ? null : new Set(groups))

// RAC's sample_bucket_map fixture (from TEA issue #188).
const SAMPLE = {
  MAP: {
    ANY_AUTHED: 'authed-bucket',
    'general-browse': 'browse-bucket',
    productX: 'bucket',
    nested: { nested2a: { nested3: 'nested-bucket-public' }, nested2b: 'nested-bucket-private' },
  },
  PUBLIC_BUCKETS: {
    'browse-bucket': 'General browse Imagery',
    'bucket/browse': 'ProductX Browse Imagery',
  },
  PRIVATE_BUCKETS: { 'bucket/2020/12': ['science_team'], 'nested-bucket-private': [] },
}

describe('requiredGroups: RAC test_get_required_groups', () => {
  const map = fromJson(SAMPLE)
  test.each([
    ['productX/obj1', 'authenticated'],
    ['ANY_AUTHED/obj1', 'authenticated'],
    ['general-browse/obj1', 'public'],
    ['productX/browse/obj1', 'public'],
    ['productX/2020/12/obj1', new Set(['science_team'])],
    ['productX/2020/23/obj2', 'authenticated'],
  ])('%s', (path, expected) => {
    expect(required(map, path)).toEqual(expected)
  })
})

describe('canAccess through the map: RAC test_check_bucket_access*', () => {
  test('test_check_bucket_access', () => {
    const map = fromJson(SAMPLE)
    expect(accessible(map, 'productX/obj1')).toBe(false)
    expect(accessible(map, 'ANY_AUTHED/obj1')).toBe(false)
    expect(accessible(map, 'ANY_AUTHED/obj1', [])).toBe(true)
    expect(accessible(map, 'general-browse/obj1')).toBe(true)
    expect(accessible(map, 'general-browse/obj1', ['science_team'])).toBe(true)
    expect(accessible(map, 'productX/browse/obj1')).toBe(true)
    expect(accessible(map, 'productX/2020/12/obj1', ['science_team'])).toBe(true)
    expect(accessible(map, 'productX/2020/23/obj2', ['science_team'])).toBe(true)
    expect(accessible(map, 'productX/2020/12/obj1')).toBe(false)
    expect(accessible(map, 'nested/nested2b/obj1')).toBe(false)
    expect(accessible(map, 'nested/nested2b/obj1', [])).toBe(true)
  })

  test('test_check_bucket_access_conflicting', () => {
    const map = fromJson({
      MAP: { PATH: 'bucket' },
      PUBLIC_BUCKETS: ['bucket'],
      PRIVATE_BUCKETS: { bucket: ['some_permission'] },
    })
    expect(accessible(map, 'PATH/obj1')).toBe(false)
    expect(accessible(map, 'PATH/obj1', ['some_permission'])).toBe(true)
  })

  test.each([
    [
      'test_check_bucket_access_longest_prefix_first',
      ['bucket'],
      { 'bucket/foobar': ['other_permission'], 'bucket/foo': ['some_permission'] },
    ],
    [
      'test_check_bucket_access_longest_prefix_first_order',
      ['bucket'],
      { 'bucket/foo': ['some_permission'], 'bucket/foobar': ['other_permission'] },
    ],
    [
      'test_check_bucket_access_longest_prefix_first_conflicting',
      ['bucket/foo', 'bucket/foobar'],
      { 'bucket/foo': ['some_permission'], 'bucket/foobar': ['other_permission'] },
    ],
  ])('%s', (_, publicBuckets, privateBuckets) => {
    const map = fromJson({
      MAP: { PATH: 'bucket' },
      PUBLIC_BUCKETS: publicBuckets,
      PRIVATE_BUCKETS: privateBuckets,
    })
    expect(accessible(map, 'PATH/foobar')).toBe(false)
    expect(accessible(map, 'PATH/foobar', ['some_permission'])).toBe(false)
    expect(accessible(map, 'PATH/foobar', ['other_permission'])).toBe(true)
  })

  test('test_check_bucket_access_nested_paths', () => {
    const map = fromJson({
      MAP: {
        nested: {
          nested2a: { nested3: 'nested-bucket-public' },
          nested2b: 'nested-bucket-private',
        },
      },
      PUBLIC_BUCKETS: { 'nested-bucket-public': "Public bucket in 'nested'" },
      PRIVATE_BUCKETS: { 'nested-bucket-private': ['science_team'] },
    })
    expect(accessible(map, 'nested/nested2b/obj1')).toBe(false)
    expect(accessible(map, 'nested/nested2b/obj1', ['wrong_group'])).toBe(false)
    expect(accessible(map, 'nested/nested2b/obj1', ['science_team'])).toBe(true)
    expect(accessible(map, 'nested/nested2a/nested3/obj1')).toBe(true)
  })

  test('test_check_bucket_access_nested_private_first', () => {
    const map = fromJson({
      MAP: { PATH: 'bucket' },
      PUBLIC_BUCKETS: ['bucket/foo/browse'],
      PRIVATE_BUCKETS: { 'bucket/foo': ['some_permission'] },
    })
    expect(accessible(map, 'PATH/obj1')).toBe(false)
    expect(accessible(map, 'PATH/foo/obj1')).toBe(false)
    expect(accessible(map, 'PATH/foo/obj1', ['some_permission'])).toBe(true)
    expect(accessible(map, 'PATH/foo/browse/obj1', ['some_permission'])).toBe(true)
    expect(accessible(map, 'PATH/foo/browse/obj1')).toBe(true)
  })

  test('test_check_bucket_access_nested_public_first', () => {
    const map = fromJson({
      MAP: { PATH: 'bucket' },
      PUBLIC_BUCKETS: ['bucket/browse'],
      PRIVATE_BUCKETS: { 'bucket/browse/foo': ['some_permission'] },
    })
    expect(accessible(map, 'PATH/obj1')).toBe(false)
    expect(accessible(map, 'PATH/browse/foo/obj1')).toBe(false)
    expect(accessible(map, 'PATH/browse/foo/obj1', ['some_permission'])).toBe(true)
    expect(accessible(map, 'PATH/browse/obj1', ['some_permission'])).toBe(true)
    expect(accessible(map, 'PATH/browse/obj1')).toBe(true)
  })

  test('test_check_bucket_access_malformed (PUBLIC_BUCKETS: 10)', () => {
    const map = fromJson({ MAP: { PATH: 'bucket' }, PUBLIC_BUCKETS: 10 })
    expect(accessible(map, 'PATH/obj1')).toBe(false)
  })

  test('TEA test_dynamic_url_public_within_private and issue #417', () => {
    const map = fromJson(
      {
        MAP: { FOO: 'bucket' },
        PUBLIC_BUCKETS: ['bucket/BROWSE'],
        PRIVATE_BUCKETS: { bucket: ['PERMISSION'] },
      },
      'gsfc-ngap-d-',
    )
    expect(required(map, 'FOO/BROWSE/OBJECT_1')).toBe('public')
    expect(required(map, 'FOO/DATA/OBJECT_1')).toEqual(new Set(['PERMISSION']))
  })
})

describe('requiredGroups: details', () => {
  test('the prefix match is a raw startsWith, without a / boundary (TEA-compatible)', () => {
    const map = fromJson({
      MAP: { P: 'b' },
      PUBLIC_BUCKETS: ['b/foo'],
      PRIVATE_BUCKETS: { b: ['g'] },
    })
    expect(requiredGroups(map, 'b', 'foobar.txt')).toBe('public')
    expect(requiredGroups(map, 'b', 'foo/x')).toBe('public')
    expect(requiredGroups(map, 'b', 'fo')).toEqual(new Set(['g']))
  })

  test('rules are looked up by the unprefixed name', () => {
    const map = fromJson({ MAP: { P: 'b' }, PUBLIC_BUCKETS: ['b'] }, 'pre-')
    expect(requiredGroups(map, 'pre-b', 'x')).toBe('public')
    // 'b' is not a bucket of this map: the prefixed bucket is 'pre-b'.
    expect(requiredGroups(map, 'b', 'x')).toBe('authenticated')
  })

  test('a bucket without rules needs a login', () => {
    expect(requiredGroups(fromJson({ P: 'b' }), 'b', 'x')).toBe('authenticated')
  })

  test('an empty group list means any logged-in user', () => {
    expect(requiredGroups(fromJson({ P: 'b', PRIVATE_BUCKETS: { b: [] } }), 'b', 'x')).toBe(
      'authenticated',
    )
  })
})

describe('canAccess', () => {
  test.each([
    ['public', null, true],
    ['public', [], true],
    ['authenticated', null, false],
    ['authenticated', [], true],
    [['a', 'b'], null, false],
    [['a', 'b'], [], false],
    [['a', 'b'], ['c'], false],
    [['a', 'b'], ['c', 'b'], true],
  ] as const)('%j with groups %j → %s', (need, groups, expected) => {
    const required: RequiredGroups = typeof need === 'string' ? need : new Set(need)
    expect(canAccess(required, groups === null ? null : new Set(groups))).toBe(expected)
  })
})
