import type { ResolvedEmulatorConfig } from './config/emulator-config.js'
import type { AppDirectory } from './directory/app-directory.js'
import type { BrowserSessions } from './directory/browser-sessions.js'
import type { UserDirectory } from './directory/user-directory.js'
import type { AuthorizationCodes } from './tokens/authorization-codes.js'
import type { JwtSigner } from './tokens/jwt-signer.js'
import type { TokenService } from './tokens/token-service.js'

/** The state and services one emulator instance's routes share. */
export interface EdlContext {
  readonly config: ResolvedEmulatorConfig
  readonly users: UserDirectory
  readonly apps: AppDirectory
  readonly sessions: BrowserSessions
  readonly codes: AuthorizationCodes
  readonly tokens: TokenService
  readonly signer: JwtSigner
  readonly now: () => number
}
