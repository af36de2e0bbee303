export { copyObject, SOURCE_ETAG_METADATA } from './copy-object.js'
export type { CopyResult } from './copy-object.js'
export { MAX_COPY_PART_SIZE } from './resolve-copy-options.js'
export type {
  CopyObjectOptions,
  CopyProgress,
  CopyTuning,
  S3Location,
} from './resolve-copy-options.js'
export type { RetryEvent, RetryOptions } from './with-retry.js'
export type { VerifiedBy } from './verify-dest.js'
export {
  DEFAULT_PART_SIZE,
  MAX_PART_SIZE,
  MAX_PARTS,
  MIN_PART_SIZE,
  partRange,
  planParts,
} from './plan-parts.js'
export type { PartPlan, PartRange, PlanPartsOptions } from './plan-parts.js'
export { multipartEtag } from './etags.js'
export {
  AccessDeniedError,
  InvalidEventError,
  ObjectTooLargeError,
  SourceChangedError,
  SourceNotFoundError,
  TransferAbortedError,
  TransferError,
  TransferOptionError,
  VerificationFailedError,
} from './errors.js'
export type { TransferErrorCode, TransferSide } from './errors.js'
export { copyPrefix } from './copy-prefix.js'
export type {
  CopyPrefixOptions,
  CopyPrefixResult,
  ObjectOutcome,
  PrefixProgress,
} from './copy-prefix.js'
export { createDestClient, createSourceClient, transferClientConfig } from './create-clients.js'
export type { SourceClientOptions, TransferClientOptions } from './create-clients.js'
export { createLambdaHandler, handler } from './lambda-handler.js'
export type { CopyEventResult, LambdaDeps } from './lambda-handler.js'
export { DEFAULT_RESERVE_MS } from './copy-continuation.js'
export type { CopyContinuation, RemainingTime } from './copy-continuation.js'
export { parseCopyEvent } from './parse-copy-event.js'
export type { CopyEvent } from './parse-copy-event.js'
export { parseS3Url } from './parse-s3-url.js'
export type { S3Url } from './parse-s3-url.js'
export { formatBytes, parseByteSize } from './parse-byte-size.js'
export { enableYoungGcWhileStreaming } from './young-gc.js'
