export { startEdlEmulator } from './start-edl-emulator.js'
export type { RunningEdlEmulator, StartEdlEmulatorOptions } from './start-edl-emulator.js'
export { buildEdlEmulator } from './build-edl-emulator.js'
export type { EdlEmulator, EdlEmulatorDeps, IssueUserTokenOptions } from './build-edl-emulator.js'
export { loadEmulatorConfig } from './config/load-emulator-config.js'
export {
  EmulatorConfigError,
  EmulatorConfigSchema,
  parseEmulatorConfig,
} from './config/emulator-config.js'
export type {
  EmulatorApp,
  EmulatorConfig,
  EmulatorGroup,
  EmulatorUser,
  ResolvedEmulatorConfig,
} from './config/emulator-config.js'
export type { EdlUserGroup, EdlUserProfile } from './directory/user-profile.js'
