import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { parseBucketMap } from './parse-bucket-map.js'
import { resolvePath } from './resolve-path.js'

const fromJson = (doc: unknown, bucketNamePrefix = '') =>
  parseBucketMap(JSON.stringify(doc), { fileName: 'm.yaml', bucketNamePrefix })

const entry = (bucket: string, bucketPath: string, objectKey: string, headers = {}) => ({
  bucket,
  bucketPath,
  objectKey,
  headers,
})

describe('resolvePath: RAC tests/test_bucket_map.py', () => {
  test.each([
    // test_get_simple (prefix 'pre-')
    [{ PATH: 'bucket-name' }, 'pre-', 'PATH/obj1', entry('pre-bucket-name', 'PATH', 'obj1')],
    [{ PATH: 'bucket-name' }, 'pre-', 'PATH/', entry('pre-bucket-name', 'PATH', '')],
    [{ PATH: 'bucket-name' }, 'pre-', 'PATH', null],
    [{ PATH: 'bucket-name' }, 'pre-', 'NOT/VALID', null],
    // test_get_compatibility
    [{ foo: 'bucket1' }, '', 'foo/bar', entry('bucket1', 'foo', 'bar')],
    [{ foo: { bucket: 'bucket1' } }, '', 'foo/bar', entry('bucket1', 'foo', 'bar')],
    [{ MAP: { foo: { bucket: 'bucket1' } } }, '', 'foo/bar', entry('bucket1', 'foo', 'bar')],
    // test_get_path_compatibility (get_path(['foo', 'bar', 'baz']))
    [{ foo: 'bucket1' }, '', 'foo/bar/baz', entry('bucket1', 'foo', 'bar/baz')],
    [{ foo: { bucket: 'bucket1' } }, '', 'foo/bar/baz', entry('bucket1', 'foo', 'bar/baz')],
    [
      { MAP: { foo: { bucket: 'bucket1' } } },
      '',
      'foo/bar/baz',
      entry('bucket1', 'foo', 'bar/baz'),
    ],
    // test_get_nested
    [
      { PATH: { LEVEL1: { LEVEL2: 'bucket-name' } } },
      '',
      'PATH/LEVEL1/LEVEL2/obj1',
      entry('bucket-name', 'PATH/LEVEL1/LEVEL2', 'obj1'),
    ],
    [
      { PATH: { LEVEL1: { LEVEL2: 'bucket-name' } } },
      '',
      'PATH/LEVEL1/LEVEL2/',
      entry('bucket-name', 'PATH/LEVEL1/LEVEL2', ''),
    ],
    [{ PATH: { LEVEL1: { LEVEL2: 'bucket-name' } } }, '', 'PATH/LEVEL1/LEVEL2', null],
    // test_get_with_headers
    [
      { PATH: { bucket: 'bucket-name', headers: { Header1: 'Value1' } } },
      '',
      'PATH/obj1',
      entry('bucket-name', 'PATH', 'obj1', { Header1: 'Value1' }),
    ],
    [
      { PATH: { bucket: 'bucket-name', headers: { Header1: 'Value1' } } },
      '',
      'PATH/',
      entry('bucket-name', 'PATH', '', { Header1: 'Value1' }),
    ],
    [{ PATH: { bucket: 'bucket-name', headers: { Header1: 'Value1' } } }, '', 'PATH', null],
    // test_get_path_nonexistent
    [{}, '', '', null],
    [{ bar: 'bucket1' }, '', 'foo', null],
    [{ foo: {} }, '', 'foo', null],
    [{ foo: { qux: 'bucket1' } }, '', 'foo/bar', null],
    // test_check_bucket_access*: lookups that must not match
    [{}, '', 'productX', null],
    [{ MAP: { nested: { nested2a: { nested3: 'p' }, nested2b: 'q' } } }, '', 'nested/obj1', null],
    [
      { MAP: { nested: { nested2a: { nested3: 'p' }, nested2b: 'q' } } },
      '',
      'nested/nested2a/obj1',
      null,
    ],
    [
      { MAP: { nested: { nested2a: { nested3: 'p' }, nested2b: 'q' } } },
      '',
      'nested/nested2a/nested3',
      null,
    ],
  ])('%j prefix %j: %j', (doc, prefix, path, expected) => {
    expect(resolvePath(fromJson(doc, prefix), path)).toEqual(expected)
  })

  test('test_get_reverse: exactly three segments swap the first two', () => {
    const map = fromJson({ PATH: { STAGE: 'bucket-name' } })
    const reverse = { reverse: true }
    expect(resolvePath(map, 'STAGE/PATH/obj1', reverse)).toEqual(
      entry('bucket-name', 'PATH/STAGE', 'obj1'),
    )
    expect(resolvePath(map, 'STAGE/PATH/', reverse)).toEqual(entry('bucket-name', 'PATH/STAGE', ''))
    expect(resolvePath(map, 'STAGE/PATH', reverse)).toBeNull()
  })
})

