import { expect, test } from 'vitest'
import { bucketMapLocation } from './bucket-map-location.js'

test.each([
  [undefined, 'cfg', {}],
  ['', 'cfg', {}],
  ['bucket_map.yaml', 'cfg', { configBucket: 'cfg', key: 'bucket_map.yaml' }],
  ['maps/prod.yaml', 'cfg', { configBucket: 'cfg', key: 'maps/prod.yaml' }],
  ['bucket_map.yaml', undefined, { file: 'bucket_map.yaml' }],
  ['bucket_map.yaml', '', { file: 'bucket_map.yaml' }],
  ['/etc/tea/map.yaml', 'cfg', { file: '/etc/tea/map.yaml' }],
  ['./map.yaml', 'cfg', { file: './map.yaml' }],
  ['../map.yaml', 'cfg', { file: '../map.yaml' }],
  ['s3://other/dir/map.yaml', 'cfg', { configBucket: 'other', key: 'dir/map.yaml' }],
  ['s3://other/map.yaml', undefined, { configBucket: 'other', key: 'map.yaml' }],
])('BUCKET_MAP_FILE %j, CONFIG_BUCKET %j → %j', (file, bucket, expected) => {
  expect(bucketMapLocation(file, bucket)).toEqual(expected)
})

test.each(['s3://', 's3://bucket', 's3://bucket/', 's3:///key'])('%j is a TypeError', (file) => {
  expect(() => bucketMapLocation(file, 'cfg')).toThrow(
    new TypeError(`BUCKET_MAP_FILE ${file} must look like s3://bucket/key`),
  )
})
