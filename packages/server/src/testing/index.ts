/**
 * Test helpers of the egress service, for its own tests and the repository's cross-package
 * tests and benchmarks: `@tea-ts/server/testing`. It resolves to these TypeScript sources (for
 * vitest and tsx, also without the `@tea-ts/source` condition), is not built into dist/ and is
 * not published.
 */
export {
  CURL,
  FIREFOX,
  JANE,
  TEST_CLIENT_ID,
  TEST_CLIENT_PASSWORD,
  janeProfile,
  testConfig,
  testKeys,
} from './test-config.js'
export type { TestConfigOptions, TestKeys } from './test-config.js'
export {
  DEMO_MAP_PATH,
  EMULATOR_ALICE,
  countingVendor,
  demoMap,
  logCapture,
  s3CredentialsConfig,
  sessionCookie,
  startTestServer,
  testApp,
  user,
} from './s3credentials-fixtures.js'
export { expectErrorBody } from './expect-error-body.js'
export type { TestAppOptions } from './s3credentials-fixtures.js'
// Internals the integration tests and benchmarks drive directly.
export { createStsRoleVendor } from '../credentials/sts-role-vendor.js'
export { loadCredentialsBucketMap } from '../credentials/load-credentials-bucket-map.js'
export { parseBucketMap } from '../bucket-map/parse-bucket-map.js'
export { createPolicyForGroups } from '../credentials/policy-for-groups.js'
export { createVendCredentials } from '../credentials/vend-credentials.js'
export { s3TemplateSource } from '../html/load-templates.js'
export { createReuseCache } from '../credentials/reuse-cache.js'
export type { ReuseCache } from '../credentials/reuse-cache.js'
export { presignUrl } from '../egress/presign-url.js'
export { mapStsError } from '../credentials/map-sts-error.js'
