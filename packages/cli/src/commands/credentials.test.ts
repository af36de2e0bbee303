import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { teaExpiration } from '@tea-ts/client/testing'
import type { CliDeps } from '../cli-deps.js'
import { main } from '../main.js'
import { outputSink } from '../testing/index.js'

const ENDPOINT = 'https://tea.example/s3credentials'
const TOKEN = 'EDL-cli-test-token'
const HOUR = 3_600_000

interface Run {
  code: number
  stdout: string
  stderr: string
}

let home: string
let requests: { url: string; headers: Headers }[]
let answer: () => Response
let generation: number

/** A TEA answer valid for `lifetimeMs`; whole seconds, as TEA's expiration has no fraction. */
function teaAnswer(lifetimeMs = HOUR): Response {
  generation++
  const now = Math.floor(Date.now() / 1000) * 1000
  return new Response(
    JSON.stringify({
      accessKeyId: `ASIACLI${generation}`,
      secretAccessKey: `secret'${generation}`,
      sessionToken: `token-${generation}`,
      expiration: teaExpiration(now + lifetimeMs),
    }),
    {
      status: 200,
      headers: { 'content-type': 'application/json', date: new Date(now).toUTCString() },
    },
  )
}

async function run(argv: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  const out = outputSink()
  const err = outputSink()
  const deps: CliDeps = {
    env: { HOME: home, EARTHDATA_TOKEN: TOKEN, ...env },
    stdout: out,
    stderr: err,
    untilSignal: () => new Promise(() => {}),
    fetch: async (input, init) => {
      requests.push({ url: String(input), headers: new Headers(init?.headers) })
      return answer()
    },
  }
  const code = await main(argv, deps)
  return { code, stdout: out.text(), stderr: err.text() }
}

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'tea-cli-home-'))
  requests = []
  generation = 0
  answer = () => teaAnswer()
})

/** Makes every cached entry expire `leftMs` from now, as if the cache had aged. */
function ageCache(leftMs: number): string {
  const path = join(home, '.cache', 'tea-ts', 's3credentials.json')
  const file = JSON.parse(readFileSync(path, 'utf8')) as {
    entries: Record<string, { expiration: string }>
  }
  const expiration = new Date(Date.now() + leftMs).toISOString()
  for (const entry of Object.values(file.entries)) entry.expiration = expiration
  writeFileSync(path, JSON.stringify(file), { mode: 0o600 })
  return expiration
}

const expirationOf = (r: Run) => (JSON.parse(r.stdout) as { Expiration: string }).Expiration

