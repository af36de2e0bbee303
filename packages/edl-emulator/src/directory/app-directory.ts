import { isHttpUrl } from '../config/emulator-config.js'
import type { EmulatorApp } from '../config/emulator-config.js'
import { safeEqual } from './user-directory.js'

/** The registered EDL applications. */
export interface AppDirectory {
  get(clientId: string): EmulatorApp | undefined
  /** The app if `clientId`/`password` match, else undefined. */
  authenticate(clientId: string, password: string): EmulatorApp | undefined
  /** Whether `redirectUri` may receive this app's codes (see `EmulatorApp`). */
  allowsRedirect(app: EmulatorApp, redirectUri: string): boolean
}

/**
 * Builds the directory.
 *
 * @example
 * const apps = createAppDirectory(config.apps)
 */
export function createAppDirectory(apps: readonly EmulatorApp[]): AppDirectory {
  const byId = new Map(apps.map((a) => [a.client_id, a]))
  return {
    get: (clientId) => byId.get(clientId),
    authenticate: (clientId, password) => {
      const app = byId.get(clientId)
      return app !== undefined && safeEqual(app.password, password) ? app : undefined
    },
    allowsRedirect: (app, redirectUri) =>
      isHttpUrl(redirectUri) &&
      (app.redirect_uris === undefined || app.redirect_uris.includes(redirectUri)),
  }
}
