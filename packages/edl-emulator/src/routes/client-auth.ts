import type { EmulatorApp } from '../config/emulator-config.js'
import type { EdlContext } from '../edl-context.js'
import { invalidClient } from '../errors.js'
import { parseAuthorization } from '../http/authorization-header.js'

/**
 * The app authenticated by `Authorization: Basic base64(client_id:password)`; throws EDL's 401
 * `invalid_client` otherwise.
 */
export function requireAppBasic(ctx: EdlContext, header: string | undefined): EmulatorApp {
  const auth = parseAuthorization(header)
  const app = auth.scheme === 'basic' ? ctx.apps.authenticate(auth.user, auth.password) : undefined
  if (app === undefined) throw invalidClient()
  return app
}
