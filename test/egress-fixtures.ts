import { execFile } from 'node:child_process'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import {
  CreateRoleCommand,
  GetRoleCommand,
  IAMClient,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam'
import type { RoleVendor, TemporaryCredentials } from '@tea-ts/server'
import { createStsRoleVendor } from '@tea-ts/server/testing'
import type { S3Env } from './helpers/s3-env.js'

/** Shared set-up for the download-path tests on the real stack (radosgw + EDL emulator). */

export const execFileAsync = promisify(execFile)

export const DEMO_MAP_FILE = fileURLToPath(
  new URL('../packages/server/src/bucket-map/examples/bucket-map.demo.yaml', import.meta.url),
)

/** The fixture's "region": callers from 10.20.0.0/16 and 2001:db8:20::/48 are in region. */
export const IP_RANGES_FIXTURE = {
  syncToken: '1',
  createDate: '2026-01-01-00-00-00',
  prefixes: [
    { ip_prefix: '10.20.0.0/16', region: 'us-east-1', service: 'AMAZON' },
    { ip_prefix: '10.30.0.0/16', region: 'us-west-2', service: 'AMAZON' },
  ],
  ipv6_prefixes: [{ ipv6_prefix: '2001:db8:20::/48', region: 'us-east-1', service: 'AMAZON' }],
}

/** Serves a JSON document on loopback (AWS_IP_RANGES_URL in tests); counts requests. */
export async function serveJson(
  document: unknown,
): Promise<{ url: string; requests: () => number; close(): Promise<void> }> {
  let requests = 0
  const server = createServer((_req, res) => {
    requests++
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(document))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/ip-ranges.json`,
    requests: () => requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

/**
 * A second download role on radosgw (the stack has one), created through the IAM API with the
 * same read-only policy: the in-region role of these tests. Idempotent.
 */
export async function ensureSecondRole(s3: S3Env, name: string): Promise<string> {
  const iam = new IAMClient({
    endpoint: s3.endpoint,
    region: s3.region,
    credentials: s3.user,
    maxAttempts: 1,
  })
  const trust = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: [s3.userArn] }, Action: ['sts:AssumeRole'] }],
  }
  const exists = await iam.send(new GetRoleCommand({ RoleName: name })).then(
    () => true,
    () => false,
  )
  if (!exists) {
    await iam.send(
      new CreateRoleCommand({
        RoleName: name,
        Path: '/',
        AssumeRolePolicyDocument: JSON.stringify(trust),
      }),
    )
  }
  const resources = [s3.bucket, s3.otherBucket].flatMap((b) => [
    `arn:aws:s3:::${b}`,
    `arn:aws:s3:::${b}/*`,
  ])
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: name,
      PolicyName: 'read-only',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: resources },
        ],
      }),
    }),
  )
  iam.destroy()
  return `arn:aws:iam:::role/${name}`
}

/** radosgw's STS, remembering which assumed role each access key belongs to. */
export function recordingVendor(s3: S3Env): RoleVendor & {
  readonly calls: { roleArn: string; sessionName: string; externalId?: string | undefined }[]
  /** The assumed-role ARN STS returned for an access key id. */
  readonly roleOf: Map<string, string>
} {
  const inner = createStsRoleVendor({
    endpoint: s3.endpoint,
    region: s3.region,
    credentials: s3.user,
  })
  const calls: { roleArn: string; sessionName: string; externalId?: string | undefined }[] = []
  const roleOf = new Map<string, string>()
  return {
    calls,
    roleOf,
    async assumeRole(input): Promise<TemporaryCredentials> {
      calls.push({
        roleArn: input.roleArn,
        sessionName: input.sessionName,
        externalId: input.externalId,
      })
      const creds = await inner.assumeRole(input)
      roleOf.set(creds.accessKeyId, creds.assumedRoleArn ?? '')
      return creds
    },
  }
}

/** The access key id in a presigned URL's X-Amz-Credential. */
export function accessKeyOf(url: string): string {
  return new URL(url).searchParams.get('X-Amz-Credential')?.split('/')[0] ?? ''
}
