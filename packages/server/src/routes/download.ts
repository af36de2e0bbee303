import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { EdlClient } from '../auth/edl-client.js'
import { fetchProfileWithFallback } from '../auth/fetch-profile-with-fallback.js'
import type { UserProfile } from '../auth/user-profile.js'
import type { BucketMap, RequiredGroups } from '../bucket-map/bucket-map.js'
import { locate } from '../bucket-map/locate.js'
import { requiredGroups } from '../bucket-map/required-groups.js'
import { resolvePath } from '../bucket-map/resolve-path.js'
import type { Config } from '../config.js'
import { clientIp } from '../egress/client-ip.js'
import { corsAllowed, corsHeaders } from '../egress/cors.js'
import { cumulusLogLine, cumulusRedirectLine } from '../egress/cumulus-log.js'
import type { MetricsSink } from '../egress/cumulus-log.js'
import { DataPathError } from '../egress/data-path-error.js'
import type { InRegionCheck } from '../egress/in-region.js'
import { ObjectCheckError } from '../egress/object-store.js'
import type { ObjectStore } from '../egress/object-store.js'
import { presignUrl } from '../egress/presign-url.js'
import { SIGNING_SESSION_SECONDS } from '../egress/signing-credentials.js'
import type { GetSigningCredentials } from '../egress/signing-credentials.js'
import { AppError } from '../errors.js'

export interface DownloadRouteOptions {
  readonly config: Config
  readonly bucketMap: BucketMap
  readonly edl: EdlClient
  /** AssumeRole of the download roles, cached per (role, user). */
  readonly signing: GetSigningCredentials
  readonly inRegion: InRegionCheck
  readonly objects: ObjectStore
  /** TEA's raw Cumulus lines. */
  readonly metrics: MetricsSink
  /** Clock in epoch ms (the signing date). */
  readonly now: () => number
}

const PREFLIGHT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * TEA's data path (dynamic_url in its app.py): `GET`/`HEAD /{proxy+}` → 303 to a presigned S3 URL, `OPTIONS` CORS
 * preflight, and `/locate`. Registered whenever a bucket map is configured. See docs/egress.md.
 */
