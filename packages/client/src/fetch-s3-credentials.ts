import type { TokenSource } from './create-token-source.js'
import { S3CredentialsAuthError } from './errors.js'
import type { S3Credentials } from './parse-s3-credentials.js'
import { requestS3Credentials } from './request-s3-credentials.js'
import type { ResolvedOptions } from './resolve-options.js'
import { withRetries } from './with-retries.js'

/**
 * Gets one set of credentials: an EDL token, then `GET /s3credentials` with retries. When the
 * endpoint refuses the token (`ERR_UNAUTHENTICATED`) and the token source can get another (a username and
 * password are known, or a token function returns a different token), it tries once more with
 * the new token before failing.
 */
export async function fetchS3Credentials(
  opts: ResolvedOptions,
  tokens: TokenSource,
): Promise<S3Credentials> {
  const attempt = async (token: Awaited<ReturnType<TokenSource['token']>>) =>
    withRetries(() => requestS3Credentials(opts, token), opts)
  const token = await tokens.token()
  try {
    return await attempt(token)
  } catch (err) {
    if (!(err instanceof S3CredentialsAuthError)) throw err
    const renewed = await tokens.renew(token)
    if (renewed === undefined) throw err
    return attempt(renewed)
  }
}
