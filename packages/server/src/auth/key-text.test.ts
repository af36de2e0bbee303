import { generateKeyPairSync } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  assertRsaKeyPair,
  looksLikeAsymmetricKey,
  parsePrivateKey,
  parsePublicKey,
} from './key-text.js'

const fixture = (name: string): string =>
  readFileSync(new URL(`../../../../test/fixtures/keys/${name}`, import.meta.url), 'utf8')

const spkiDer = (text: string): string =>
  parsePublicKey(text).export({ type: 'spki', format: 'der' }).toString('base64')

describe('parsePublicKey', () => {
  const reference = spkiDer(fixture('tea-rsa.spki.pem'))

  it('reads the same key from OpenSSH ssh-rsa (made by ssh-keygen), SPKI PEM and PKCS#1 PEM', () => {
    expect(spkiDer(fixture('tea-rsa.pub'))).toBe(reference)
    expect(spkiDer(fixture('tea-rsa.pkcs1.pub.pem'))).toBe(reference)
  })

  it('reads ssh-rsa without a comment and with surrounding whitespace', () => {
    const [type, blob] = fixture('tea-rsa.pub').split(' ')
    expect(spkiDer(`\n  ${type} ${blob}\n`)).toBe(reference)
  })

  it.each([
    ['empty', '', 'not a PEM public key or an OpenSSH "ssh-rsa" key'],
    ['garbage', 'hello', 'not a PEM public key or an OpenSSH "ssh-rsa" key'],
    ['ssh-rsa without blob', 'ssh-rsa ', 'not a PEM public key or an OpenSSH "ssh-rsa" key'],
    ['truncated ssh-rsa', 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQAB', 'truncated "ssh-rsa" key'],
    [
      'ssh-rsa blob of another type',
      `ssh-rsa ${Buffer.from('\0\0\0\x07ssh-dss').toString('base64')}`,
      'not an "ssh-rsa" key',
    ],
    [
      'broken PEM',
      '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----',
      'could not parse the PEM public key',
    ],
  ])('refuses %s with a TypeError that does not quote the key', (_name, text, message) => {
    expect(() => parsePublicKey(text)).toThrow(new TypeError(message))
  })

  it('refuses a non-RSA key', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString()
    expect(() => parsePublicKey(pem)).toThrow(new TypeError('expected an RSA key'))
  })
})

describe('parsePrivateKey', () => {
  it('reads PKCS#1 ("RSA PRIVATE KEY", ssh-keygen -m PEM) and PKCS#8', () => {
    const der = (text: string) =>
      parsePrivateKey(text).export({ type: 'pkcs8', format: 'der' }).toString('base64')
    expect(der(fixture('tea-rsa'))).toBe(der(fixture('tea-rsa.pkcs8.pem')))
  })

  it('refuses OpenSSH private keys with a hint, and garbage', () => {
    expect(() =>
      parsePrivateKey(
        '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----',
      ),
    ).toThrow(
      new TypeError('OpenSSH private keys are not supported; convert with `ssh-keygen -p -m PEM`'),
    )
    expect(() => parsePrivateKey('secret')).toThrow(new TypeError('not a PEM private key'))
    expect(() =>
      parsePrivateKey('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----'),
    ).toThrow(new TypeError('could not parse the PEM private key'))
  })
})

describe('assertRsaKeyPair', () => {
  it('accepts a matching pair and refuses another key', () => {
    const priv = parsePrivateKey(fixture('tea-rsa'))
    expect(() => assertRsaKeyPair(priv, parsePublicKey(fixture('tea-rsa.pub')))).not.toThrow()
    expect(() => assertRsaKeyPair(priv, parsePublicKey(fixture('other-rsa.pub')))).toThrow(
      new TypeError('the public key does not match the private key'),
    )
  })

  it('refuses keys under 2048 bits', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 })
    expect(() => assertRsaKeyPair(privateKey, publicKey)).toThrow(
      new TypeError('RS256 needs an RSA key of at least 2048 bits (got 1024)'),
    )
  })
})

describe('looksLikeAsymmetricKey', () => {
  it.each([
    [fixture('tea-rsa.pub'), true],
    [fixture('tea-rsa.spki.pem'), true],
    ['ssh-ed25519 AAAA', true],
    ['ecdsa-sha2-nistp256 AAAA', true],
    ['a-long-random-hmac-secret-0123456789abcdef', false],
  ])('%#', (text, expected) => {
    expect(looksLikeAsymmetricKey(text)).toBe(expected)
  })
})
