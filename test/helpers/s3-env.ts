import { S3Client } from '@aws-sdk/client-s3'
import { STSClient } from '@aws-sdk/client-sts'
import type { Credentials } from '@aws-sdk/client-sts'
import type { AwsCredentialIdentity } from '@smithy/types'

/** The local radosgw stack as printed by `scripts/s3-stack.sh start` (see docs/local-stack.md). */
export interface S3Env {
  readonly endpoint: string
  readonly region: string
  /** Permanent keys of the `tester` user, who owns `bucket` and `otherBucket` and may assume the role. */
  readonly user: AwsCredentialIdentity
  readonly userArn: string
  /** Role allowing only s3:GetObject and s3:ListBucket on `bucket` and `otherBucket`. */
  readonly roleArn: string
  readonly roleMaxSession: number
  readonly bucket: string
  readonly otherBucket: string
  /** Permanent keys of the independent `dest` user, sole owner of `destBucket`. */
  readonly dest: AwsCredentialIdentity
  readonly destBucket: string
  /**
   * STS endpoint of a second gateway whose clock runs behind: AssumeRole there with
   * DurationSeconds=900 yields credentials that expire `shortStsLifetimeSeconds` (about 120)
   * from now. Undefined when the stack could not provide it.
   */
  readonly shortStsEndpoint: string | undefined
  readonly shortStsLifetimeSeconds: number | undefined
}

const REQUIRED = [
  'S3_ENDPOINT',
  'S3_ACCESS_KEY_ID',
  'S3_SECRET_ACCESS_KEY',
  'S3_USER_ARN',
  'S3_ROLE_ARN',
  'S3_BUCKET',
  'S3_OTHER_BUCKET',
  'S3_DEST_BUCKET',
  'S3_DEST_ACCESS_KEY_ID',
  'S3_DEST_SECRET_ACCESS_KEY',
] as const

/**
 * Reads and checks the stack's variables. Throws, naming the missing ones and how to load
 * them, so an integration test without a stack fails loudly instead of skipping.
 */
export function readS3Env(env: NodeJS.ProcessEnv = process.env): S3Env {
  const missing = REQUIRED.filter((name) => !env[name])
  if (missing.length > 0) {
    throw new Error(
      `local S3 stack env missing: ${missing.join(', ')}. Run via 'npm test', or first: ` +
        `set -a; eval "$(bash scripts/s3-stack.sh start)"; set +a`,
    )
  }
  const get = (name: (typeof REQUIRED)[number]): string => env[name] as string
  const lifetime = env.S3_SHORT_STS_LIFETIME_SECONDS
  return {
    endpoint: get('S3_ENDPOINT'),
    region: env.S3_REGION || 'us-east-1',
    user: { accessKeyId: get('S3_ACCESS_KEY_ID'), secretAccessKey: get('S3_SECRET_ACCESS_KEY') },
    userArn: get('S3_USER_ARN'),
    roleArn: get('S3_ROLE_ARN'),
    roleMaxSession: Number(env.S3_ROLE_MAX_SESSION || 3600),
    bucket: get('S3_BUCKET'),
    otherBucket: get('S3_OTHER_BUCKET'),
    dest: {
      accessKeyId: get('S3_DEST_ACCESS_KEY_ID'),
      secretAccessKey: get('S3_DEST_SECRET_ACCESS_KEY'),
    },
    destBucket: get('S3_DEST_BUCKET'),
    shortStsEndpoint: env.S3_SHORT_STS_ENDPOINT || undefined,
    shortStsLifetimeSeconds: lifetime ? Number(lifetime) : undefined,
  }
}

/**
 * An S3 client with the options radosgw needs: path-style addressing (no wildcard DNS on
 * 127.0.0.1) and checksums only when required (RGW 16 rejects streamed aws-chunked trailers).
 * `endpoint` defaults to `S3_ENDPOINT`.
 */
export function s3ClientFor(
  creds: AwsCredentialIdentity,
  endpoint = readS3Env().endpoint,
): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    credentials: creds,
    maxAttempts: 1,
  })
}

/** An STS client for radosgw; `endpoint` defaults to `S3_ENDPOINT` (pass `shortStsEndpoint` for short-lived credentials). */
export function stsClientFor(
  creds: AwsCredentialIdentity,
  endpoint = readS3Env().endpoint,
): STSClient {
  return new STSClient({ endpoint, region: 'us-east-1', credentials: creds, maxAttempts: 1 })
}

/** Converts AssumeRole's `Credentials` into an SDK identity; throws if a field is missing. */
export function toIdentity(c: Credentials | undefined): AwsCredentialIdentity {
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) {
    throw new Error('AssumeRole returned incomplete credentials')
  }
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    sessionToken: c.SessionToken,
    ...(c.Expiration ? { expiration: c.Expiration } : {}),
  }
}
