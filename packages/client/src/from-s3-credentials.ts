import { createHash } from 'node:crypto'
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types'
import { createCredentialsCache } from './create-credentials-cache.js'
import { createTokenSource } from './create-token-source.js'
import { fetchS3Credentials } from './fetch-s3-credentials.js'
import { resolveOptions } from './resolve-options.js'
import type { FromS3CredentialsOptions } from './resolve-options.js'

/** A credentials provider that can also be told to drop its credentials and fetch new ones. */
export type RefreshableCredentialsProvider = AwsCredentialIdentityProvider & {
  /** Fetches new credentials now (joining a refresh already in flight); errors propagate. */
  forceRefresh(): Promise<AwsCredentialIdentity>
}

/**
 * An AWS SDK v3 credentials provider for an Earthdata `/s3credentials` endpoint (TEA, Cumulus).
 * Pass it as `credentials` to an S3 client; the SDK calls it before every request and gets
 * cached credentials back until they near expiry, when it refreshes them (see
 * {@link FromS3CredentialsOptions} for the windows and the EDL token sources).
 *
 * Each provider has its own cache, for one endpoint and app-name; share one provider among the
 * clients that use the same endpoint (and give providers a common `store` to share across
 * processes). Options are checked here, once: misuse throws an
 * `S3CredentialsOptionError` (`ERR_INVALID_OPTION`); failures to get
 * credentials reject with an {@link S3CredentialsError} carrying a stable `code`.
 *
 * @example
 * ```ts
 * const credentials = fromS3Credentials({
 *   endpoint: 'https://data.lpdaac.earthdatacloud.nasa.gov/s3credentials',
 *   appName: 'my-pipeline',
 * })
 * const s3 = new S3Client({ region: 'us-west-2', credentials })
 * s3.middlewareStack.use(reactiveRefreshPlugin(credentials))
 * ```
 */
export function fromS3Credentials(
  options: FromS3CredentialsOptions = {},
): RefreshableCredentialsProvider {
  const opts = resolveOptions(options)
  const tokens = createTokenSource(opts)
  const endpoint = opts.endpoint.href
  const cache = createCredentialsCache(
    {
      fetch: () => fetchS3Credentials(opts, tokens),
      store: opts.store,
      storeKey: async () =>
        createHash('sha256')
          .update(JSON.stringify([endpoint, await tokens.identity(), opts.appName ?? '']))
          .digest('hex'),
    },
    opts,
  )
  const provider = async (properties?: Record<string, unknown>) =>
    properties?.forceRefresh === true ? cache.forceRefresh() : cache.get()
  return Object.assign(provider, {
    forceRefresh: cache.forceRefresh,
    // @aws-sdk/core wraps providers that lack this flag in its own memoize, which only calls
    // them within 5 minutes of expiry: our advisory window would never be seen. With it, the
    // SDK calls us per operation and our cache answers.
    memoized: true,
  })
}
