import type { S3Client } from '@aws-sdk/client-s3'
import { S3CredentialsOptionError } from '@tea-ts/client'
import { cacheSourceClients } from './cache-source-clients.js'
import { copyObject } from './copy-object.js'
import {
  DEFAULT_RESERVE_MS,
  abortOpenUploads,
  deadlineSignal,
  describeOpenUpload,
} from './copy-continuation.js'
import type { CopyContinuation, RemainingTime } from './copy-continuation.js'
import { createDestClient, createSourceClient } from './create-clients.js'
import { InvalidEventError } from './errors.js'
import { parseCopyEvent } from './parse-copy-event.js'
import { enableYoungGcWhileStreaming } from './young-gc.js'
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
  /**
   * The source client, reading with `/s3credentials` credentials. Default:
   * {@link createSourceClient}. The handler keeps the clients it made, by endpoint and token,
   * for the next invocations of a warm container.
   */
  readonly sourceClient: (input: { credentialsEndpoint: string; token: string }) => S3Client
  /** The destination client, with the Lambda's own credentials. Default: the SDK's chain. */
  readonly destClient: () => S3Client
  /** Part size, concurrency, ... Default: copyObject's defaults. */
  readonly tuning: CopyTuning
  /**
   * With a Lambda context: stop this long before the invocation's time runs out and return a
   * {@link CopyContinuation}. Default: {@link DEFAULT_RESERVE_MS}.
   */
  readonly reserveMs: number
}

/** The event field each of fromS3Credentials' options comes from. */
const EVENT_FIELD: Readonly<Record<string, string>> = {
  endpoint: 'CredentialsEndpoint',
  token: 'BearerToken',
}

const defaultDeps: LambdaDeps = {
  sourceClient: ({ credentialsEndpoint, token }) =>
    createSourceClient({ credentialsEndpoint, token }),
  destClient: () => createDestClient(),
  tuning: {},
  reserveMs: DEFAULT_RESERVE_MS,
}

/**
 * Builds the Lambda handler: it copies `Source` to `Dest` reading with credentials from
 * `CredentialsEndpoint` (sent `BearerToken`) and writing with the function's own role.
 * Given a Lambda context, it returns `{continuation: {uploadId, partsDone, bytesDone}, seconds}`
 * instead of timing out; invoking it again with the same event continues the copy.
 * Size memory for partSize × concurrency (512 MiB by default) plus about 150 MiB.
 *
 * @example
 * ```ts
 * export const handler = createLambdaHandler({ tuning: { partSize: 256 * 1024 ** 2 } })
 * ```
 */
export function createLambdaHandler(
  deps: Partial<LambdaDeps> = {},
): (event: unknown, context?: RemainingTime) => Promise<CopyEventResult | CopyContinuation> {
  const d = { ...defaultDeps, ...deps }
  const sourceClient = cacheSourceClients(d.sourceClient)
  return async (raw, context) => {
    const started = performance.now()
    // This process exists to copy (see young-gc.ts); on the first event, not on import.
    enableYoungGcWhileStreaming()
    const event = parseCopyEvent(raw)
    let source: S3Client
    try {
      source = sourceClient({
        credentialsEndpoint: event.CredentialsEndpoint,
        token: event.BearerToken,
      })
    } catch (err) {
      // fromS3Credentials checks the URL (https, or http to loopback) and the token's shape.
      if (err instanceof S3CredentialsOptionError) {
        const field = EVENT_FIELD[err.option] ?? err.option
        throw new InvalidEventError(`Invalid event: ${field}: ${err.message}`, { cause: err })
      }
      throw err
    }
    const dest = {
      bucket: event.Dest.Bucket,
      key: event.Dest.Key ?? event.Source.Key,
      client: d.destClient(),
    }
    const sourceLocation = { bucket: event.Source.Bucket, key: event.Source.Key, client: source }
    if (typeof context?.getRemainingTimeInMillis !== 'function') {
      const result = await copyObject({ ...d.tuning, source: sourceLocation, dest })
      return {
        bytes: result.bytes,
        parts: result.parts,
        seconds: result.seconds,
        etag: result.etag,
      }
    }
    // Under Lambda: stop before the time limit, keeping the parts done, and say where the
    // copy stands; the caller (the bulk-copy state machine) invokes again with the same event
    // and copyObject resumes the upload.
    const deadline = deadlineSignal(context, d.reserveMs)
    const signals = [deadline.signal, ...(d.tuning.signal ? [d.tuning.signal] : [])]
    try {
      const result = await copyObject({
        ...d.tuning,
        signal: AbortSignal.any(signals),
        leavePartsOnError: true,
        source: sourceLocation,
        dest,
      })
      return {
        bytes: result.bytes,
        parts: result.parts,
        seconds: result.seconds,
        etag: result.etag,
      }
    } catch (err) {
      if (deadline.signal.aborted && deadline.signal.reason === deadline.reason) {
        const continuation = await describeOpenUpload(dest.client, dest.bucket, dest.key)
        return { continuation, seconds: Math.round(performance.now() - started) / 1000 }
      }
      // Failed for good: leave nothing billable behind (what copyObject does without a context).
      await abortOpenUploads(dest.client, dest.bucket, dest.key).catch(() => undefined)
      throw err
    } finally {
      deadline.clear()
    }
  }
}

/**
 * The Lambda entry point, for the event
 * `{"CredentialsEndpoint", "BearerToken", "Source": {"Bucket", "Key"}, "Dest": {"Bucket", "Key"?}}`;
 * returns `{bytes, parts, seconds, etag}`, or a {@link CopyContinuation}. The SDK honours `AWS_ENDPOINT_URL_S3` and friends.
 */
export const handler = createLambdaHandler()
