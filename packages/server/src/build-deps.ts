import type { AppDeps } from './app.js'
import { createEdlClient } from './auth/edl-client.js'
import type { Config } from './config.js'
import type { RoleVendor } from './credentials/role-vendor.js'
import { AppError } from './errors.js'

/**
 * The real dependencies for a config: EDL over `globalThis.fetch`, the system clock.
 * `roles` refuses until the `/s3credentials` STS adapter is wired in here.
 *
 * @example const deps = buildDeps(config)
 */
export function buildDeps(config: Config): AppDeps {
  const fetch = globalThis.fetch
  return {
    edl: createEdlClient({
      baseUrl: config.authBaseUrl,
      clientId: config.urs.clientId,
      basicAuth: config.urs.basicAuth,
      fetch,
    }),
    roles: unconfiguredRoleVendor,
    fetch,
    now: Date.now,
  }
}

const unconfiguredRoleVendor: RoleVendor = {
  assumeRole: () => Promise.reject(new AppError('No STS role vendor is configured')),
}
