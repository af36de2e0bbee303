import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { CliDeps } from '../cli-deps.js'
import { outputSink } from '../testing/index.js'
import { main } from '../main.js'

const EXAMPLE = new URL('../../../edl-emulator/examples/users.yaml', import.meta.url).pathname
const dir = mkdtempSync(join(tmpdir(), 'tea-edl-cli-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Runs `tea` with the signal under the test's control. */
function run(argv: string[], onStdout?: (text: string) => void) {
  let stop = (): void => {}
  const signal = new Promise<void>((resolve) => (stop = resolve))
  const stdout = outputSink(onStdout)
  const stderr = outputSink()
  const deps: CliDeps = { env: {}, stdout, stderr, untilSignal: () => signal, fetch }
  return { exit: main(argv, deps), stop, stdout, stderr }
}

describe('tea edl-emulator', () => {
  it('prints its URL, serves until the signal, then exits 0', async () => {
    let printed: (url: string) => void = () => {}
    const url = new Promise<string>((resolve) => (printed = resolve))
    const cli = run(['edl-emulator', '--users', EXAMPLE, '--port', '0'], (text) => {
      if (text.endsWith('\n')) printed(text.trim())
    })
    const base = await url
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const res = await fetch(`${base}/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from('tea-local:tea-local-secret').toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    })
    expect(res.status).toBe(200)
    cli.stop()
    expect(await cli.exit).toBe(0)
    expect(cli.stderr.text()).toBe('')
    await expect(fetch(`${base}/.well-known/edl_ops_jwks.json`)).rejects.toThrow()
  })

  it('exits 1 naming the file and the problem for a bad users file', async () => {
    const path = join(dir, 'bad.yaml')
    writeFileSync(path, 'users:\n  - uid: demo\napps: []\n')
    const cli = run(['edl-emulator', '--users', path])
    expect(await cli.exit).toBe(1)
    expect(cli.stderr.text()).toBe(
      `Error: ${path}: invalid EDL emulator config: /users/0/password: Expected required property; ` +
        '/users/0/first_name: Expected required property; /users/0/last_name: Expected required property; ' +
        '/users/0/email_address: Expected required property (ERR_EDL_EMULATOR_CONFIG)\n',
    )
    expect(cli.stdout.text()).toBe('')
  })

  it('exits 1 for a missing users file', async () => {
    const path = join(dir, 'missing.yaml')
    const cli = run(['edl-emulator', '--users', path])
    expect(await cli.exit).toBe(1)
    expect(cli.stderr.text()).toBe(
      `Error: ${path}: cannot read the users file (ENOENT) (ERR_EDL_EMULATOR_CONFIG)\n`,
    )
  })

  it.each([
    [['edl-emulator'], "error: required option '--users <file>' not specified"],
    [['edl-emulator', '--users', EXAMPLE, '--port', 'abc'], 'expected an integer from 0 to 65535'],
    [
      ['edl-emulator', '--users', EXAMPLE, '--port', '70000'],
      'expected an integer from 0 to 65535',
    ],
    [['edl-emulator', '--users', EXAMPLE, '--bogus'], "error: unknown option '--bogus'"],
  ])('exits 2 on bad arguments %j', async (argv, message) => {
    const cli = run(argv)
    expect(await cli.exit).toBe(2)
    expect(cli.stderr.text()).toContain(message)
  })
})
