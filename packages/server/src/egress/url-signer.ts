import type { SignatureV4 } from '@smithy/signature-v4'
import type { AwsCredentialIdentity } from '@smithy/types'
import { lazy } from '../lazy.js'
import { NodeSha256 } from './node-sha256.js'

/** The SDK's SigV4 signer for one set of credentials, and what its URLs repeat. */
export interface UrlSigner {
  readonly sigv4: SignatureV4
  /** The session token as a query value (RFC 3986), or undefined without one. */
  readonly encodedSessionToken: string | undefined
}

type SigningKey = Promise<Uint8Array>
/** SignatureV4's signing-key derivation (private in its typings; see `memoizeSigningKeys`). */
type DeriveSigningKey = (
  credentials: AwsCredentialIdentity,
  region: string,
  shortDate: string,
  service?: string,
) => SigningKey

// Imported on the first download, not at start-up, so that a cold start that only serves
// /s3credentials or /version does not compile the signer.
const loadSignatureV4 = lazy(async () => (await import('@smithy/signature-v4')).SignatureV4)
let SignatureV4Class: typeof SignatureV4 | undefined

// One signer per credentials object. The download-role credentials object lives for the 10
// minutes it is cached, and the WeakMap lets its signer go after.
const signers = new WeakMap<AwsCredentialIdentity, UrlSigner>()

/**
 * The signer for `credentials`, made on first use: `@smithy/signature-v4` with S3's settings
 * (as `@aws-sdk/s3-request-presigner` makes it), its signing keys kept per day and region.
 *
 * @example const { sigv4 } = await urlSigner(credentials, encodeQuery)
 */
export async function urlSigner(
  credentials: AwsCredentialIdentity,
  encodeQueryValue: (value: string) => string,
): Promise<UrlSigner> {
  const known = signers.get(credentials)
  if (known !== undefined) return known
  SignatureV4Class ??= await loadSignatureV4()
  const sigv4 = new SignatureV4Class({
    credentials,
    // Every presign passes its bucket's region as signingRegion; this one is never used.
    region: 'us-east-1',
    service: 's3',
    sha256: NodeSha256,
    // S3's settings, as S3RequestPresigner sets them: the path is signed as encoded once.
    uriEscapePath: false,
    applyChecksum: false,
  })
  memoizeSigningKeys(sigv4)
  const token = credentials.sessionToken
  const signer: UrlSigner = {
    sigv4,
    encodedSessionToken: token === undefined ? undefined : encodeQueryValue(token),
  }
  signers.set(credentials, signer)
  return signer
}

/**
 * SignatureV4 caches derived signing keys in a table shared by all instances, but the lookup
 * key is an HMAC of the secret plus the whole session token, computed on every presign: about
 * a fifth of a presign's CPU. This signer only ever has one set of credentials, so its keys
 * are kept here per (day, region, service), and the SDK's derivation runs once for each. The
 * method is private in the SDK's typings: if a version renames it, the memo is not installed
 * and signing stays correct, only slower (a unit test says so).
 */
function memoizeSigningKeys(sigv4: SignatureV4): void {
  const internals = sigv4 as unknown as { getSigningKey?: DeriveSigningKey }
  const derive = internals.getSigningKey
  if (typeof derive !== 'function') return
  const keys = new Map<string, SigningKey>()
  internals.getSigningKey = (credentials, region, shortDate, service) => {
    const id = `${shortDate}/${region}/${service ?? ''}`
    let key = keys.get(id)
    if (key === undefined) {
      key = derive.call(sigv4, credentials, region, shortDate, service)
      keys.set(id, key)
      key.catch(() => keys.delete(id))
    }
    return key
  }
}
