import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto'
import type { KeyObject } from 'node:crypto'

/**
 * Turns the key text TEA keeps in its JWT secret into Node KeyObjects. TEA deployments make
 * their keys with `ssh-keygen -t rsa -b 4096 -m PEM`, so the public key is often OpenSSH
 * `ssh-rsa AAAA…` (PyJWT accepts it); it may also be PEM SPKI or PKCS#1. Private keys are PEM
 * PKCS#1 or PKCS#8. Errors are TypeErrors that never quote the key.
 */
export function parsePublicKey(text: string): KeyObject {
  const trimmed = text.trim()
  if (trimmed.startsWith('ssh-rsa ')) return parseSshRsa(trimmed)
  if (!trimmed.startsWith('-----BEGIN ')) {
    throw new TypeError('not a PEM public key or an OpenSSH "ssh-rsa" key')
  }
  try {
    // createPublicKey reads SPKI ("PUBLIC KEY"), PKCS#1 ("RSA PUBLIC KEY") and certificates.
    const key = createPublicKey(trimmed)
    return requireRsa(key)
  } catch (err) {
    if (err instanceof TypeError && err.message.startsWith('expected')) throw err
    throw new TypeError('could not parse the PEM public key')
  }
}

/** Reads a PEM private key (PKCS#1 "RSA PRIVATE KEY" or PKCS#8 "PRIVATE KEY"). */
export function parsePrivateKey(text: string): KeyObject {
  const trimmed = text.trim()
  if (trimmed.startsWith('-----BEGIN OPENSSH PRIVATE KEY-----')) {
    throw new TypeError(
      'OpenSSH private keys are not supported; convert with `ssh-keygen -p -m PEM`',
    )
  }
  if (!trimmed.startsWith('-----BEGIN ')) throw new TypeError('not a PEM private key')
  let key: KeyObject
  try {
    key = createPrivateKey(trimmed)
  } catch {
    throw new TypeError('could not parse the PEM private key')
  }
  return requireRsa(key)
}

/** True for text that is an asymmetric key (so it must never be used as an HMAC secret). */
export function looksLikeAsymmetricKey(text: string): boolean {
  const trimmed = text.trim()
  return (
    trimmed.startsWith('-----BEGIN ') ||
    /^ssh-(rsa|ed25519|dss) /.test(trimmed) ||
    trimmed.startsWith('ecdsa-sha2-')
  )
}

/**
 * Checks that an RSA private and public key belong together and are at least 2048 bits (jose
 * refuses smaller RS256 keys), by signing and verifying a probe.
 */
export function assertRsaKeyPair(privateKey: KeyObject, publicKey: KeyObject): void {
  const bits = publicKey.asymmetricKeyDetails?.modulusLength ?? 0
  if (bits < 2048) throw new TypeError(`RS256 needs an RSA key of at least 2048 bits (got ${bits})`)
  const probe = Buffer.from('tea-ts key pair probe')
  const signature = sign('sha256', probe, privateKey)
  if (!verify('sha256', probe, publicKey, signature)) {
    throw new TypeError('the public key does not match the private key')
  }
}

function requireRsa(key: KeyObject): KeyObject {
  if (key.asymmetricKeyType !== 'rsa') throw new TypeError('expected an RSA key')
  return key
}

/**
 * OpenSSH public key (RFC 4253 §6.6): base64 of three length-prefixed fields, the string
 * "ssh-rsa", the exponent and the modulus as mpints. Parsed by hand because Node cannot read
 * this format and the libraries that can (sshpk) are large for 20 lines of work.
 */
function parseSshRsa(line: string): KeyObject {
  const blob = Buffer.from(line.split(/\s+/)[1] ?? '', 'base64')
  const reader = lengthPrefixedReader(blob)
  if (reader.next().toString('latin1') !== 'ssh-rsa') throw new TypeError('not an "ssh-rsa" key')
  const e = stripLeadingZeros(reader.next())
  const n = stripLeadingZeros(reader.next())
  if (e.length === 0 || n.length < 128) throw new TypeError('the "ssh-rsa" key is too short')
  try {
    return createPublicKey({
      key: { kty: 'RSA', n: n.toString('base64url'), e: e.toString('base64url') },
      format: 'jwk',
    })
  } catch {
    throw new TypeError('could not parse the "ssh-rsa" key')
  }
}

function lengthPrefixedReader(blob: Buffer): { next(): Buffer } {
  let offset = 0
  return {
    next() {
      if (offset + 4 > blob.length) throw new TypeError('truncated "ssh-rsa" key')
      const length = blob.readUInt32BE(offset)
      const start = offset + 4
      if (start + length > blob.length) throw new TypeError('truncated "ssh-rsa" key')
      offset = start + length
      return blob.subarray(start, offset)
    },
  }
}

// An mpint carries a leading 0x00 when its top bit is set; JWK wants the bare magnitude.
function stripLeadingZeros(bytes: Buffer): Buffer {
  let i = 0
  while (i < bytes.length - 1 && bytes[i] === 0) i++
  return bytes.subarray(i)
}