export const downloadRoute: FastifyPluginAsync<DownloadRouteOptions> = async (app, options) => {
  const { config, bucketMap, metrics } = options
  const downloads = config.downloads
  const outOfRegionRole = downloads.outOfRegionRoleArn
  const inRegionRole = downloads.inRegionRoleArn ?? outOfRegionRole
  if (outOfRegionRole === undefined || inRegionRole === undefined) {
    throw new TypeError('downloadRoute: EGRESS_APP_DOWNLOAD_ROLE_ARN is not set')
  }
  // TEA caches GetBucketLocation per bucket for the container's life; an S3-compatible
  // endpoint (AWS_ENDPOINT_URL_S3) has one region, the configured one.
  const regions = new Map<string, Promise<string>>()
  const cumulus = (
    request: FastifyRequest,
    outcome: 'success' | 'failure',
    code: number,
    fields: Record<string, string>,
  ) => metrics.write(`${cumulusLogLine(outcome, code, request.method, fields, request.id)}\n`)

  // TEA writes Cumulus failure lines only for S3 trouble (ClientError, 416, missing object):
  // DAAC metric filters count those, so lookups, logins and 403s add none here either.
  const fail = (
    request: FastifyRequest,
    status: number,
    title: string,
    text: string,
    cause?: unknown,
  ): DataPathError => new DataPathError(status, title, text, request.id, { cause })

  const bucketRegion = async (
    request: FastifyRequest,
    credentials: Parameters<ObjectStore['bucketRegion']>[0],
    bucket: string,
    key: string,
  ): Promise<string> => {
    if (downloads.s3Endpoint !== undefined) return downloads.region
    let region = regions.get(bucket)
    if (region === undefined) {
      region = options.objects.bucketRegion(credentials, bucket)
      regions.set(bucket, region)
      region.catch(() => regions.delete(bucket))
    }
    try {
      const found = await region
      if (found !== downloads.region) {
        request.log.warn(
          { bucket, bucketRegion: found, region: downloads.region },
          'bucket in another region: double egress',
        )
      }
      return found
    } catch (err) {
      const status = err instanceof ObjectCheckError && err.status >= 400 ? err.status : 400
      cumulus(request, 'failure', status, { reason: 'ClientError', s3: `${bucket}/${key}` })
      throw new DataPathError(
        status,
        'Data Not Available',
        'There was a problem accessing download data.',
        request.id,
        { cause: err },
      )
    }
  }

  /** TEA `user_in_group`: on a miss, refresh the groups from EDL once and reissue the cookie. */
  const memberAfterRefresh = async (
    request: FastifyRequest,
    reply: FastifyReply,
    user: UserProfile,
    required: ReadonlySet<string>,
  ): Promise<UserProfile | null> => {
    if (isMember(user, required, config.urs.clientId)) return user
    let edlUser
    try {
      edlUser = await fetchProfileWithFallback(
        options.edl,
        user.userId,
        user.accessToken,
        app.auth.auxHeaders(request),
      )
    } catch (err) {
      if (!(err instanceof AppError)) throw err
      request.log.warn({ err: err.message, userId: user.userId }, 'group refresh from EDL failed')
      return null
    }
    const refreshed: UserProfile = {
      ...user,
      firstName: edlUser.firstName,
      lastName: edlUser.lastName,
      email: edlUser.email,
      groups: edlUser.groups,
    }
    await app.auth.setSessionCookie(request, reply, refreshed)
    return isMember(refreshed, required, config.urs.clientId) ? refreshed : null
  }

  const download = async (request: FastifyRequest, reply: FastifyReply) => {
    const method = request.method === 'HEAD' ? 'HEAD' : 'GET'
    const path = (request.params as { '*'?: string })['*'] ?? ''
    const resolved = resolvePath(bucketMap, path, { reverse: config.bucketMap.reverse })
    if (resolved === null) throw fail(request, 404, 'File not found', 'File not found')
    const { bucket, objectKey: key } = resolved
    if (key === '') {
      throw fail(request, 404, 'Request Not Serviceable', 'Request does not appear to be valid.')
    }
    const required: RequiredGroups = requiredGroups(bucketMap, bucket, key)
    // A cookie counts even for public data (attribution); a bearer token only for private data.
    let user = (await app.auth.readSession(request))?.user ?? null
    if (required !== 'public' && user === null) {
      await app.authenticateUser(request, reply)
      if (reply.sent) return reply
      user = request.user
      if (user === null) throw new AppError('download: requireUser passed without a user')
    }
    if (required instanceof Set && user !== null) {
      const member = await memberAfterRefresh(request, reply, user, required)
      if (member === null) {
        throw fail(request, 403, 'Could not access data', 'This data is not currently available.')
      }
      user = member
    }

    const range = headerValue(request.headers.range)
    const inRegion = await options.inRegion.isInRegion(clientIp(request))
    const signer = await options.signing(inRegion ? inRegionRole : outOfRegionRole, user?.userId)
    const region = await bucketRegion(request, signer.credentials, bucket, key)
    let size: number | undefined
    if (!downloads.suppressHead) {
      // TEA checks with the out-of-region role (it works from anywhere, including here).
      const checker = inRegion ? await options.signing(outOfRegionRole, user?.userId) : signer
      try {
        size = (await options.objects.headObject(checker.credentials, bucket, key, range)).size
      } catch (err) {
        const s3 = `${bucket}/${key}`
        if (err instanceof ObjectCheckError && err.status === 416) {
          cumulus(request, 'failure', 416, { reason: 'Invalid Range', s3, range: range ?? '' })
          throw fail(request, 416, 'Invalid Range', 'Invalid Range', err)
        }
        if (!(err instanceof ObjectCheckError)) throw err
        cumulus(request, 'failure', 404, { reason: 'Could not find requested data', s3 })
        throw new DataPathError(
          404,
          'Data Not Available',
          'Could not find requested data.',
          request.id,
          { cause: err },
        )
      }
    }

    const expiresIn = SIGNING_SESSION_SECONDS - signer.ageSeconds
    const uuid = requestUuid(queryValue(request.query, 'A-api-request-uuid'))
    const query: Record<string, string> = {}
    if (uuid !== undefined && method === 'GET') query['A-api-request-uuid'] = uuid
    // TEA's values for anonymous callers: Python's None on GET, empty on HEAD.
    query['A-userid'] = user?.userId ?? (method === 'GET' ? 'None' : '')
    const url = await presignUrl({
      credentials: signer.credentials,
      region,
      bucket,
      key,
      method,
      expiresInSeconds: expiresIn,
      query,
      endpoint: downloads.s3Endpoint,
      signingDate: new Date(options.now()),
    })
    // The download record through the root logger, with the request id bound by hand: the same
    // line as request.log would write, without making a child logger for it.
    app.log.info(
      {
        reqId: request.id,
        download: {
          bucket,
          object: key,
          range: range ?? null,
          InRegion: inRegion ? 'True' : 'False',
          ...(size === undefined ? {} : { size }),
        },
      },
      'download',
    )
    // The URL is a bearer credential for an hour: the metric line names the object, not the signature.
    metrics.write(
      `${cumulusRedirectLine(request.method, url.slice(0, url.indexOf('?')), request.id)}\n`,
    )
    if (range !== undefined) reply.header('range', range)
    return reply
      .code(303)
      .header('cache-control', `private, max-age=${expiresIn - 60}`)
      .headers(resolved.headers)
      .headers(corsHeaders(headerValue(request.headers.origin), downloads.corsOrigin))
      .header('location', url)
      .send()
  }

  app.route({ method: ['GET', 'HEAD'], url: '/*', handler: download })

  app.options('/*', async (request, reply) => {
    const origin = headerValue(request.headers.origin)
    const wanted = headerValue(request.headers['access-control-request-method'])?.trim()
    if (
      corsAllowed(origin, downloads.corsOrigin) &&
      wanted !== undefined &&
      PREFLIGHT_METHODS.has(wanted)
    ) {
      return reply
        .code(204)
        .headers(corsHeaders(origin, downloads.corsOrigin))
        .header('access-control-allow-methods', 'GET, HEAD, OPTIONS')
        .header('access-control-allow-headers', 'Authorization, Origin, X-Requested-With')
        .send()
    }
    return reply.code(405).type('text/plain; charset=utf-8').send('Method Not Allowed')
  })

  app.get('/locate', async (request, reply) => {
    const bucketName = queryValue(request.query, 'bucket_name')
    if (bucketName === undefined) {
      return reply
        .code(400)
        .type('text/plain; charset=utf-8')
        .send('Required "bucket_name" query paramater not specified')
    }
    const paths = locate(bucketMap, bucketName).sort()
    if (paths.length === 0) {
      return reply
        .code(404)
        .type('text/plain; charset=utf-8')
        .send(`No route defined for ${bucketName}`)
    }
    return reply.type('application/json; charset=utf-8').send(JSON.stringify(paths))
  })
}

// It lands in S3 access logs: keep it a printable token of sane length (TEA passed anything).
const REQUEST_UUID = /^[\x21-\x7e]{1,200}$/

function requestUuid(value: string | undefined): string | undefined {
  return value !== undefined && REQUEST_UUID.test(value) ? value : undefined
}

function isMember(user: UserProfile, required: ReadonlySet<string>, clientId: string): boolean {
  return user.groups.some((g) => g.client_id === clientId && required.has(g.name))
}

function headerValue(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value
  return first === undefined || first === '' ? undefined : first
}

function queryValue(query: unknown, name: string): string | undefined {
  const value = (query as Record<string, unknown> | null)?.[name]
  const first = Array.isArray(value) ? (value[0] as unknown) : value
  return typeof first === 'string' ? first : undefined
}