describe('tea credentials', () => {
  it('--format process prints the AWS credential_process document', async () => {
    const r = await run([
      'credentials',
      '--endpoint',
      ENDPOINT,
      '--app-name',
      'cli-test',
      '--format',
      'process',
    ])
    expect(r).toMatchObject({ code: 0, stderr: '' })
    const doc = JSON.parse(r.stdout) as Record<string, unknown>
    expect(doc).toEqual({
      Version: 1,
      AccessKeyId: 'ASIACLI1',
      SecretAccessKey: "secret'1",
      SessionToken: 'token-1',
      Expiration: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    })
    expect(Date.parse(expirationOf(r)) - Date.now()).toBeGreaterThan(HOUR - 5000)
    expect(requests).toHaveLength(1)
    expect(requests[0]?.url).toBe(ENDPOINT)
    expect(requests[0]?.headers.get('authorization')).toBe(`Bearer ${TOKEN}`)
    expect(requests[0]?.headers.get('app-name')).toBe('cli-test')
  })

  it('--format env prints shell-quoted export lines', async () => {
    const r = await run(['credentials', '--endpoint', ENDPOINT, '--format', 'env', '--no-cache'])
    expect(r.code).toBe(0)
    const lines = r.stdout.split('\n')
    expect(lines.slice(0, 3)).toEqual([
      "export AWS_ACCESS_KEY_ID='ASIACLI1'",
      "export AWS_SECRET_ACCESS_KEY='secret'\\''1'",
      "export AWS_SESSION_TOKEN='token-1'",
    ])
    expect(lines[3]).toMatch(/^export AWS_CREDENTIAL_EXPIRATION='\d{4}-\d\d-\d\dT[\d:.]+Z'$/)
    expect(lines).toHaveLength(5)
  })

  it("prints TEA's JSON shape by default, reading the endpoint from the environment", async () => {
    const r = await run(['credentials', '--no-cache'], { EARTHDATA_S3_CREDENTIALS_URL: ENDPOINT })
    expect(r.code).toBe(0)
    expect(Object.keys(JSON.parse(r.stdout) as object)).toEqual([
      'accessKeyId',
      'secretAccessKey',
      'sessionToken',
      'expiration',
    ])
  })

  it('caches in ~/.cache/tea-ts (mode 0600) and reuses the credentials on the next run', async () => {
    const args = ['credentials', '--endpoint', ENDPOINT, '--format', 'process']
    const first = await run(args)
    const path = join(home, '.cache', 'tea-ts', 's3credentials.json')
    expect(statSync(path).mode & 0o777).toBe(0o600)
    const second = await run(args)
    expect(second.stdout).toBe(first.stdout)
    expect(requests).toHaveLength(1)
    // A different app-name is a different cache entry.
    await run([...args, '--app-name', 'other'])
    expect(requests).toHaveLength(2)
  })

  it('honours XDG_CACHE_HOME and --cache-file', async () => {
    const xdg = join(home, 'xdg')
    await run(['credentials', '--endpoint', ENDPOINT], { XDG_CACHE_HOME: xdg })
    expect(existsSync(join(xdg, 'tea-ts', 's3credentials.json'))).toBe(true)
    const file = join(home, 'custom', 'creds.json')
    await run(['credentials', '--endpoint', ENDPOINT, '--cache-file', file])
    expect(statSync(file).mode & 0o777).toBe(0o600)
  })

  it('refetches once cached credentials are within the 15-minute advisory window', async () => {
    const args = ['credentials', '--endpoint', ENDPOINT, '--format', 'process']
    await run(args)
    ageCache(14 * 60_000)
    const second = await run(args)
    expect(requests).toHaveLength(2)
    expect(JSON.parse(second.stdout)).toMatchObject({ AccessKeyId: 'ASIACLI2' })
  })

  it('falls back to cached credentials outside the mandatory window when the endpoint is down', async () => {
    const args = ['credentials', '--endpoint', ENDPOINT, '--format', 'process']
    await run(args)
    const expiration = ageCache(10 * 60_000)
    // The retries back off for real: about a second in all.
    answer = () => new Response('{}', { status: 500 })
    const second = await run(args)
    expect(second.code).toBe(0)
    expect(JSON.parse(second.stdout)).toMatchObject({
      AccessKeyId: 'ASIACLI1',
      Expiration: expiration,
    })
    expect(requests).toHaveLength(5)
    expect(second.stderr).toMatch(
      /^warning: refreshing S3 credentials failed: The credentials endpoint https:\/\/tea\.example\/s3credentials answered 500 \(gave up after 4 attempts\) \(ERR_UNAVAILABLE\); still using credentials that expire at /,
    )
  })

  it('--no-cache neither reads nor writes a cache', async () => {
    await run(['credentials', '--endpoint', ENDPOINT, '--no-cache'])
    await run(['credentials', '--endpoint', ENDPOINT, '--no-cache'])
    expect(requests).toHaveLength(2)
    expect(existsSync(join(home, '.cache'))).toBe(false)
  })

  it('exits 1 with "Error: <message> (<code>)" on a EULA refusal', async () => {
    answer = () =>
      new Response(
        JSON.stringify({
          error_description: 'EULA Acceptance Failure',
          resolution_url: 'https://urs.earthdata.nasa.gov/approve_app?client_id=x',
        }),
        { status: 403, headers: { 'content-type': 'application/json' } },
      )
    const r = await run(['credentials', '--endpoint', ENDPOINT])
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe(
      "Error: EULA Acceptance Failure: Earthdata Login requires accepting an application's EULA " +
        'before credentials are vended by https://tea.example/s3credentials. Accept it at ' +
        'https://urs.earthdata.nasa.gov/approve_app?client_id=x and try again. (ERR_EULA_NOT_ACCEPTED)\n',
    )
  })

  it('exits 1 with ERR_NO_TOKEN when no EDL token is configured', async () => {
    const r = await run(['credentials', '--endpoint', ENDPOINT], { EARTHDATA_TOKEN: undefined })
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/^Error: No Earthdata Login token: .* \(ERR_NO_TOKEN\)\n$/)
    expect(requests).toHaveLength(0)
  })

  it.each([
    [['credentials'], 'Error: --endpoint is required (or set EARTHDATA_S3_CREDENTIALS_URL)\n'],
    [
      ['credentials', '--endpoint', 'http://tea.example/s3credentials'],
      'Error: --endpoint must use https (plain http is allowed only to a loopback host)\n',
    ],
    [
      ['credentials', '--endpoint', ENDPOINT, '--app-name', 'bad name'],
      'Error: --app-name must be 1-64 characters from [A-Za-z0-9_+=,.@-]\n',
    ],
    [
      ['credentials', '--endpoint', ENDPOINT, '--cache-file', '/tmp/x', '--no-cache'],
      'Error: --cache-file and --no-cache cannot be used together\n',
    ],
    [
      ['credentials', '--endpoint', ENDPOINT, '--edl-host', 'http://urs.example'],
      'Error: --edl-host must use https (plain http is allowed only to a loopback host)\n',
    ],
  ])('exits 2 for misuse: %j', async (argv, stderr) => {
    const r = await run(argv)
    expect(r).toEqual({ code: 2, stdout: '', stderr })
    expect(requests).toHaveLength(0)
  })

  it('exits 2 for an unknown format (commander)', async () => {
    const r = await run(['credentials', '--endpoint', ENDPOINT, '--format', 'yaml'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(
      "error: option '--format <format>' argument 'yaml' is invalid. Allowed choices are json, env, process.",
    )
  })
})
