import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsync } from 'fastify'
import type { BucketMap } from '../bucket-map/bucket-map.js'
import type { Config } from '../config.js'
import { registerPerUserRateLimit } from '../credentials/per-user-rate-limit.js'
import { createPolicyForGroups } from '../credentials/policy-for-groups.js'
import type { RoleVendor } from '../credentials/role-vendor.js'
import { createVendCredentials } from '../credentials/vend-credentials.js'
import type { VendCredentials } from '../credentials/vend-credentials.js'
import { AppError } from '../errors.js'
import { addLogFields } from '../http/access-log.js'
import { s3CredentialsReadmeRoute } from './s3credentials-readme.js'

/** The 200 body: exactly TEA's four keys, in TEA's order (the schema is also the allow-list). */
const CredentialsBody = Type.Object(
  {
    accessKeyId: Type.String(),
    secretAccessKey: Type.String(),
    sessionToken: Type.String(),
    expiration: Type.String(),
  },
  { additionalProperties: false },
)

export interface S3CredentialsRouteOptions {
  readonly config: Config
  readonly roles: RoleVendor
  /** Loaded at start-up with the IAM-compatibility check (`loadCredentialsBucketMap`). */
  readonly bucketMap: BucketMap
  /** Clock in epoch ms. Default: `Date.now`. */
  readonly now?: () => number
  /** Replaces the vend core built from the options above (benchmarks, tests). */
  readonly vend?: VendCredentials
}

/**
 * `GET /s3credentials` (and `GET /s3credentialsREADME`): temporary STS credentials scoped by the
 * bucket map to the caller's EDL groups. Register it only when ENABLE_S3_CREDENTIALS_ENDPOINT is
 * true, as TEA deploys both routes only then. Authentication is `app.requireUser` (cookie, then
 * bearer with a new cookie, else 302 to EDL); the rest happens in `createVendCredentials`.
 */
export const s3CredentialsRoute: FastifyPluginAsync<S3CredentialsRouteOptions> = async (
  app,
  options,
) => {
  const vend = options.vend ?? buildVend(options)
  // Counted per user after authentication: one runaway script cannot spend the account's STS quota.
  const limited = await registerPerUserRateLimit(app, {
    max: options.config.s3Credentials.rateLimit,
    windowMs: options.config.s3Credentials.rateLimitWindowMs,
  })
  app.get(
    '/s3credentials',
    {
      ...limited,
      schema: { response: { 200: CredentialsBody } },
      preHandler: app.requireUser,
    },
    async (request, reply) => {
      const user = request.user
      if (user === null) throw new AppError('/s3credentials reached without a user')
      const out = await vend(user, appNameHeaders(request.raw.rawHeaders))
      // The ARN is STS's own record of the session name: what CloudTrail and S3 logs show.
      addLogFields(request, {
        sessionName: out.sessionName,
        assumedRoleArn: out.assumedRoleArn,
        source: out.source,
      })
      void reply.header('cache-control', 'no-store')
      return out.credentials
    },
  )
  await app.register(s3CredentialsReadmeRoute)
}

/**
 * Every `app-name` value the client sent. Node joins a repeated header into one string (which
 * would then fail the alphabet check with a confusing message); the raw list keeps them apart.
 * Behind API Gateway (and in inject) repeated values arrive already joined with commas.
 */
function appNameHeaders(rawHeaders: readonly string[]): string[] | undefined {
  const values: string[] = []
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]
    // The length first: most names are not 8 characters, and lower-casing each one allocates.
    if (name?.length === 8 && name.toLowerCase() === 'app-name')
      values.push(rawHeaders[i + 1] ?? '')
  }
  return values.length === 0 ? undefined : values
}

function buildVend(options: S3CredentialsRouteOptions): VendCredentials {
  const { config } = options
  const roleArn = config.s3Credentials.inRegionRoleArn
  if (roleArn === undefined) {
    throw new TypeError('s3CredentialsRoute: EGRESS_APP_DOWNLOAD_ROLE_INREGION_ARN is not set')
  }
  return createVendCredentials({
    roles: options.roles,
    roleArn,
    clientId: config.urs.clientId,
    policyFor: createPolicyForGroups(options.bucketMap),
    durationSeconds: config.s3Credentials.durationSeconds,
    reuse: config.s3Credentials.reuse ? {} : false,
    ...(options.now === undefined ? {} : { now: options.now }),
  })
}
