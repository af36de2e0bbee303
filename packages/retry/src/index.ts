export { fullJitterDelay, retry } from './retry.js'
export type {
  BackoffPolicy,
  GiveUpReason,
  RetryAttemptFailure,
  RetryHooks,
  RetryPolicy,
} from './retry.js'
export { NETWORK_ERROR_CODES, classifyAwsError, errorCodeOf, httpStatusOf } from './aws-error.js'
export type { AwsErrorClass, AwsErrorKind } from './aws-error.js'
