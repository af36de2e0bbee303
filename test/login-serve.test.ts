import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '@tea-ts/cli'
import type { CliDeps } from '@tea-ts/cli'
import { outputSink } from '@tea-ts/cli/testing'
import { TEST_CLIENT_ID, TEST_CLIENT_PASSWORD } from '@tea-ts/server/testing'

/** `tea serve` through main(): config from the environment, a real port, clean shutdown. */

const b64 = (text: string): string => Buffer.from(text).toString('base64')
const key = (name: string): string =>
  readFileSync(new URL(`fixtures/keys/${name}`, import.meta.url), 'utf8')

function secretFiles(): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'tea-serve-'))
  const urs = join(dir, 'urs.json')
  const jwt = join(dir, 'jwt.json')
  writeFileSync(
    urs,
    JSON.stringify({
      UrsId: TEST_CLIENT_ID,
      UrsAuth: b64(`${TEST_CLIENT_ID}:${TEST_CLIENT_PASSWORD}`),
    }),
  )
  writeFileSync(
    jwt,
    JSON.stringify({ rsa_priv_key: b64(key('tea-rsa')), rsa_pub_key: b64(key('tea-rsa.pub')) }),
  )
  return { URS_CREDS_SECRET_FILE: urs, JWT_KEY_SECRET_FILE: jwt, LOGLEVEL: 'silent' }
}

function cliDeps(env: Record<string, string>) {
  let stop = (): void => undefined
  const stopped = new Promise<void>((resolve) => (stop = resolve))
  let onListening: (line: string) => void = () => undefined
  const listening = new Promise<string>((resolve) => (onListening = resolve))
  const stdout = outputSink((text) => {
    if (text.includes('\n')) onListening(text)
  })
  const stderr = outputSink()
  const deps: CliDeps = {
    env,
    stdout,
    stderr,
    untilSignal: () => stopped,
    fetch: globalThis.fetch,
  }
  return { deps, stop, listening, stderr: () => stderr.text() }
}

describe('tea serve', () => {
  it('listens on --port, serves, and stops on the signal with exit 0', async () => {
    const cli = cliDeps({ ...secretFiles(), BUILD_VERSION: 'serve-test' })
    const exit = main(['serve', '--port', '0'], cli.deps)
    const line = await cli.listening
    const url = /^listening on (http:\/\/127\.0\.0\.1:\d+)\n$/.exec(line)?.[1]
    expect(url).toBeDefined()
    const res = await fetch(`${url}/version`)
    expect(await res.json()).toEqual({ version_id: 'serve-test' })
    cli.stop()
    expect(await exit).toBe(0)
    await expect(fetch(`${url}/version`)).rejects.toThrow()
  })

  it('exits 1 naming every bad variable', async () => {
    const cli = cliDeps({ PORT: 'abc', JWT_ALGO: 'none', LOGLEVEL: 'silent' })
    expect(await main(['serve'], cli.deps)).toBe(1)
    expect(cli.stderr()).toBe(
      'Error: Invalid configuration: JWT_ALGO: must be one of RS256, HS256 (got "none"); ' +
        'URS_CREDS_SECRET_NAME: required (or URS_CREDS_SECRET_FILE, a JSON file with the same content); ' +
        'JWT_KEY_SECRET_NAME: required (or JWT_KEY_SECRET_FILE, a JSON file with the same content); ' +
        'PORT: must be an integer from 0 to 65535 (got "abc") (ERR_CONFIG)\n',
    )
  })

  it('exits 2 for a bad --port', async () => {
    const cli = cliDeps(secretFiles())
    expect(await main(['serve', '--port', 'x'], cli.deps)).toBe(2)
    expect(cli.stderr()).toContain(
      "option '--port <n>' argument 'x' is invalid. expected an integer from 0 to 65535",
    )
  })
})
