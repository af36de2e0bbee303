/** An unsigned JWT-shaped token with EDL's claims; the client never verifies signatures. */
export function fakeJwt(claims: { uid?: string; exp?: number; [k: string]: unknown }): string {
  const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url')
  return `${b64({ typ: 'JWT', origin: 'Earthdata Login', sig: 'edljwtpubkey_test', alg: 'RS256' })}.${b64({ type: 'User', iss: 'Earthdata Login', ...claims })}.c2lnbmF0dXJl`
}
