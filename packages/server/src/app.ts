import { randomUUID } from 'node:crypto'
import Fastify from 'fastify'
import { destination } from 'pino'
import type { FastifyInstance, FastifyPluginAsync, FastifyServerOptions } from 'fastify'
import { createAuthenticator } from './auth/authenticator.js'
import { createBearerAuthenticator } from './auth/bearer.js'
import { createBlacklist } from './auth/blacklist.js'
import type { EdlClient } from './auth/edl-client.js'
import { createEdlTokenVerifier } from './auth/edl-token-verifier.js'
import { createLoginBinding } from './auth/login-binding.js'
import { requireUserPlugin } from './auth/require-user.js'
import { createSessionCodec } from './auth/session.js'
import type { BucketMap } from './bucket-map/bucket-map.js'
import type { ObjectTextReader } from './bucket-map/object-text-reader.js'
import type { Config, LogLevel } from './config.js'
import { bucketMapLocation } from './bucket-map/bucket-map-location.js'
import { loadBucketMap } from './bucket-map/load-bucket-map.js'
import type { MetricsSink } from './egress/cumulus-log.js'
import { createInRegionCheck } from './egress/in-region.js'
import { s3ObjectStore } from './egress/object-store.js'
import type { ObjectStore } from './egress/object-store.js'
import { createSigningCredentials } from './egress/signing-credentials.js'
import type { RoleVendor } from './credentials/role-vendor.js'
import { directoryTemplateSource } from './html/load-templates.js'
import type { TemplateSource } from './html/load-templates.js'
import { builtInPages } from './html/page-renderer.js'
import type { PageRenderer } from './html/page-renderer.js'
import { clientErrorHandler } from './http/client-error-handler.js'
import { frameworkErrorHandler, registerErrorHandling } from './http/error-handler.js'
import { AccessLogController, lazyChildLogger, registerAccessLog } from './http/access-log.js'
import { loggerOptions } from './http/logger-options.js'
import type { LogDestination } from './http/logger-options.js'
import { registerRequestIds } from './http/request-ids.js'
import { registerSecurityHeaders, wantsHsts } from './http/security-headers.js'
import { healthRoute } from './routes/health.js'
import { loginRoute } from './routes/login.js'
import { logoutRoute } from './routes/logout.js'
import { profileRoute } from './routes/profile.js'
import { pubkeyRoute } from './routes/pubkey.js'
import { rootRoute } from './routes/root.js'
import { downloadRoute } from './routes/download.js'
import { s3CredentialsRoute } from './routes/s3credentials.js'
import { versionRoute } from './routes/version.js'

/** The service's outside world. Adapters build the real ones (`buildDeps`); tests pass fakes. */
export interface AppDeps {
  readonly edl: EdlClient
  /** STS, for `/s3credentials` and the download roles. */
  readonly roles: RoleVendor
  /**
   * The bucket map. Default: loaded from BUCKET_MAP_FILE when a map is configured (with the
   * IAM-compatibility check when ENABLE_S3_CREDENTIALS_ENDPOINT is true); a bad map stops start-up.
   */
  readonly bucketMap?: BucketMap
  /** HeadObject and GetBucketLocation for downloads. Default: S3 (AWS_ENDPOINT_URL_S3 honoured). */
  readonly objects?: ObjectStore
  /** HTML_TEMPLATE_DIR's templates. Default: the local directory HTML_TEMPLATE_DIR names. */
  readonly templates?: TemplateSource
  /** TEA's Cumulus metric lines. Default: the log destination (stdout); none when logging is off. */
  readonly metrics?: MetricsSink
  /** Reads BUCKET_MAP_FILE from CONFIG_BUCKET when that is set. */
  readonly configObjects?: ObjectTextReader
  /** Used for the JWKS and the blacklist. */
  readonly fetch: typeof globalThis.fetch
  /** Clock in epoch milliseconds. */
  readonly now: () => number
  /** Logging: `false` silences; default stdout at LOGLEVEL. */
  readonly log?: false | { readonly stream?: LogDestination; readonly level?: LogLevel }
}

export interface BuildAppOptions {
  /** Extra plugins registered after the built-in routes (tests use a protected stand-in route). */
  readonly plugins?: readonly FastifyPluginAsync[]
  /**
   * A header holding a trusted request id. Only the Lambda adapter sets it (from the Lambda
   * request id, overwriting anything the client sent); otherwise ids are random UUIDs.
   */
  readonly requestIdHeader?: string
}

/**
 * Builds the egress service on Fastify. Never listens: `adapters/node.ts` and
 * `adapters/lambda.ts` do, and tests use `app.inject()`.
 *
 * @example
 * const app = await buildApp(await loadConfig(), buildDeps(config))
 * const res = await app.inject({ method: 'GET', url: '/version' })
 */