describe('resolvePath: TEA quirks kept', () => {
  const map = fromJson({ PATH: { STAGE: 'bucket-name' } })

  test('reverse mode swaps nothing for four or more segments', () => {
    expect(resolvePath(map, 'STAGE/PATH/a/b', { reverse: true })).toBeNull()
    expect(resolvePath(map, 'PATH/STAGE/a/b', { reverse: true })).toEqual(
      entry('bucket-name', 'PATH/STAGE', 'a/b'),
    )
  })

  test('without reverse the swapped form does not match', () => {
    expect(resolvePath(map, 'STAGE/PATH/obj1')).toBeNull()
  })

  test('segments are case-sensitive', () => {
    expect(resolvePath(map, 'path/stage/obj1')).toBeNull()
  })

  test('empty segments are kept in the key', () => {
    expect(resolvePath(map, 'PATH/STAGE//a//b')).toEqual(
      entry('bucket-name', 'PATH/STAGE', '/a//b'),
    )
  })

  test("an empty path segment can be mapped (path '/x' → segment '')", () => {
    expect(resolvePath(fromJson({ '': 'b' }), '/x')).toEqual(entry('b', '', 'x'))
  })

  test('keys are not decoded or normalised', () => {
    expect(resolvePath(map, 'PATH/STAGE/a%20b/../c')).toEqual(
      entry('bucket-name', 'PATH/STAGE', 'a%20b/../c'),
    )
  })
})

describe('resolvePath: TEA tests/test_app.py against bucket_map_example.yaml', () => {
  const text = readFileSync(new URL('./examples/bucket-map.example.yaml', import.meta.url), 'utf8')
  const map = parseBucketMap(text, { fileName: 'example.yaml', bucketNamePrefix: 'gsfc-ngap-d-' })

  test.each([
    // test_dynamic_url, test_dynamic_url_head
    [
      'DATA-TYPE-1/PLATFORM-A/OBJECT_1',
      entry('gsfc-ngap-d-pa-dt1', 'DATA-TYPE-1/PLATFORM-A', 'OBJECT_1'),
    ],
    // test_dynamic_url_public_(un)authenticated
    ['BROWSE/PLATFORM-A/OBJECT_2', entry('gsfc-ngap-d-pa-bro', 'BROWSE/PLATFORM-A', 'OBJECT_2')],
    // test_dynamic_url_public_custom_headers
    [
      'HEADERS/BROWSE/OBJECT_1',
      entry('gsfc-ngap-d-pa-bro', 'HEADERS/BROWSE', 'OBJECT_1', {
        'custom-header-1': 'custom-header-1-value',
        'custom-header-2': 'custom-header-2-value',
      }),
    ],
    // test_dynamic_url_private
    ['PRIVATE/PLATFORM-A/OBJECT_2', entry('gsfc-ngap-d-pa-priv', 'PRIVATE/PLATFORM-A', 'OBJECT_2')],
    // test_dynamic_url_private_custom_headers
    [
      'HEADERS/PRIVATE/OBJECT_1',
      entry('gsfc-ngap-d-pa-priv', 'HEADERS/PRIVATE', 'OBJECT_1', {
        'custom-header-3': 'custom-header-3-value',
        'custom-header-4': 'custom-header-4-value',
      }),
    ],
    // test_dynamic_url_head_bad_bucket, test_dynamic_url_bad_bucket
    ['DATA-TYPE-1/NONEXISTENT/OBJECT_1', null],
    // test_dynamic_url_directory: an empty key
    ['DATA-TYPE-1/PLATFORM-A/', entry('gsfc-ngap-d-pa-dt1', 'DATA-TYPE-1/PLATFORM-A', '')],
    // A single path segment never maps (e.g. /s3credentials without its route).
    ['s3credentials', null],
  ])('%s', (path, expected) => {
    expect(resolvePath(map, path)).toEqual(expected)
  })

  test('TEA test_dynamic_url_public_within_private', () => {
    const within = fromJson(
      {
        MAP: { FOO: 'bucket' },
        PUBLIC_BUCKETS: ['bucket/BROWSE'],
        PRIVATE_BUCKETS: { bucket: ['PERMISSION'] },
      },
      'gsfc-ngap-d-',
    )
    expect(resolvePath(within, 'FOO/BROWSE/OBJECT_1')).toEqual(
      entry('gsfc-ngap-d-bucket', 'FOO', 'BROWSE/OBJECT_1'),
    )
  })
})
