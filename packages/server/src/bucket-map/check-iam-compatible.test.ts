import { describe, expect, test } from 'vitest'
import { BucketMapError } from './bucket-map-error.js'
import { checkIamCompatible } from './check-iam-compatible.js'
import { parseBucketMap } from './parse-bucket-map.js'

const check = (doc: unknown, text = JSON.stringify(doc)): void =>
  checkIamCompatible(parseBucketMap(text, { fileName: 'm.yaml' }))

const thrown = (fn: () => void): unknown => {
  try {
    fn()
  } catch (err) {
    return err
  }
  return undefined
}

describe('checkIamCompatible: RAC tests that pass', () => {
  test.each([
    // test_check_iam_compatible_nested_private_first
    [{ PUBLIC_BUCKETS: ['bucket/browse'], PRIVATE_BUCKETS: { bucket: ['group_1'] } }],
    [{ PRIVATE_BUCKETS: { bucket: ['group_1'], 'bucket/foo/': ['group_1', 'group_2'] } }],
    [{ PRIVATE_BUCKETS: { bucket: ['group_1'], 'bucket/foo/': [] } }],
    // test_check_bucket_access_conflicting and _nested_paths use the default iam_compatible=True
    [
      {
        MAP: { PATH: 'bucket' },
        PUBLIC_BUCKETS: ['bucket'],
        PRIVATE_BUCKETS: { bucket: ['some_permission'] },
      },
    ],
    [{ MAP: { PATH: 'bucket' }, PUBLIC_BUCKETS: 10 }],
    // sample_bucket_map_iam
    [
      {
        MAP: { productX: 'bucket' },
        PUBLIC_BUCKETS: { 'browse-bucket': 'x', 'bucket/browse': 'y' },
        PRIVATE_BUCKETS: { bucket: ['science_team'], 'nested-bucket-private': [] },
      },
    ],
  ])('%j', (doc) => {
    expect(() => check(doc)).not.toThrow()
  })
})

describe('checkIamCompatible: RAC tests that fail, with TEA message text', () => {
  test.each([
    // test_check_iam_compatible_nested_protected_then_private
    [
      { PRIVATE_BUCKETS: { 'bucket/foo/': ['group_1'] } },
      "Invalid prefix permissions for bucket 'bucket': 'foo/' has {'group_1'} but '' has protected access",
    ],
    [
      { PRIVATE_BUCKETS: { 'bucket/foo': ['group_1'] } },
      "Invalid prefix permissions for bucket 'bucket': 'foo' has {'group_1'} but '' has protected access",
    ],
    // test_check_iam_compatible_nested_public_first
    [
      { PUBLIC_BUCKETS: ['bucket'], PRIVATE_BUCKETS: { 'bucket/foo': ['group_1'] } },
      "Invalid prefix permissions for bucket 'bucket': 'foo' has {'group_1'} but '' has public access",
    ],
    [
      { PUBLIC_BUCKETS: ['bucket'], PRIVATE_BUCKETS: { 'bucket/foo': [] } },
      "Invalid prefix permissions for bucket 'bucket': 'foo' has protected access but '' has public access",
    ],
    // test_to_iam_policy_checks_compatibility
    [
      { PATH: 'bucket', PRIVATE_BUCKETS: { 'bucket/foo/': ['group'] } },
      "Invalid prefix permissions for bucket 'bucket': 'foo/' has {'group'} but '' has protected access",
    ],
    // The sample map is not IAM-compatible (test_entries uses iam_compatible=False).
    [
      {
        MAP: { productX: 'bucket' },
        PUBLIC_BUCKETS: { 'bucket/browse': 'y' },
        PRIVATE_BUCKETS: { 'bucket/2020/12': ['science_team'] },
      },
      "Invalid prefix permissions for bucket 'bucket': '2020/12' has {'science_team'} but '' has protected access",
    ],
  ])('%j', (doc, message) => {
    const error = thrown(() => check(doc))
    expect(error).toBeInstanceOf(BucketMapError)
    expect(error).toMatchObject({ message, code: 'ERR_CONFIG', fileName: 'm.yaml', line: 1 })
  })
})

describe('checkIamCompatible: details', () => {
  test('a group set must contain the parent set', () => {
    expect(() => check({ PRIVATE_BUCKETS: { b: ['x', 'y'], 'b/p/': ['y', 'z'] } })).toThrow(
      "Invalid prefix permissions for bucket 'b': 'p/' has {'y', 'z'} but '' has {'x', 'y'}",
    )
    expect(() =>
      check({ PRIVATE_BUCKETS: { b: ['x', 'y'], 'b/p/': ['z', 'y', 'x'] } }),
    ).not.toThrow()
  })

  test('the parent is the longest strictly shorter rule prefix (raw startsWith)', () => {
    const doc = { PRIVATE_BUCKETS: { b: ['g'], 'b/a': ['g', 'h'], 'b/ab': ['h'] } }
    expect(() => check(doc)).toThrow(
      "Invalid prefix permissions for bucket 'b': 'ab' has {'h'} but 'a' has {'g', 'h'}",
    )
  })

  test('the shortest offending prefix is reported first', () => {
    const doc = { PRIVATE_BUCKETS: { 'b/aaa/x': ['1'], 'b/aa/': ['2'] } }
    expect(() => check(doc)).toThrow("'aa/' has {'2'} but '' has protected access")
  })

  test('group names are quoted like Python repr', () => {
    expect(() => check({ PRIVATE_BUCKETS: { 'b/p': ["it's"] } })).toThrow(
      `Invalid prefix permissions for bucket 'b': 'p' has {"it's"} but '' has protected access`,
    )
  })

  test('the error carries the file and the line of the offending rule', () => {
    const text = 'A: b\nPRIVATE_BUCKETS:\n  b: [g]\n  b/p/: [h]\n'
    expect(thrown(() => check(undefined, text))).toMatchObject({
      code: 'ERR_CONFIG',
      statusCode: 500,
      fileName: 'm.yaml',
      line: 4,
    })
  })

  test('public children are always allowed, even under a group rule', () => {
    expect(() =>
      check({ PUBLIC_BUCKETS: ['b/p/'], PRIVATE_BUCKETS: { b: ['g'], 'b/p/q/': ['g'] } }),
    ).toThrow(
      "Invalid prefix permissions for bucket 'b': 'p/q/' has {'g'} but 'p/' has public access",
    )
  })
})
