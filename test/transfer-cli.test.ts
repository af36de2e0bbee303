// `tea copy` through main(argv, deps): usage errors exit 2 before any network call; real copies
// against radosgw read with credentials from a stand-in /s3credentials endpoint and write with
// a --dest-profile from a credentials file.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '@tea-ts/cli'
import type { CliDeps } from '@tea-ts/cli'
import { outputSink } from '@tea-ts/cli/testing'
import { MAX_COPY_PART_SIZE } from '@tea-ts/transfer'
import {
  MiB,
  cleanUpStack,
  md5,
  pattern,
  putBytes,
  readBytes,
  s3CredentialsFetch,
  sha256,
  transferStack,
} from './helpers/transfer-fixtures.js'
import type { TransferStack } from './helpers/transfer-fixtures.js'

const TOKEN = 'edl-token-for-cli-tests'
const ENDPOINT = 'http://127.0.0.1:9/s3credentials'

async function run(argv: string[], extra: Partial<CliDeps> = {}) {
  const stdout = outputSink()
  const stderr = outputSink()
  const code = await main(argv, {
    env: {},
    stdout,
    stderr,
    untilSignal: () => new Promise<void>(() => {}),
    fetch: () => Promise.reject(new Error('no network in this test')),
    ...extra,
  })
  return { code, stdout: stdout.text(), stderr: stderr.text() }
}

