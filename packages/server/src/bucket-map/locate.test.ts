import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { listEntries } from './list-entries.js'
import { locate } from './locate.js'
import { parseBucketMap } from './parse-bucket-map.js'
import { TEA_SAMPLE_MAP } from '../testing/tea-sample-map.js'

const fromJson = (doc: unknown, bucketNamePrefix = '') =>
  parseBucketMap(JSON.stringify(doc), { fileName: 'm.yaml', bucketNamePrefix })
const example = (bucketNamePrefix: string) =>
  parseBucketMap(
    readFileSync(new URL('./examples/bucket-map.example.yaml', import.meta.url), 'utf8'),
    { fileName: 'example.yaml', bucketNamePrefix },
  )
const entry = (bucket: string, bucketName: string, bucketPath: string, headers = {}) => ({
  bucket,
  bucketName,
  bucketPath,
  headers,
})

describe('listEntries: RAC test_entries_*', () => {
  test.each([
    ['empty', {}, '', []],
    ['simple', { PATH: 'bucket-name' }, 'pre-', [entry('pre-bucket-name', 'bucket-name', 'PATH')]],
    [
      'multiple',
      { PATH: 'bucket1', PATH2: 'bucket2' },
      'pre-',
      [entry('pre-bucket1', 'bucket1', 'PATH'), entry('pre-bucket2', 'bucket2', 'PATH2')],
    ],
    ['compatibility: string', { foo: 'bucket1' }, '', [entry('bucket1', 'bucket1', 'foo')]],
    [
      'compatibility: {bucket}',
      { foo: { bucket: 'bucket1' } },
      '',
      [entry('bucket1', 'bucket1', 'foo')],
    ],
    [
      'compatibility: MAP',
      { MAP: { foo: { bucket: 'bucket1' } } },
      '',
      [entry('bucket1', 'bucket1', 'foo')],
    ],
    [
      'nested',
      { PATH: { LEVEL1: { LEVEL2: 'bucket-name' } } },
      '',
      [entry('bucket-name', 'bucket-name', 'PATH/LEVEL1/LEVEL2')],
    ],
    [
      'with headers',
      { PATH: { bucket: 'bucket-name', headers: { Header1: 'Value1' } } },
      '',
      [entry('bucket-name', 'bucket-name', 'PATH', { Header1: 'Value1' })],
    ],
    [
      'sample map',
      {
        ...TEA_SAMPLE_MAP,
        PRIVATE_BUCKETS: { 'bucket/2020/12': ['science_team'], 'nested-bucket-private': [] },
      },
      '',
      [
        entry('authed-bucket', 'authed-bucket', 'ANY_AUTHED'),
        entry('browse-bucket', 'browse-bucket', 'general-browse'),
        entry('bucket', 'bucket', 'productX'),
        entry('nested-bucket-public', 'nested-bucket-public', 'nested/nested2a/nested3'),
        entry('nested-bucket-private', 'nested-bucket-private', 'nested/nested2b'),
      ],
    ],
  ])('%s', (_, doc, prefix, expected) => {
    expect(listEntries(fromJson(doc, prefix))).toEqual(expected)
  })

  test('empty branches yield nothing; file order is kept, not sorted', () => {
    expect(
      listEntries(fromJson({ Z: 'z', E: {}, A: { Y: 'y', B: 'b' } })).map((e) => e.bucketPath),
    ).toEqual(['Z', 'A/Y', 'A/B'])
  })
})

describe('locate: TEA tests/test_app.py::test_locate*', () => {
  test('test_locate (BUCKETNAME_PREFIX empty)', () => {
    const map = example('')
    expect(locate(map, 'pa-dt1')).toEqual(['DATA-TYPE-1/PLATFORM-A'])
    expect(locate(map, 'nonexistent')).toEqual([])
  })

  test('test_locate_old_style_bucket_map', () => {
    const map = parseBucketMap(
      'RAW:\n  PLATFORM-A: pa-raw\nDATA-TYPE-1:\n  PLATFORM-A: pa-dt1\n  PLATFORM-B: pb-dt1\nPUBLIC_BUCKETS: [pa-dt1]\n',
      { fileName: 'old.yaml' },
    )
    expect(locate(map, 'pa-dt1')).toEqual(['DATA-TYPE-1/PLATFORM-A'])
    expect(locate(map, 'nonexistent')).toEqual([])
  })

  test('test_locate_bucket_name_prefix', () => {
    const map = example('bucket-prefix-')
    expect(locate(map, 'bucket-prefix-pa-dt1')).toEqual(['DATA-TYPE-1/PLATFORM-A'])
    expect(locate(map, 'pa-dt1')).toEqual([])
    expect(locate(map, 'nonexistent')).toEqual([])
  })

  test('every path of a bucket, in file order (TEA e2e sorts them itself)', () => {
    const map = example('')
    expect(locate(map, 'pa-bro')).toEqual(['BROWSE/PLATFORM-A', 'HEADERS/BROWSE'])
    expect(locate(map, 'pa-priv')).toEqual(['PRIVATE/PLATFORM-A', 'HEADERS/PRIVATE'])
    const e2e = fromJson({ SB: { OCN_CH: 'ocn', OCN: 'ocn' }, SA: { OCN: 'ocn', OCN_CH: 'ocn' } })
    expect(locate(e2e, 'ocn')).toEqual(['SB/OCN_CH', 'SB/OCN', 'SA/OCN', 'SA/OCN_CH'])
  })
})
