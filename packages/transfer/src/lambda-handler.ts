import type { S3Client } from '@aws-sdk/client-s3'
import { copyObject } from './copy-object.js'
import { createDestClient, createSourceClient } from './create-clients.js'
import { InvalidEventError } from './errors.js'
import { parseCopyEvent } from './parse-copy-event.js'
import type { CopyTuning } from './resolve-copy-options.js'

/** What the handler returns. */
export interface CopyEventResult {
  readonly bytes: number
  readonly parts: number
  readonly seconds: number
  readonly etag: string
}

/** What the handler needs from outside; tests pass their own. */
export interface LambdaDeps {
  /** The source client, reading with `/s3credentials` credentials. Default: {@link createSourceClient}. */
  readonly sourceClient: (input: { credentialsEndpoint: string; token: string }) => S3Client
  /** The destination client, with the Lambda's own credentials. Default: the SDK's chain. */
  readonly destClient: () => S3Client
  /** Part size, concurrency, ... Default: copyObject's defaults. */
  readonly tuning: CopyTuning
}

const defaultDeps: LambdaDeps = {
  sourceClient: ({ credentialsEndpoint, token }) =>
    createSourceClient({ credentialsEndpoint, token }),
  destClient: () => createDestClient(),
  tuning: {},
}

/**
 * Builds the Lambda handler: it copies `Source` to `Dest` reading with credentials from
 * `CredentialsEndpoint` (sent `BearerToken`) and writing with the function's own role.
 * Size memory for partSize × concurrency (512 MiB by default) plus about 150 MiB.
 *
 * @example
 * ```ts
 * export const handler = createLambdaHandler({ tuning: { partSize: 256 * 1024 ** 2 } })
 * ```
 */
export function createLambdaHandler(
  deps: Partial<LambdaDeps> = {},
): (event: unknown) => Promise<CopyEventResult> {
  const d = { ...defaultDeps, ...deps }
  return async (raw) => {
    const event = parseCopyEvent(raw)
    let source: S3Client
    try {
      source = d.sourceClient({
        credentialsEndpoint: event.CredentialsEndpoint,
        token: event.BearerToken,
      })
    } catch (err) {
      // fromS3Credentials checks the URL (https, or http to loopback) with a TypeError.
      if (err instanceof TypeError) {
        throw new InvalidEventError(`Invalid event: CredentialsEndpoint: ${err.message}`, {
          cause: err,
        })
      }
      throw err
    }
    const result = await copyObject({
      ...d.tuning,
      source: { bucket: event.Source.Bucket, key: event.Source.Key, client: source },
      dest: {
        bucket: event.Dest.Bucket,
        key: event.Dest.Key ?? event.Source.Key,
        client: d.destClient(),
      },
    })
    return { bytes: result.bytes, parts: result.parts, seconds: result.seconds, etag: result.etag }
  }
}

/**
 * The Lambda entry point, for the event
 * `{"CredentialsEndpoint", "BearerToken", "Source": {"Bucket", "Key"}, "Dest": {"Bucket", "Key"?}}`;
 * returns `{bytes, parts, seconds, etag}`. The SDK honours `AWS_ENDPOINT_URL_S3` and friends.
 */
export const handler = createLambdaHandler()
