import { S3Client } from '@aws-sdk/client-s3'
import type { S3ClientConfig } from '@aws-sdk/client-s3'
import { fromS3Credentials, reactiveRefreshPlugin } from '@tea-ts/client'
import type { FromS3CredentialsOptions } from '@tea-ts/client'

const nothing = (): void => {}
const QUIET = { trace: nothing, debug: nothing, info: nothing, warn: nothing, error: nothing }

/** Where and how an S3 client of a copy connects. */
export interface TransferClientOptions {
  /** An S3-compatible endpoint URL. Default: AWS (or the SDK's `AWS_ENDPOINT_URL_S3`). */
  readonly endpoint?: string
  /** Path-style URLs (`host/bucket/key`), for endpoints without wildcard DNS. Default: false. */
  readonly forcePathStyle?: boolean
  /** Default: the SDK's chain (`AWS_REGION`, profile). */
  readonly region?: string
  /** SDK attempts per request (inside copyObject's own per-part retries). Default: 3. */
  readonly maxAttempts?: number
}

/**
 * S3 client settings for copies: checksums only when an operation requires them (parts carry
 * Content-MD5 and their ETags are checked, so the SDK's CRC32 would be a third pass; and radosgw 16
 * rejects streamed checksum trailers with 411), and idle/connect timeouts so a stalled socket
 * fails the part (which is then retried) instead of hanging.
 */
export function transferClientConfig(options: TransferClientOptions = {}): S3ClientConfig {
  return {
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.region === undefined ? {} : { region: options.region }),
    forcePathStyle: options.forcePathStyle ?? false,
    followRegionRedirects: true,
    maxAttempts: options.maxAttempts ?? 3,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: { connectionTimeout: 10_000, socketTimeout: 60_000 },
    // Without a logger the SDK prints to the console when a streamed part fails ("non-retryable
    // streaming request"); the copy retries the whole part itself and reports through onRetry.
    logger: QUIET,
  }
}

/** Options of {@link createSourceClient}. */
export interface SourceClientOptions {
  /** The `/s3credentials` URL. */
  readonly credentialsEndpoint: string
  /** EDL bearer token. Default: the client's standard sources (`EARTHDATA_TOKEN`, username/password, .netrc). */
  readonly token?: string | (() => Promise<string>)
  /** Default region: `us-west-2` (where /s3credentials credentials are valid). */
  readonly s3?: TransferClientOptions
  /** Passed to `fromS3Credentials` (tests inject `fetch` and `now` here). */
  readonly credentials?: Omit<FromS3CredentialsOptions, 'endpoint' | 'token'>
}

/**
 * An S3 client that reads with credentials from an Earthdata `/s3credentials` endpoint: the
 * refreshing provider is asked before each request (so hour-long copies go on), and a request
 * refused for expired credentials is retried once with fresh ones.
 *
 * @example
 * ```ts
 * const source = createSourceClient({
 *   credentialsEndpoint: 'https://data.lpdaac.earthdatacloud.nasa.gov/s3credentials',
 *   token: process.env.EARTHDATA_TOKEN,
 * })
 * ```
 */
export function createSourceClient(options: SourceClientOptions): S3Client {
  const credentials = fromS3Credentials({
    ...options.credentials,
    endpoint: options.credentialsEndpoint,
    ...(options.token === undefined ? {} : { token: options.token }),
  })
  const client = new S3Client({
    ...transferClientConfig({ region: 'us-west-2', ...options.s3 }),
    credentials,
  })
  client.middlewareStack.use(reactiveRefreshPlugin(credentials))
  return client
}

/**
 * An S3 client for the destination, with the default AWS credential chain (environment, profile,
 * container or instance role) unless `credentials` are given.
 *
 * @example
 * ```ts
 * const dest = createDestClient({ region: 'us-east-1' })
 * ```
 */
export function createDestClient(
  options: TransferClientOptions & { credentials?: S3ClientConfig['credentials'] } = {},
): S3Client {
  const { credentials, ...rest } = options
  return new S3Client({
    ...transferClientConfig(rest),
    ...(credentials === undefined ? {} : { credentials }),
  })
}