export async function buildApp(
  config: Config,
  deps: AppDeps,
  options: BuildAppOptions = {},
): Promise<FastifyInstance> {
  const bucketMap = config.bucketMap.configured
    ? (deps.bucketMap ?? (await loadAppBucketMap(config, deps.configObjects)))
    : undefined
  const app = Fastify(serverOptions(config, deps, options))
  registerAccessLog(app)
  const pages = await loadPages(app, config, deps)
  registerRequestIds(app)
  registerSecurityHeaders(app, { publicBaseUrl: config.publicBaseUrl })
  registerErrorHandling(app, pages)

  const codec = createSessionCodec({
    algorithm: config.session.algorithm,
    publicKey: config.session.keys.publicKey,
    privateKey: config.session.keys.privateKey,
    ttlSeconds: config.session.ttlSeconds,
    now: deps.now,
  })
  const blacklist = createBlacklist({
    endpoint: config.blacklistEndpoint,
    fetch: deps.fetch,
    now: deps.now,
    timeoutMs: config.upstreamTimeoutMs,
    onError: (err) => app.log.warn({ err }, 'blacklist unavailable; treating it as empty'),
  })
  const verifier = createEdlTokenVerifier({
    jwksUrl: config.edlJwksUrl,
    fetch: deps.fetch,
    now: deps.now,
    timeoutMs: config.upstreamTimeoutMs,
  })
  const bearer = createBearerAuthenticator({ verifier, edl: deps.edl, now: deps.now })
  const authenticator = createAuthenticator({
    codec,
    blacklist,
    bearer,
    cookieName: config.session.cookieName,
    now: deps.now,
  })
  const loginBinding = createLoginBinding({
    // Derived from secrets the service already has (see login-binding.ts); never logged.
    secret: `${config.session.keys.privateKey}\n${config.urs.basicAuth}`,
    now: deps.now,
  })
  await app.register(requireUserPlugin, { config, authenticator, codec, loginBinding })

  await app.register(rootRoute, { config, pages })
  await app.register(loginRoute, { edl: deps.edl })
  await app.register(logoutRoute, { pages })
  await app.register(profileRoute)
  await app.register(pubkeyRoute, { config })
  await app.register(versionRoute, { config })
  await app.register(healthRoute)
  if (bucketMap !== undefined && config.s3Credentials.enabled) {
    await app.register(s3CredentialsRoute, { config, roles: deps.roles, bucketMap, now: deps.now })
  }
  if (bucketMap !== undefined) {
    await app.register(downloadRoute, {
      config,
      bucketMap,
      edl: deps.edl,
      signing: createSigningCredentials({ roles: deps.roles, now: deps.now }),
      inRegion: createInRegionCheck({
        url: config.downloads.ipRangesUrl,
        region: config.downloads.region,
        fetch: deps.fetch,
        now: deps.now,
        onError: (err) =>
          app.log.warn({ err }, 'AWS ip-ranges unavailable; callers count as out of region'),
      }),
      objects:
        deps.objects ??
        s3ObjectStore({ region: config.downloads.region, endpoint: config.downloads.s3Endpoint }),
      metrics: deps.metrics ?? metricsSink(deps),
      now: deps.now,
    })
  }
  for (const plugin of options.plugins ?? []) await app.register(plugin)
  return app
}

/**
 * The bucket map as TEA loads it (`restore_bucket_vars`): from BUCKET_MAP_FILE, in CONFIG_BUCKET
 * or on disk, with the IAM-compatibility check only when `/s3credentials` is enabled.
 */
function loadAppBucketMap(config: Config, s3: ObjectTextReader | undefined): Promise<BucketMap> {
  const { file, configBucket, bucketnamePrefix } = config.bucketMap
  return loadBucketMap({
    ...bucketMapLocation(file, configBucket),
    bucketNamePrefix: bucketnamePrefix,
    iamCompatible: config.s3Credentials.enabled,
    ...(s3 === undefined ? {} : { s3 }),
  })
}

/**
 * HTML_TEMPLATE_DIR: a DAAC's Jinja templates, read once at start-up (TEA downloads them on
 * first render). As in TEA a failed read is logged and the built-in pages stay.
 */
async function loadPages(
  app: FastifyInstance,
  config: Config,
  deps: AppDeps,
): Promise<PageRenderer> {
  const dir = config.downloads.templateDir
  if (dir === undefined) return builtInPages
  const source = deps.templates ?? directoryTemplateSource(dir)
  try {
    const templates = await source.list()
    app.log.info({ templates: [...templates.keys()] }, 'HTML templates loaded')
    // Imported here, so only a DAAC with templates pays for compiling nunjucks at start-up.
    const { templatePages } = await import('./html/custom-templates.js')
    return templatePages({
      templates,
      stage: config.domainName === undefined ? config.stageName : undefined,
      showProfile: config.maturity === 'DEV',
    })
  } catch (err) {
    app.log.warn({ err }, `cannot read HTML_TEMPLATE_DIR ${dir}; using the built-in pages`)
    return builtInPages
  }
}

function metricsSink(deps: AppDeps): MetricsSink {
  if (deps.log === false) return { write: () => undefined }
  return deps.log?.stream ?? process.stdout
}

function serverOptions(
  config: Config,
  deps: AppDeps,
  options: BuildAppOptions,
): FastifyServerOptions {
  const log = deps.log
  // The access lines go to the logger's own destination, so both are one stream in one order.
  const stream =
    log === false ? undefined : (log?.stream ?? destination({ dest: process.stdout.fd || 1 }))
  return {
    ...(log === false || stream === undefined
      ? { logger: false }
      : {
          logger: loggerOptions(log?.level ?? config.logLevel, stream),
          logController: new AccessLogController(stream),
          childLoggerFactory: lazyChildLogger,
        }),
    genReqId: () => randomUUID(),
    requestIdHeader: options.requestIdHeader ?? false,
    clientErrorHandler,
    frameworkErrors: frameworkErrorHandler({ hsts: wantsHsts(config) }),
    // No route takes a body; keep what a client can make us buffer small.
    bodyLimit: 64 * 1024,
  }
}
