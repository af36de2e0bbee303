import type { STSClient } from '@aws-sdk/client-sts'
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types'
import { UpstreamFailedError, UpstreamThrottledError } from '../errors.js'
import { lazy } from '../lazy.js'
import { UNREACHABLE_RETRY_AFTER_S, mapStsError } from './map-sts-error.js'
import type { AssumeRoleInput, RoleVendor, TemporaryCredentials } from './role-vendor.js'

/**
 * The one adapter from our {@link RoleVendor} port to STS `AssumeRole` (the only
 * `@aws-sdk/client-sts` import besides its factory below). Every failure leaves as an AppError
 * (see {@link mapStsError}); STS's own text stays in `cause`, for the log. The SDK module is
 * imported on first use, so a cold start that serves no `/s3credentials` never loads it (the
 * Lambda bundle keeps it in a chunk of its own).
 *
 * `timeoutMs` bounds the whole call, the SDK's retries included: the SDK's own timeouts are per
 * attempt (and per idle socket), so a slow STS could otherwise hold a user for several of them.
 *
 * @example stsRoleVendor(new STSClient({ region: 'us-west-2' }), { timeoutMs: 5_000 })
 */
export function stsRoleVendor(
  sts: STSClient,
  options: { readonly timeoutMs?: number } = {},
): RoleVendor {
  const timeoutMs = options.timeoutMs ?? 5_000
  return {
    async assumeRole(input: AssumeRoleInput): Promise<TemporaryCredentials> {
      const { AssumeRoleCommand } = await import('@aws-sdk/client-sts')
      let out
      const abortSignal = AbortSignal.timeout(timeoutMs)
      try {
        out = await sts.send(
          new AssumeRoleCommand({
            RoleArn: input.roleArn,
            RoleSessionName: input.sessionName,
            ...(input.externalId === undefined ? {} : { ExternalId: input.externalId }),
            DurationSeconds: input.durationSeconds,
            ...(input.policy === undefined ? {} : { Policy: input.policy }),
          }),
          { abortSignal },
        )
      } catch (err) {
        if (abortSignal.aborted) {
          throw new UpstreamThrottledError(
            `STS did not answer within ${timeoutMs} ms; retry after ${UNREACHABLE_RETRY_AFTER_S} s`,
            UNREACHABLE_RETRY_AFTER_S,
            { cause: err },
          )
        }
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
  /** TCP connect timeout in ms. Default: 2_000, or `timeoutMs` when that is shorter. */
  readonly connectionTimeoutMs?: number
  /**
   * The whole AssumeRole call, retries included, in ms (UPSTREAM_TIMEOUT_SECONDS). Default:
   * 5_000 (TEA's Lambda timeout is 6 s).
   */
  readonly timeoutMs?: number
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
  const timeoutMs = options.timeoutMs ?? 5_000
  const vendor = lazy(async (): Promise<RoleVendor> => {
    const { STSClient } = await import('@aws-sdk/client-sts')
    const sts = new STSClient({
      maxAttempts,
      ...(options.region === undefined ? {} : { region: options.region }),
      ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
      ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
      requestHandler: {
        connectionTimeout: options.connectionTimeoutMs ?? Math.min(2_000, timeoutMs),
        requestTimeout: timeoutMs,
      },
    })
    return stsRoleVendor(sts, { timeoutMs })
  })
  return { assumeRole: async (input) => (await vendor()).assumeRole(input) }
}
