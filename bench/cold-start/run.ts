/**
 * Lambda cold-start benchmark (issue 11). Run from the repo root with the local stack loaded:
 *
 *   set -a; eval "$(bash scripts/s3-stack.sh start .rgw)"; set +a
 *   npm run bench:cold-start -- [--runs 20] [--no-write]
 *
 * Packages the Lambdas as `npm run package` does, unzips them, and per run starts a fresh Node
 * process per case that imports the package and handles one or two events against the local
 * stack. Writes bench/results/cold-start.json and the "Lambda cold start" section of
 * bench/results.md (see cold-start-bench.ts for the cases).
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

// Workspace packages resolve to their sources (the "@tea-ts/source" condition), as in the tests.
if (process.execArgv.some((a) => a.includes('@tea-ts/source'))) {
  await import('./cold-start-bench.js')
} else {
  const bench = fileURLToPath(new URL('./cold-start-bench.ts', import.meta.url))
  const child = spawn(
    process.execPath,
    ['--conditions=@tea-ts/source', '--import', 'tsx', bench, ...process.argv.slice(2)],
    { stdio: 'inherit', env: { ...process.env, NODE_NO_WARNINGS: '1' } },
  )
  process.exitCode = await new Promise<number>((resolve) =>
    child.once('exit', (code) => resolve(code ?? 1)),
  )
}
