import { expect, test } from 'vitest'
import { defaultBucketNamePrefix } from './bucket-name-prefix.js'

// RAC tests/test_egress_util.py::test_prepend_bucketname
test.each([
  [undefined, 'gsfc-ngap-d-'],
  ['PROD', 'gsfc-ngap-p-'],
  ['DEV', 'gsfc-ngap-d-'],
  ['INT', 'gsfc-ngap-i-'],
  ['test', 'gsfc-ngap-t-'],
  ['', 'gsfc-ngap-d-'],
])('MATURITY %j → %s', (maturity, expected) => {
  expect(defaultBucketNamePrefix(maturity)).toBe(expected)
})
