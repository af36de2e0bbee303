import { describe, expect, it } from 'vitest'
import { urlSigner } from './url-signer.js'

const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'token/with+slash=',
}

describe('urlSigner', () => {
  it('keeps one signer per credentials object, with the session token encoded once', async () => {
    const signer = await urlSigner(credentials, encodeURIComponent)
    expect(await urlSigner(credentials, encodeURIComponent)).toBe(signer)
    expect(await urlSigner({ ...credentials }, encodeURIComponent)).not.toBe(signer)
    expect(signer.encodedSessionToken).toBe('token%2Fwith%2Bslash%3D')
    const { sessionToken: _, ...long } = credentials
    expect((await urlSigner(long, encodeURIComponent)).encodedSessionToken).toBeUndefined()
  })

  it("memoizes the SDK's signing-key derivation (fails if an SDK update renames it)", async () => {
    const { sigv4 } = await urlSigner({ ...credentials }, encodeURIComponent)
    expect(Object.hasOwn(sigv4, 'getSigningKey')).toBe(true)
    const derive = (
      sigv4 as unknown as {
        getSigningKey: (c: object, region: string, day: string, service?: string) => unknown
      }
    ).getSigningKey
    const first = derive(credentials, 'us-west-2', '20260101', 's3')
    expect(derive(credentials, 'us-west-2', '20260101', 's3')).toBe(first)
    expect(derive(credentials, 'us-east-1', '20260101', 's3')).not.toBe(first)
    expect(derive(credentials, 'us-west-2', '20260102', 's3')).not.toBe(first)
  })
})
