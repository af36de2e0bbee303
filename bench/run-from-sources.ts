import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/**
 * Runs the benchmark module `bench` with workspace packages resolved to their sources (the
 * "@tea-ts/source" condition), as in the tests, not to a dist/ that may be older; plain
 * `npx tsx` does not set that condition, so the module is re-run in a child that does.
 */
export async function runFromSources(bench: URL): Promise<void> {
  if (process.execArgv.some((a) => a.includes('@tea-ts/source'))) {
    await import(bench.href)
    return
  }
  const child = spawn(
    process.execPath,
    [
      '--conditions=@tea-ts/source',
      '--import',
      'tsx',
      fileURLToPath(bench),
      ...process.argv.slice(2),
    ],
    { stdio: 'inherit', env: { ...process.env, NODE_NO_WARNINGS: '1' } },
  )
  process.exitCode = await new Promise<number>((resolve) =>
    child.once('exit', (code) => resolve(code ?? 1)),
  )
}
