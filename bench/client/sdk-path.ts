import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3'
import type {
  AwsCredentialIdentity,
  AwsCredentialIdentityProvider,
  HttpHandlerOptions,
  HttpRequest,
  HttpResponse,
  RequestHandler,
} from '@smithy/types'
import { Readable } from 'node:stream'
import { median, round } from './run-calls.js'

/** CPU cost of one `S3Client.send` with the network replaced by an instant 200. */
export interface SdkPathResult {
  readonly callsPerBatch: number
  /** Measured batches per case; each case also runs one warm-up batch. */
  readonly batches: number
  /** Median over batches, CPU µs per call. */
  readonly staticUsPerCall: number
  readonly providerUsPerCall: number
  /** Median over batches of (provider − static), CPU µs per call. */
  readonly overheadUsPerCall: number
  /** Cheapest batch, CPU µs per call: the least disturbed by other processes on a busy machine. */
  readonly staticMinUsPerCall: number
  readonly providerMinUsPerCall: number
}

/** Answers every request at once with an empty 200, so only the SDK's own work is timed. */
const instantOk: RequestHandler<HttpRequest, HttpResponse, HttpHandlerOptions> = {
  handle: async () => ({
    response: {
      statusCode: 200,
      headers: { 'content-length': '0', etag: '"0"' },
      body: Readable.from([]),
    },
  }),
}

/** CPU time (user + system) per call: unlike wall time, it does not count waiting for a core. */
async function usPerCall(s3: S3Client, n: number): Promise<number> {
  const before = process.cpuUsage()
  for (let i = 0; i < n; i++) await s3.send(new HeadObjectCommand({ Bucket: 'b', Key: 'k' }))
  const used = process.cpuUsage(before)
  return (used.user + used.system) / n
}

/**
 * Times `send(HeadObject)` through the whole SDK middleware stack (serialize, sign, parse), with
 * static credentials and with `client` (the provider and its plugin), in alternating batches
 * so that changes in machine load hit both alike. The difference is what the provider adds to
 * an S3 call, without the noise of a real server.
 */
export async function measureSdkPath(
  staticCreds: AwsCredentialIdentity,
  withProvider: (s3: S3Client) => void,
  provider: AwsCredentialIdentityProvider,
  callsPerBatch = 500,
  batches = 20,
): Promise<SdkPathResult> {
  const make = (credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider) =>
    new S3Client({
      endpoint: 'http://127.0.0.1:9',
      region: 'us-east-1',
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      credentials,
      requestHandler: instantOk,
    })
  const a = make(staticCreds)
  const b = make(provider)
  withProvider(b)
  await usPerCall(a, callsPerBatch)
  await usPerCall(b, callsPerBatch)
  const as: number[] = []
  const bs: number[] = []
  for (let i = 0; i < batches; i++) {
    const first = i % 2 === 0 ? a : b
    const x = await usPerCall(first, callsPerBatch)
    const y = await usPerCall(first === a ? b : a, callsPerBatch)
    as.push(first === a ? x : y)
    bs.push(first === a ? y : x)
  }
  return {
    callsPerBatch,
    batches,
    staticUsPerCall: round(median(as), 1),
    providerUsPerCall: round(median(bs), 1),
    overheadUsPerCall: round(median(bs.map((y, i) => y - (as[i] ?? NaN))), 1),
    staticMinUsPerCall: round(Math.min(...as), 1),
    providerMinUsPerCall: round(Math.min(...bs), 1),
  }
}
