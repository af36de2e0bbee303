import type { STSClient } from '@aws-sdk/client-sts'
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types'
import { UpstreamFailedError } from '../errors.js'
import { lazy } from '../lazy.js'
import { mapStsError } from './map-sts-error.js'
import type { AssumeRoleInput, RoleVendor, TemporaryCredentials } from './role-vendor.js'

/**
 * The one adapter from our {@link RoleVendor} port to STS `AssumeRole` (the only
 * `@aws-sdk/client-sts` import besides its factory below). Every failure leaves as an AppError
 * (see {@link mapStsError}); STS's own text stays in `cause`, for the log. The SDK module is
 * imported on first use, so a cold start that serves no `/s3credentials` never loads it (the
 * Lambda bundle keeps it in a chunk of its own).
 *
 * @example stsRoleVendor(new STSClient({ region: 'us-west-2' }))
 */
export function stsRoleVendor(sts: STSClient): RoleVendor {
  return {
    async assumeRole(input: AssumeRoleInput): Promise<TemporaryCredentials> {
      const { AssumeRoleCommand } = await import('@aws-sdk/client-sts')
      let out
      try {
        out = await sts.send(
          new AssumeRoleCommand({
            RoleArn: input.roleArn,
            RoleSessionName: input.sessionName,
            ...(input.externalId === undefined ? {} : { ExternalId: input.externalId }),
            DurationSeconds: input.durationSeconds,
            ...(input.policy === undefined ? {} : { Policy: input.policy }),
          }),
        )
      } catch (err) {
        throw mapStsError(err, { sessionName: input.sessionName })
      }
      const c = out.Credentials
      if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
        throw new UpstreamFailedError('STS answered AssumeRole without complete credentials')
      }
      return {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        sessionToken: c.SessionToken,
        expiration: c.Expiration,
        ...(out.AssumedRoleUser?.Arn ? { assumedRoleArn: out.AssumedRoleUser.Arn } : {}),
      }
    },
  }
}

/** Options for {@link createStsRoleVendor}. */
export interface StsRoleVendorOptions {
  /** Default: the SDK's resolution (AWS_REGION, then the shared config profile). */
  readonly region?: string
  /** Default: the SDK's resolution, which honours AWS_ENDPOINT_URL_STS and AWS_ENDPOINT_URL. */
  readonly endpoint?: string
  /** Default: the SDK's default credential chain (env, profile, container, instance role). */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider
  /**
   * Attempts per AssumeRole, including the first. Default: 2. Kept low because a user is
   * waiting and throttling is better answered with 503 + Retry-After than with long backoff.
   */
  readonly maxAttempts?: number
  /** TCP connect timeout in ms. Default: 2_000. */
  readonly connectionTimeoutMs?: number
  /** Whole-request timeout in ms. Default: 5_000 (TEA's Lambda timeout is 6 s). */
  readonly requestTimeoutMs?: number
}

/**
 * Builds the real STS client and wraps it in {@link stsRoleVendor}. For the server's real-deps
 * factory (Node and Lambda adapters).
 *
 * @example createStsRoleVendor({ endpoint: 'http://127.0.0.1:7480', region: 'us-east-1' })
 */
export function createStsRoleVendor(options: StsRoleVendorOptions = {}): RoleVendor {
  const maxAttempts = options.maxAttempts ?? 2
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new TypeError('createStsRoleVendor: maxAttempts must be a positive integer')
  }
  const vendor = lazy(async (): Promise<RoleVendor> => {
    const { STSClient } = await import('@aws-sdk/client-sts')
    const sts = new STSClient({
      maxAttempts,
      ...(options.region === undefined ? {} : { region: options.region }),
      ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
      ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
      requestHandler: {
        connectionTimeout: options.connectionTimeoutMs ?? 2_000,
        requestTimeout: options.requestTimeoutMs ?? 5_000,
      },
    })
    return stsRoleVendor(sts)
  })
  return { assumeRole: async (input) => (await vendor()).assumeRole(input) }
}
