import { AppError } from '../errors.js'
import type { AuxHeaders, EdlClient, EdlUser } from './edl-client.js'

/**
 * TEA's login profile fetch (rain-api-core `get_profile`): with the user's token first; if EDL
 * refuses, once more with an app token from `client_credentials`. Rejects with the last error.
 *
 * @example const edlUser = await fetchProfileWithFallback(edl, grant.userId, grant.accessToken, aux)
 */
export async function fetchProfileWithFallback(
  edl: EdlClient,
  userId: string,
  userToken: string,
  aux?: AuxHeaders,
): Promise<EdlUser> {
  try {
    return await edl.getProfile({ userId, token: userToken }, aux)
  } catch (err) {
    if (!(err instanceof AppError)) throw err
    const appToken = await edl.getAppToken(aux)
    return await edl.getProfile({ userId, token: appToken }, aux)
  }
}
