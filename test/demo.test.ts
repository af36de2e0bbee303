// `npm run demo` (scripts/demo.sh) end to end, non-interactively: DEMO_NO_WAIT=1 makes it start
// everything, verify, print and stop. It uses the shared radosgw data dir, so a running stack is
// reused and left running.
import { execFile, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import type { Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import { keepLog, recordSecrets } from './log-audit/log-capture.js'

const repo = resolve(import.meta.dirname, '..')
const rgwDir = process.env.RGW_DATA_DIR || join(repo, '.rgw')
const object = (path: string): string =>
  readFileSync(join(repo, 'scripts/demo/objects', path), 'utf8').trimEnd()

interface Run {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
  readonly ms: number
}

/** Runs the demo to completion; kills it (and fails) after `timeoutMs`. */
function runDemo(env: Record<string, string>, timeoutMs: number): Promise<Run> {
  const started = Date.now()
  const child = spawn('bash', ['scripts/demo.sh'], {
    cwd: repo,
    env: { ...process.env, DEMO_NO_WAIT: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs)
  return new Promise((done) =>
    child.on('close', (code) => {
      clearTimeout(timer)
      done({ code, stdout, stderr, ms: Date.now() - started })
    }),
  )
}

/** A port that was free a moment ago (the kernel's pick for port 0). */
async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  const address = server.address()
  await new Promise((ok) => server.close(ok))
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}

async function listening(port: number): Promise<boolean> {
  const server = createServer()
  return new Promise((answer) => {
    server.once('error', () => answer(true))
    server.listen(port, '127.0.0.1', () => server.close(() => answer(false)))
  })
}

async function stackRunning(): Promise<boolean> {
  return promisify(execFile)('bash', ['scripts/s3-stack.sh', 'status', rgwDir], { cwd: repo })
    .then(() => true)
    .catch(() => false)
}

beforeAll(async () => {
  // tea.js loads the compiled CLI; `npm ci` builds it, a bare checkout may not have.
  if (!existsSync(join(repo, 'packages/cli/dist/bin.js'))) {
    await promisify(execFile)('npm', ['run', 'build'], { cwd: repo })
  }
}, 300_000)

describe('npm run demo (scripts/demo.sh)', () => {
  it('starts everything, vends credentials that aws-cli uses, prints how, and stops what it started', async () => {
    const [port, edlPort] = [await freePort(), await freePort()]
    const stackBefore = await stackRunning()
    const demoDir = mkdtempSync(join(tmpdir(), 'tea-demo-'))
    const run = await runDemo(
      {
        DEMO_PORT: String(port),
        DEMO_EDL_PORT: String(edlPort),
        DEMO_DIR: demoDir,
        DEMO_RGW_DIR: rgwDir,
      },
      300_000,
    )
    // The log audit: `tea serve`'s own log, and the token and credentials the demo printed.
    keepLog('demo-tea-serve', readFileSync(join(demoDir, 'server.log'), 'utf8'))
    keepLog('demo-edl-emulator', readFileSync(join(demoDir, 'edl-emulator.log'), 'utf8'))
    recordSecrets(
      /^ {6}export TOKEN=(\S+)$/m.exec(run.stdout)?.[1],
      ...[...run.stdout.matchAll(/"(?:secretAccessKey|sessionToken)":"([^"]+)"/g)].map((m) => m[1]),
    )
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' })
    const lines = run.stdout.split('\n')

    // The printed curl command, and the JSON it printed: exactly TEA's four keys.
    const base = `http://127.0.0.1:${port}`
    const curl = lines.findIndex((line) => line.startsWith('$ curl '))
    expect(lines[curl]).toBe(
      `$ curl -sS -H "Authorization: Bearer $TOKEN" -H "app-name: demo" ${base}/s3credentials`,
    )
    const creds: unknown = JSON.parse(lines[curl + 1] ?? '')
    expect(Object.keys(creds as object)).toEqual([
      'accessKeyId',
      'secretAccessKey',
      'sessionToken',
      'expiration',
    ])
    expect((creds as { expiration: string }).expiration).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+00:00$/,
    )

    // What the demo verified, in order.
    const oks = lines
      .filter((l) => l.startsWith('OK: '))
      .map((l) => l.replace(/ \(\d+\.\d s\)$/, ''))
    expect(oks).toEqual([
      expect.stringMatching(/^OK: curl, aws-cli \(\S+\) present$/),
      expect.stringMatching(
        /^OK: radosgw at http:\/\/127\.0\.0\.1:\d+, role arn:aws:iam:::role\/\S+$/,
      ),
      'OK: put 4 objects: s3://other-bucket/private/secret.txt s3://other-bucket/shared/readme.txt s3://test-bucket/public/hello.txt s3://test-bucket/science/data.txt',
      'OK: jwt-key.json (RSA 2048), urs-creds.json, aws-config',
      expect.stringMatching(/^OK: EDL emulator answers \(pid \d+\)$/),
      expect.stringMatching(/^OK: tea serve answers \/version \(pid \d+\)$/),
      expect.stringMatching(/^OK: EDL user token \(\d+ characters\)$/),
      `OK: /s3credentials keys: accessKeyId,secretAccessKey,sessionToken,expiration (expires ${(creds as { expiration: string }).expiration})`,
      'OK: list s3://test-bucket/science/ -> data.txt',
      `OK: read s3://test-bucket/science/data.txt -> ${object('test-bucket/science/data.txt')}`,
      'OK: denied PutObject s3://test-bucket/science/upload.txt (read-only)',
      'OK: denied GetObject s3://other-bucket/private/secret.txt (group admin only: the session policy at work)',
      `OK: credential_process read s3://test-bucket/public/hello.txt -> ${object('test-bucket/public/hello.txt')}`,
      'OK: browser login as demo: cookie asf-urs, then /s3credentials gave credentials',
      expect.stringMatching(
        /^OK: download http:\/\/127\.0\.0\.1:\d+\/test\/science\/data\.txt -> 303 -> 200 from radosgw$/,
      ),
      `OK: noeula gets 403 with resolution_url http://127.0.0.1:${edlPort}/approve_app?client_id=tea-local`,
    ])

    // The hand-made commands it printed.
    expect(run.stdout).toMatch(
      /^\$ curl -sS -L -b \S+cookies\.txt http:\/\/127\.0\.0\.1:\d+\/test\/science\/data\.txt$/m,
    )
    expect(run.stdout).toMatch(/^ {6}export TOKEN=eyJ[\w-]+\.[\w-]+\.[\w-]+$/m)
    expect(run.stdout).toContain(
      `      http://127.0.0.1:${edlPort}/oauth/authorize?client_id=tea-local&response_type=code&redirect_uri=${encodeURIComponent(`${base}/login`)}&state=%2Fs3credentials\n`,
    )
    expect(run.stdout).toMatch(
      /^ {6}(\/usr\/bin\/)?aws s3 cp s3:\/\/test-bucket\/science\/data\.txt - --endpoint-url http:\/\/127\.0\.0\.1:\d+$/m,
    )
    expect(run.stdout).toMatch(
      new RegExp(
        `^ {6}credential_process = \\S+ ${join(repo, 'packages/cli/bin/tea.js')} credentials --format process --endpoint ${base}/s3credentials --edl-host http://127.0.0.1:${edlPort} --app-name demo$`,
        'm',
      ),
    )

    // Stopped what it started; left the shared stack as it was.
    expect(run.stdout).toMatch(/\nstopped tea serve\nstopped the EDL emulator\n/)
    expect(await listening(port)).toBe(false)
    expect(await listening(edlPort)).toBe(false)
    expect(await stackRunning()).toBe(stackBefore)
    console.log(`demo: ${(run.ms / 1000).toFixed(1)} s (stack ${stackBefore ? 'warm' : 'cold'})`)
  }, 320_000)

  it('refuses a taken port at once, naming the variable to change', async () => {
    const [port, edlPort] = [await freePort(), await freePort()]
    const squatter: Server = createServer()
    await new Promise<void>((ok) => squatter.listen(port, '127.0.0.1', ok))
    try {
      const run = await runDemo(
        {
          DEMO_PORT: String(port),
          DEMO_EDL_PORT: String(edlPort),
          DEMO_DIR: mkdtempSync(join(tmpdir(), 'tea-demo-')),
        },
        60_000,
      )
      expect(run.code).toBe(1)
      expect(run.stderr).toMatch(
        new RegExp(
          `^FAIL: port ${port} \\(tea serve, DEMO_PORT\\) is already in use( by users:\\(.*\\))?\\. ` +
            `Stop that process, or pick another port: DEMO_PORT=<port> npm run demo\\n$`,
        ),
      )
      expect(run.stdout).not.toContain('OK: ')
    } finally {
      await new Promise((ok) => squatter.close(ok))
    }
  })
})