describe('tea copy: usage errors exit 2', () => {
  const ok = ['--endpoint', 'https://data.example.org/s3credentials']
  it.each([
    [
      ['copy', 'bucket/key', 's3://dst-bucket/k', ...ok],
      'Error: source: "bucket/key" is not an S3 URL (s3://bucket/key)\n',
    ],
    [
      ['copy', 's3://src-bucket/k', 's3://x/k', ...ok],
      'Error: destination: "s3://x/k" does not name a valid bucket\n',
    ],
    [
      ['copy', 's3://src-bucket', 's3://dst-bucket/k', ...ok],
      'Error: source s3://src-bucket has no key: give s3://src-bucket/<key>, or s3://src-bucket/ to copy the whole bucket\n',
    ],
    [
      ['copy', 's3://src-bucket/dir/', 's3://dst-bucket/file', ...ok],
      "Error: the source is a prefix (it ends in '/'), so the destination must be one too: s3://dst-bucket/file/\n",
    ],
    [
      ['copy', 's3://src-bucket/k', 's3://dst-bucket/k', '--part-size', '1MiB', ...ok],
      'Error: --part-size must be an integer from 5242880 (5 MiB) to 5368709120 (5 GiB), got 1048576 (1.00 MiB)\n',
    ],
    [
      ['copy', 's3://src-bucket/k', 's3://dst-bucket/k', '--part-size', '6GiB', ...ok],
      'Error: --part-size must be an integer from 5242880 (5 MiB) to 5368709120 (5 GiB), got 6442450944 (6.00 GiB)\n',
    ],
    [
      ['copy', 's3://src-bucket/k', 's3://dst-bucket/k', '--part-size', 'huge', ...ok],
      'Error: --part-size: "huge" is not a size (e.g. 134217728, 128MiB, 1GiB)\n',
    ],
    [
      ['copy', 's3://src-bucket/k', 's3://dst-bucket/k', '--concurrency', '0', ...ok],
      'Error: --concurrency must be an integer ≥ 1, got 0\n',
    ],
    [
      ['copy', 's3://src-bucket/k', 's3://dst-bucket/k'],
      'Error: --endpoint is required (or set EARTHDATA_S3_CREDENTIALS_URL)\n',
    ],
    [
      ['copy', 's3://src-bucket/k', 's3://dst-bucket/k', '--endpoint', 'http://example.org/creds'],
      'Error: --endpoint must use https (plain http is allowed only to a loopback host)\n',
    ],
  ])('%j', async (argv, message) => {
    const result = await run(argv)
    expect(result).toEqual({ code: 2, stdout: '', stderr: message })
  })

  it.runIf(MAX_COPY_PART_SIZE < 5 * 1024 ** 3)(
    'refuses a part size above the largest Buffer (4 GiB on Node 20)',
    async () => {
      const argv = ['copy', 's3://src-bucket/k', 's3://dst-bucket/k', '--part-size', '5GiB', ...ok]
      expect(await run(argv)).toEqual({
        code: 2,
        stdout: '',
        stderr:
          'Error: --part-size must be at most 4.00 GiB, the largest Buffer this Node.js can allocate, got 5.00 GiB\n',
      })
    },
  )

  it('exits 2 when an argument is missing', async () => {
    const result = await run(['copy', 's3://src-bucket/k'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain("error: missing required argument 'dest'")
  })
})

describe('tea copy on radosgw', () => {
  let t: TransferStack
  let home: string
  let env: Record<string, string>
  let common: string[]

  beforeAll(async () => {
    t = await transferStack('cli')
    home = await mkdtemp(join(tmpdir(), 'tea-copy-'))
    const credentials = join(home, 'credentials')
    await writeFile(
      credentials,
      `[dest]\naws_access_key_id = ${t.env.dest.accessKeyId}\naws_secret_access_key = ${t.env.dest.secretAccessKey}\n`,
    )
    env = { HOME: home, EARTHDATA_TOKEN: TOKEN, AWS_SHARED_CREDENTIALS_FILE: credentials }
    common = [
      '--endpoint',
      ENDPOINT,
      '--dest-profile',
      'dest',
      '--source-endpoint-url',
      t.env.endpoint,
      '--dest-endpoint-url',
      t.env.endpoint,
      '--source-region',
      t.env.region,
      '--path-style',
      '--no-cache',
    ]
  })

  afterAll(async () => {
    await cleanUpStack(t)
    await rm(home, { recursive: true, force: true })
  })

  it('copies one object, with JSON progress lines on stderr and --json on stdout', async () => {
    const body = pattern(11 * MiB + 7, 31)
    await putBytes(t.owner, t.env.bucket, `${t.prefix}a/file.bin`, body)
    const fetch = s3CredentialsFetch(t.env, TOKEN)
    const src = `s3://${t.env.bucket}/${t.prefix}a/file.bin`
    const dst = `s3://${t.env.destBucket}/${t.prefix}b/`
    const result = await run(['copy', src, dst, ...common, '--part-size', '5MiB', '--json'], {
      env,
      fetch,
    })
    expect(result.code).toBe(0)
    const out = JSON.parse(result.stdout) as Record<string, unknown>
    const md5s = [0, 1, 2].map((i) => md5(body.subarray(i * 5 * MiB, (i + 1) * 5 * MiB)))
    expect(out).toMatchObject({
      bytes: body.length,
      parts: 3,
      etag: `${md5(Buffer.concat(md5s)).toString('hex')}-3`,
      verifiedBy: 'etag',
    })
    const lines = result.stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(lines.at(-1)).toMatchObject({
      event: 'progress',
      bytes: body.length,
      totalBytes: body.length,
    })
    // The object kept its name under the destination prefix.
    const back = await readBytes(t.dest, t.env.destBucket, `${t.prefix}b/file.bin`)
    expect(sha256(back)).toBe(sha256(body))
    expect(fetch.calls[0]).toEqual({ url: ENDPOINT, authorization: `Bearer ${TOKEN}` })
  })

  it('draws a progress bar on a terminal and prints a human summary', async () => {
    const body = pattern(6 * MiB, 32)
    await putBytes(t.owner, t.env.bucket, `${t.prefix}tty.bin`, body)
    const stderr = Object.assign(outputSink(), { isTTY: true, columns: 100 })
    const stdout = outputSink()
    const code = await main(
      [
        'copy',
        `s3://${t.env.bucket}/${t.prefix}tty.bin`,
        `s3://${t.env.destBucket}/${t.prefix}tty.bin`,
        ...common,
        '--part-size',
        '5MiB',
      ],
      {
        env,
        stdout,
        stderr,
        untilSignal: () => new Promise<void>(() => {}),
        fetch: s3CredentialsFetch(t.env, TOKEN),
      },
    )
    expect(code).toBe(0)
    expect(stderr.text()).toContain('100% | 6.00 MiB / 6.00 MiB')
    expect(stdout.text()).toMatch(
      new RegExp(
        `^copied s3://${t.env.bucket}/${t.prefix}tty.bin to s3://${t.env.destBucket}/${t.prefix}tty.bin: 6.00 MiB in [\\d.]+ s \\([\\d.]+ [KMG]?i?B/s\\), 2 parts, ETag [0-9a-f]{32}-2\\n$`,
      ),
    )
  })

  it('copies a prefix and prints a human summary', async () => {
    await putBytes(t.owner, t.env.bucket, `${t.prefix}p/one`, pattern(100, 1))
    await putBytes(t.owner, t.env.bucket, `${t.prefix}p/two`, pattern(200, 2))
    const result = await run(
      [
        'copy',
        `s3://${t.env.bucket}/${t.prefix}p/`,
        `s3://${t.env.destBucket}/${t.prefix}q/`,
        ...common,
      ],
      { env, fetch: s3CredentialsFetch(t.env, TOKEN) },
    )
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^2 copied, 0 skipped, 0 failed: 300 B in [\d.]+ s\n$/)
    expect(await readBytes(t.dest, t.env.destBucket, `${t.prefix}q/two`)).toEqual(pattern(200, 2))
  })

  it('exits 1 with "Error: <message> (<code>)" when the copy fails', async () => {
    const result = await run(
      [
        'copy',
        `s3://${t.env.bucket}/${t.prefix}missing`,
        `s3://${t.env.destBucket}/${t.prefix}missing`,
        ...common,
      ],
      { env, fetch: s3CredentialsFetch(t.env, TOKEN) },
    )
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: `Error: s3://${t.env.bucket}/${t.prefix}missing does not exist (ERR_SOURCE_NOT_FOUND)\n`,
    })
  })
})
