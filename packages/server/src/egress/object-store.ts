import type { S3Client } from '@aws-sdk/client-s3'
import type { AwsCredentialIdentity } from '@smithy/types'
import { LRUCache } from 'lru-cache'
import { loadS3Sdk } from '../s3-sdk.js'
import type { S3Sdk } from '../s3-sdk.js'

/** S3's answer to an existence check that failed: its HTTP status (0 when there was none). */
export class ObjectCheckError extends Error {
  readonly status: number
  constructor(status: number, options?: { cause?: unknown }) {
    super(`S3 answered ${status}`, options)
    this.name = 'ObjectCheckError'
    this.status = status
  }
}

/** The two S3 calls of the download path, made with the download role's credentials. */
export interface ObjectStore {
  /** HeadObject with the request's Range; rejects with ObjectCheckError. */
  headObject(
    credentials: AwsCredentialIdentity,
    bucket: string,
    key: string,
    range: string | undefined,
  ): Promise<{ readonly size: number | undefined }>
  /** GetBucketLocation (`null` means us-east-1); rejects with ObjectCheckError. */
  bucketRegion(credentials: AwsCredentialIdentity, bucket: string): Promise<string>
}

export interface S3ObjectStoreOptions {
  /** The client region (AWS_REGION). */
  readonly region: string
  /** AWS_ENDPOINT_URL_S3: path-style requests to this S3-compatible endpoint. */
  readonly endpoint?: string | undefined
  /** Clients kept, one per set of credentials. Default: 256. */
  readonly maxClients?: number
}

/**
 * The real {@link ObjectStore}: one S3Client per set of credentials (they change every 10
 * minutes per user, so clients are cached by access key), short timeouts and two attempts, as a
 * user is waiting for the redirect.
 *
 * @example const store = s3ObjectStore({ region: 'us-west-2' })
 */
export function s3ObjectStore(options: S3ObjectStoreOptions): ObjectStore {
  const clients = new LRUCache<string, S3Client>({
    max: options.maxClients ?? 256,
    dispose: (client) => client.destroy(),
  })
  const clientFor = (sdk: S3Sdk, credentials: AwsCredentialIdentity): S3Client => {
    const key = `${credentials.accessKeyId}\n${credentials.sessionToken ?? ''}`
    let client = clients.get(key)
    if (client === undefined) {
      client = new sdk.S3Client({
        region: options.region,
        credentials,
        maxAttempts: 2,
        followRegionRedirects: true,
        ...(options.endpoint === undefined
          ? {}
          : { endpoint: options.endpoint, forcePathStyle: true }),
        requestHandler: { connectionTimeout: 2_000, requestTimeout: 5_000 },
      })
      clients.set(key, client)
    }
    return client
  }
  return {
    async headObject(credentials, bucket, key, range) {
      try {
        const sdk = await loadS3Sdk()
        const out = await clientFor(sdk, credentials).send(
          new sdk.HeadObjectCommand({
            Bucket: bucket,
            Key: key,
            ...(range === undefined ? {} : { Range: range }),
          }),
        )
        return { size: out.ContentLength }
      } catch (err) {
        throw new ObjectCheckError(statusOf(err), { cause: err })
      }
    },
    async bucketRegion(credentials, bucket) {
      try {
        const sdk = await loadS3Sdk()
        const out = await clientFor(sdk, credentials).send(
          new sdk.GetBucketLocationCommand({ Bucket: bucket }),
        )
        const location = out.LocationConstraint as string | undefined
        return location === undefined || location === '' ? 'us-east-1' : location
      } catch (err) {
        throw new ObjectCheckError(statusOf(err), { cause: err })
      }
    },
  }
}

function statusOf(err: unknown): number {
  const status = (err as { $metadata?: { httpStatusCode?: unknown } } | null)?.$metadata
    ?.httpStatusCode
  return typeof status === 'number' ? status : 0
}
