export type {
  AccessRule,
  BucketMap,
  BucketMapBranch,
  BucketMapLeaf,
  BucketMapNode,
  RequiredGroups,
} from './bucket-map.js'
export { BucketMapError } from './bucket-map-error.js'
export type { BucketMapErrorLocation } from './bucket-map-error.js'
export { bucketMapLocation } from './bucket-map-location.js'
export type { BucketMapLocation } from './bucket-map-location.js'
export { defaultBucketNamePrefix } from './bucket-name-prefix.js'
export { canAccess } from './can-access.js'
export { checkIamCompatible } from './check-iam-compatible.js'
export { fitPolicy } from './fit-policy.js'
export type { FitPolicyOptions, FittedPolicy } from './fit-policy.js'
export { iamLiteral } from './iam-policy.js'
export type { IamAction, IamPolicy, IamStatement } from './iam-policy.js'
export { listEntries } from './list-entries.js'
export type { BucketMapEntry } from './list-entries.js'
export { loadBucketMap } from './load-bucket-map.js'
export type { LoadBucketMapOptions } from './load-bucket-map.js'
export { locate } from './locate.js'
export type { ObjectTextReader } from './object-text-reader.js'
export { parseBucketMap } from './parse-bucket-map.js'
export type { ParseBucketMapOptions } from './parse-bucket-map.js'
export { policyAllows } from './policy-allows.js'
export type { S3Request } from './policy-allows.js'
export { policyJson } from './policy-json.js'
export { PolicyTooLargeError } from './policy-too-large.js'
export { requiredGroups } from './required-groups.js'
export { resolvePath } from './resolve-path.js'
export type { ResolvedPath, ResolvePathOptions } from './resolve-path.js'
export { s3ObjectReader } from './s3-object-reader.js'
export type { S3ObjectReaderOptions } from './s3-object-reader.js'
export { toIamPolicy } from './to-iam-policy.js'
