import { readFileSync } from 'node:fs'
import type { Context } from 'aws-lambda'
import { describe, expect, it } from 'vitest'
import { createLambdaHandler } from '@tea-ts/server'
import type { AppDeps, AssumeRoleInput, EdlClient } from '@tea-ts/server'
import { parseBucketMap } from '@tea-ts/server/testing'
import { configFor } from './fixtures/login-harness.js'

/**
 * The download route under the Lambda adapter: with no X-Forwarded-For, API Gateway's
 * `requestContext.identity.sourceIp` is the client IP (TEA), and it picks the signing role.
 * (@fastify/aws-lambda also reports it as the socket address; clientIp reads the event first.)
 */

const IN = 'arn:aws:iam::123456789012:role/in'
const OUT = 'arn:aws:iam::123456789012:role/out'
const event = JSON.parse(
  readFileSync(new URL('fixtures/lambda/apigw-v1-event.json', import.meta.url), 'utf8'),
) as Record<string, unknown>

function v1(path: string, sourceIp: string): Record<string, unknown> {
  const headers = { ...(event.headers as Record<string, string>) }
  delete headers['X-Forwarded-For']
  const context = event.requestContext as Record<string, unknown>
  return {
    ...event,
    path,
    pathParameters: { proxy: path.slice(1) },
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    requestContext: {
      ...context,
      path: `/DEV${path}`,
      identity: { ...(context.identity as object), sourceIp },
    },
  }
}

describe('downloads through the Lambda adapter', () => {
  it("signs with the in-region role for API Gateway's in-region sourceIp", async () => {
    const calls: AssumeRoleInput[] = []
    const deps = (): AppDeps => ({
      edl: {} as EdlClient,
      roles: {
        assumeRole: async (input) => {
          calls.push(input)
          return {
            accessKeyId: 'AKIA',
            secretAccessKey: 's',
            sessionToken: 't',
            expiration: new Date(Date.now() + 3600_000),
          }
        },
      },
      bucketMap: parseBucketMap(
        'MAP:\n  pub: public-bucket\nPUBLIC_BUCKETS:\n  - public-bucket\n',
        {
          fileName: 'map.yaml',
          bucketNamePrefix: '',
        },
      ),
      objects: {
        headObject: async () => ({ size: 3 }),
        bucketRegion: async () => 'us-west-2',
      },
      fetch: (async () =>
        Response.json({
          prefixes: [{ ip_prefix: '34.208.0.0/12', region: 'us-west-2', service: 'AMAZON' }],
        })) as unknown as typeof fetch,
      now: Date.now,
      log: false,
    })
    const handler = createLambdaHandler({
      loadConfig: () =>
        configFor('https://edl.example', {
          BUCKET_MAP_FILE: 'map.yaml',
          BUCKETNAME_PREFIX: '',
          EGRESS_APP_DOWNLOAD_ROLE_ARN: OUT,
          EGRESS_APP_DOWNLOAD_ROLE_INREGION_ARN: IN,
          AWS_REGION: 'us-west-2',
        }),
      deps,
    })
    const context = { awsRequestId: 'req-1', functionName: 'tea' } as unknown as Context
    const inside = await handler(v1('/pub/a.nc', '34.210.1.2'), context)
    const outside = await handler(v1('/pub/a.nc', '198.51.100.7'), context)
    expect([inside.statusCode, outside.statusCode]).toEqual([303, 303])
    expect(String(inside.headers.location ?? inside.headers.Location)).toMatch(
      /^https:\/\/public-bucket\.s3\.us-west-2\.amazonaws\.com\/a\.nc\?A-userid=None&/,
    )
    expect(calls.map((c) => c.roleArn)).toEqual([IN, OUT])
  })
})
