import type { S3Client } from '@aws-sdk/client-s3'
import type { AppDeps } from './app.js'
import { createEdlClient } from './auth/edl-client.js'
import { s3ObjectReader } from './bucket-map/s3-object-reader.js'
import type { Config } from './config.js'
import type { RoleVendor } from './credentials/role-vendor.js'
import { createStsRoleVendor } from './credentials/sts-role-vendor.js'
import { AppError } from './errors.js'
import { s3TemplateSource } from './html/load-templates.js'
import type { TemplateSource } from './html/load-templates.js'
import { lazy } from './lazy.js'
import { loadS3Sdk } from './s3-sdk.js'

/**
 * The real dependencies for a config: EDL over `globalThis.fetch`, the system clock, STS for
 * `/s3credentials` and the download roles (AWS SDK default credential chain and region; AWS_ENDPOINT_URL_STS is
 * honoured) and S3 for a bucket map in CONFIG_BUCKET.
 *
 * @example const deps = buildDeps(config)
 */
export function buildDeps(config: Config): AppDeps {
  // Looked up per call: reading globalThis.fetch loads Node's fetch (undici), which a cold
  // start that never calls EDL (a cookie, /version) need not pay for.
  const fetch: typeof globalThis.fetch = (input, init) => globalThis.fetch(input, init)
  // Made on the first bucket-map or template read, so the S3 SDK is not compiled at start-up.
  const s3 = lazy(async () => new (await loadS3Sdk()).S3Client({}))
  return {
    edl: createEdlClient({
      baseUrl: config.authBaseUrl,
      clientId: config.urs.clientId,
      basicAuth: config.urs.basicAuth,
      fetch,
      timeoutMs: config.upstreamTimeoutMs,
    }),
    roles:
      config.s3Credentials.enabled || config.bucketMap.configured
        ? createStsRoleVendor({ timeoutMs: config.upstreamTimeoutMs })
        : unconfiguredRoleVendor,
    ...(config.bucketMap.configBucket === undefined ? {} : { configObjects: s3ObjectReader(s3) }),
    ...templateSource(config, s3),
    fetch,
    now: Date.now,
  }
}

// TEA reads HTML_TEMPLATE_DIR as a prefix of CONFIG_BUCKET; without a config bucket, or for a
// path starting with / ./ ../, it is a local directory (app.ts reads that one).
function templateSource(
  config: Config,
  s3: () => Promise<S3Client>,
): { templates?: TemplateSource } {
  const dir = config.downloads.templateDir
  const bucket = config.bucketMap.configBucket
  if (dir === undefined || bucket === undefined || /^(\/|\.\.?\/)/.test(dir)) return {}
  return { templates: s3TemplateSource(s3, bucket, dir) }
}

const unconfiguredRoleVendor: RoleVendor = {
  assumeRole: () => Promise.reject(new AppError('No STS role vendor is configured')),
}
