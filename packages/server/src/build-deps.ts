import { S3Client } from '@aws-sdk/client-s3'
import type { AppDeps } from './app.js'
import { createEdlClient } from './auth/edl-client.js'
import { s3ObjectReader } from './bucket-map/s3-object-reader.js'
import type { Config } from './config.js'
import type { RoleVendor } from './credentials/role-vendor.js'
import { createStsRoleVendor } from './credentials/sts-role-vendor.js'
import { AppError } from './errors.js'

/**
 * The real dependencies for a config: EDL over `globalThis.fetch`, the system clock, STS for
 * `/s3credentials` and the download roles (AWS SDK default credential chain and region; AWS_ENDPOINT_URL_STS is
 * honoured) and S3 for a bucket map in CONFIG_BUCKET.
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
    roles:
      config.s3Credentials.enabled || config.bucketMap.configured
        ? createStsRoleVendor()
        : unconfiguredRoleVendor,
    ...(config.bucketMap.configBucket === undefined
      ? {}
      : { configObjects: s3ObjectReader(new S3Client({})) }),
    fetch,
    now: Date.now,
  }
}

const unconfiguredRoleVendor: RoleVendor = {
  assumeRole: () => Promise.reject(new AppError('No STS role vendor is configured')),
}
