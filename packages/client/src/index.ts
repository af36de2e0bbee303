export { fromS3Credentials } from './from-s3-credentials.js'
export type { RefreshableCredentialsProvider } from './from-s3-credentials.js'
export type { FromS3CredentialsOptions, S3CredentialsLogger } from './resolve-options.js'
export { isCredentialRejection, reactiveRefreshPlugin } from './reactive-refresh-plugin.js'
export { fileCredentialsStore } from './file-credentials-store.js'
export type { CredentialsStore } from './credentials-store.js'
export type { S3Credentials } from './parse-s3-credentials.js'
export { parseExpiration } from './parse-expiration.js'
export {
  EdlTokenError,
  EulaNotAcceptedError,
  NoEdlTokenError,
  S3CredentialsForbiddenError,
  S3CredentialsOptionError,
  S3CredentialsAuthError,
  S3CredentialsConfigError,
  S3CredentialsError,
  S3CredentialsResponseError,
  S3CredentialsTimeoutError,
  S3CredentialsUnavailableError,
} from './errors.js'
export type { S3CredentialsErrorCode, S3CredentialsErrorOptions } from './errors.js'
