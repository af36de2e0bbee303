export { buildApp } from './app.js'
export type { AppDeps, BuildAppOptions } from './app.js'
export { loadConfig } from './config.js'
export type { Config, ConfigIo, JwtKeyText, LogLevel, UrsCredentials } from './config.js'
export { buildDeps } from './build-deps.js'
export { startServer } from './adapters/node.js'
export type { RunningServer, StartServerOptions } from './adapters/node.js'
export { createLambdaHandler, handler } from './adapters/lambda.js'
export type { LambdaHandler, LambdaHandlerOptions, LambdaResult } from './adapters/lambda.js'
export { createEdlClient } from './auth/edl-client.js'
export type {
  AuxHeaders,
  EdlClient,
  EdlClientOptions,
  EdlTokenGrant,
  EdlUser,
} from './auth/edl-client.js'
export { createSessionCodec } from './auth/session.js'
export type { JwtAlgorithm, Session, SessionCodec, SessionCodecOptions } from './auth/session.js'
export type { AuthService } from './auth/require-user.js'
export type { EdlGroup, UserProfile } from './auth/user-profile.js'
export type {
  AssumeRoleInput,
  RoleVendor,
  TemporaryCredentials,
} from './credentials/role-vendor.js'
export type { SecretReader } from './secrets/secret-reader.js'
export * from './errors.js'
