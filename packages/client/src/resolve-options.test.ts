import { describe, expect, it } from 'vitest'
import { S3CredentialsOptionError } from './errors.js'
import { resolveOptions } from './resolve-options.js'
import type { FromS3CredentialsOptions } from './resolve-options.js'

const endpoint = 'https://data.example.earthdatacloud.nasa.gov/s3credentials'

describe('resolveOptions', () => {
  it('fills in the documented defaults', () => {
    const o = resolveOptions({ endpoint, env: {} })
    // The functions and the home directory come from the machine; the rest are plain values.
    const { fetch, now, random, sleep, logger, homeDir, ...values } = o
    expect([fetch, now, random, sleep, logger.warn].every((f) => typeof f === 'function')).toBe(
      true,
    )
    expect(typeof homeDir).toBe('string')
    expect(values).toEqual({
      endpoint: new URL(endpoint),
      edlOrigin: 'https://urs.earthdata.nasa.gov',
      edlMachine: 'urs.earthdata.nasa.gov',
      appName: undefined,
      token: undefined,
      advisoryRefreshMs: 900_000,
      mandatoryRefreshMs: 300_000,
      minLifetimeMs: 60_000,
      jitterMs: 30_000,
      timeoutMs: 15_000,
      maxAttempts: 4,
      baseDelayMs: 250,
      maxDelayMs: 10_000,
      tokenRenewBeforeMs: 3_600_000,
      env: {},
      store: undefined,
    })
    expect(Object.isFrozen(o)).toBe(true)
  })

  it('reads the endpoint and EDL host from the environment, options first', () => {
    const env = {
      EARTHDATA_S3_CREDENTIALS_URL: endpoint,
      EARTHDATA_HOST: 'uat.urs.earthdata.nasa.gov',
    }
    const fromEnv = resolveOptions({ env })
    expect(fromEnv.endpoint.href).toBe(endpoint)
    expect(fromEnv.edlOrigin).toBe('https://uat.urs.earthdata.nasa.gov')
    const explicit = resolveOptions({
      env,
      endpoint: 'https://other/s3credentials',
      edlHost: 'sit.urs.earthdata.nasa.gov',
    })
    expect(explicit.endpoint.href).toBe('https://other/s3credentials')
    expect(explicit.edlMachine).toBe('sit.urs.earthdata.nasa.gov')
  })

  it('accepts an emulator origin on loopback as edlHost', () => {
    const o = resolveOptions({ endpoint, env: {}, edlHost: 'http://127.0.0.1:4010' })
    expect([o.edlOrigin, o.edlMachine]).toEqual(['http://127.0.0.1:4010', '127.0.0.1'])
    const v6 = resolveOptions({ endpoint, env: {}, edlHost: 'http://[::1]:4010/' })
    expect([v6.edlOrigin, v6.edlMachine]).toEqual(['http://[::1]:4010', '::1'])
  })

  it('allows plain http only to loopback', () => {
    expect(
      resolveOptions({ endpoint: 'http://127.0.0.1:3000/s3credentials', env: {} }).endpoint.port,
    ).toBe('3000')
    expect(
      resolveOptions({ endpoint: 'http://localhost/s3credentials', env: {} }).endpoint.hostname,
    ).toBe('localhost')
  })

  const misuse: [string, FromS3CredentialsOptions, string][] = [
    ['no endpoint', { env: {} }, 'endpoint is required (or set EARTHDATA_S3_CREDENTIALS_URL)'],
    ['a relative endpoint', { endpoint: '/s3credentials' }, 'endpoint is not a URL'],
    [
      'plain http to a remote host',
      { endpoint: 'http://tea.example/s3credentials' },
      'endpoint must use https (plain http is allowed only to a loopback host)',
    ],
    [
      'credentials in the URL',
      { endpoint: 'https://u:p@tea.example/s3credentials' },
      'endpoint must not contain credentials',
    ],
    [
      'an EDL host with a path',
      { endpoint, edlHost: 'https://urs.earthdata.nasa.gov/oauth' },
      'edlHost must be a host name or an origin',
    ],
    [
      'plain http to a remote EDL',
      { endpoint, edlHost: 'http://urs.earthdata.nasa.gov' },
      'edlHost must use https (plain http is allowed only to a loopback host)',
    ],
    [
      'an app name with a space',
      { endpoint, appName: 'my app' },
      'appName must be 1-64 characters from [A-Za-z0-9_+=,.@-]',
    ],
    ['an empty app name', { endpoint, appName: '' }, 'appName must be 1-64'],
    ['a 65-character app name', { endpoint, appName: 'a'.repeat(65) }, 'appName must be 1-64'],
    [
      'an empty token',
      { endpoint, token: '' },
      'token must be a non-empty string without spaces, or a function',
    ],
    ['a token with a newline', { endpoint, token: 'abc\ndef' }, 'token must be a non-empty string'],
    [
      'a negative window',
      { endpoint, advisoryRefreshMs: -1 },
      'advisoryRefreshMs must be a finite number ≥ 0',
    ],
    ['NaN', { endpoint, jitterMs: Number.NaN }, 'jitterMs must be a finite number ≥ 0'],
    [
      'mandatory > advisory',
      { endpoint, advisoryRefreshMs: 60_000, mandatoryRefreshMs: 120_000 },
      'mandatoryRefreshMs must not exceed advisoryRefreshMs',
    ],
    ['zero attempts', { endpoint, maxAttempts: 0 }, 'maxAttempts must be a finite number ≥ 1'],
    ['fractional attempts', { endpoint, maxAttempts: 1.5 }, 'maxAttempts must be an integer ≥ 1'],
    ['a zero timeout', { endpoint, timeoutMs: 0 }, 'timeoutMs must be a finite number ≥ 1'],
  ]
  it.each(misuse)(
    'throws ERR_INVALID_OPTION naming the option for %s',
    (_name, options, message) => {
      const err = (() => {
        try {
          resolveOptions({ env: {}, ...options })
        } catch (e) {
          return e
        }
        return undefined
      })()
      expect(err).toBeInstanceOf(S3CredentialsOptionError)
      expect(err).toMatchObject({ code: 'ERR_INVALID_OPTION', name: 'S3CredentialsOptionError' })
      const { option, message: text } = err as S3CredentialsOptionError
      expect(text.startsWith(message)).toBe(true)
      expect(text.startsWith(`${option} `)).toBe(true)
    },
  )

  it('accepts app names TEA puts in a role session name', () => {
    for (const appName of ['my-app', 'a.b_c+d=e,f@g', 'x'.repeat(64)]) {
      expect(resolveOptions({ endpoint, env: {}, appName }).appName).toBe(appName)
    }
  })
})
