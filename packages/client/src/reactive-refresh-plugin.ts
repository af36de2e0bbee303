import type {
  AwsCredentialIdentity,
  FinalizeHandler,
  FinalizeHandlerArguments,
  FinalizeHandlerOutput,
  HandlerExecutionContext,
  MetadataBearer,
  Pluggable,
} from '@smithy/types'
import type { RefreshableCredentialsProvider } from './from-s3-credentials.js'

/** S3 error codes that mean "these temporary credentials are no longer good". */
const TOKEN_ERRORS = new Set([
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidToken',
  'TokenRefreshRequired',
])

interface ServiceErrorLike {
  name?: unknown
  message?: unknown
  $metadata?: { httpStatusCode?: unknown }
}

/**
 * Whether a failed request deserves one retry with new credentials: S3's token errors, a
 * 400/403 saying "The provided token has expired", or a 403 (radosgw answers a bare
 * AccessDenied for expired sessions) sent with credentials whose expiry has already passed.
 */
export function isCredentialRejection(
  err: unknown,
  used: AwsCredentialIdentity | undefined,
  now: number,
): boolean {
  if (typeof err !== 'object' || err === null) return false
  const e = err as ServiceErrorLike
  if (typeof e.name === 'string' && TOKEN_ERRORS.has(e.name)) return true
  const status = e.$metadata?.httpStatusCode
  if (status !== 400 && status !== 403) return false
  if (typeof e.message === 'string' && /token has expired/i.test(e.message)) return true
  return status === 403 && used?.expiration !== undefined && used.expiration.getTime() <= now
}

const OPTIONS = {
  name: 'teaReactiveRefreshMiddleware',
  step: 'finalizeRequest',
  relation: 'before',
  toMiddleware: 'retryMiddleware',
  override: true,
} as const

/**
 * An SDK plugin that retries a request once with new credentials when S3 says the ones it was
 * signed with have expired (see {@link isCredentialRejection}). It sits outside the SDK's retry
 * middleware: the SDK resolves credentials once per operation, so its own retries would re-sign
 * with the same expired ones. If another request already replaced the credentials, they are
 * reused instead of fetching again; otherwise `forceRefresh()` runs (single-flight). A request
 * whose body is a one-shot stream cannot be replayed, as with the SDK's own retries.
 *
 * @example
 * ```ts
 * const credentials = fromS3Credentials({ endpoint })
 * const s3 = new S3Client({ region: 'us-west-2', credentials })
 * s3.middlewareStack.use(reactiveRefreshPlugin(credentials))
 * ```
 */
export function reactiveRefreshPlugin(
  provider: RefreshableCredentialsProvider,
  options: { readonly now?: () => number } = {},
): Pluggable<object, MetadataBearer> {
  const now = options.now ?? Date.now
  const middleware =
    <Output extends MetadataBearer>(
      next: FinalizeHandler<object, Output>,
      context: HandlerExecutionContext,
    ): FinalizeHandler<object, Output> =>
    async (args: FinalizeHandlerArguments<object>): Promise<FinalizeHandlerOutput<Output>> => {
      try {
        return await next(args)
      } catch (err) {
        const smithy = context.__smithy_context
        const scheme = smithy?.selectedHttpAuthScheme
        const used = scheme?.identity as AwsCredentialIdentity | undefined
        if (!smithy || !scheme || !isCredentialRejection(err, used, now())) throw err
        const latest = await provider()
        const fresh =
          latest.accessKeyId !== used?.accessKeyId ? latest : await provider.forceRefresh()
        smithy.selectedHttpAuthScheme = { ...scheme, identity: fresh }
        return next(args)
      }
    }
  return {
    applyToStack: (stack) => {
      stack.addRelativeTo(middleware, OPTIONS)
    },
  }
}
