import { createHash } from 'node:crypto'
import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'

/** Which build of tea a run measured: a hash of the compiled files, and whether sources are newer. */
export interface BuildStamp {
  /** First 12 hex digits of a SHA-256 over every dist/**.js of transfer, client and cli. */
  readonly distHash: string
  /** Source files (src/**.ts, tests excluded) modified after the newest dist file: the build is stale. */
  readonly staleSources: readonly string[]
}

const PACKAGES = ['transfer', 'client', 'cli']

async function files(dir: string, suffix: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => [])
  return entries
    .filter((e) => e.isFile() && e.name.endsWith(suffix))
    .map((e) => join(e.parentPath, e.name))
    .sort()
}

/**
 * Stamps the build `tea copy` runs from (packages/cli/bin/tea.js loads dist/), so a result can
 * be tied to code, and a rebuild by someone else during the bench (the tree is shared) shows as
 * a different stamp at the end.
 */
export async function buildStamp(repoRoot: string): Promise<BuildStamp> {
  const hash = createHash('sha256')
  let newestDist = 0
  const sources: { path: string; mtime: number }[] = []
  for (const pkg of PACKAGES) {
    for (const f of await files(join(repoRoot, 'packages', pkg, 'dist'), '.js')) {
      hash.update(f).update(await readFile(f))
      newestDist = Math.max(newestDist, (await stat(f)).mtimeMs)
    }
    for (const f of await files(join(repoRoot, 'packages', pkg, 'src'), '.ts')) {
      if (!f.endsWith('.test.ts')) sources.push({ path: f, mtime: (await stat(f)).mtimeMs })
    }
  }
  const stale = sources
    .filter((s) => s.mtime > newestDist)
    .map((s) => s.path.slice(repoRoot.length + 1))
  return { distHash: hash.digest('hex').slice(0, 12), staleSources: stale }
}
