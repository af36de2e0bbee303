/**
 * Client benchmark (issue 5): the provider's overhead per S3 call against static credentials,
 * and credential fetches per 10,000 calls. Run from the repo root with the local stack loaded:
 *
 *   set -a; eval "$(bash scripts/s3-stack.sh start /work/main/.rgw)"; set +a
 *   npx tsx bench/client/run.ts [--calls 10000] [--concurrency 32] [--rounds 3] [--op head|get]
 *                               [--fake-step-s 3.6] [--budget-s 170] [--no-write]
 *
 * Writes bench/results/client.json and the "Client: provider overhead" section of
 * bench/results.md (see client-bench.ts for the cases).
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

// Workspace packages must resolve to their sources (the "@tea-ts/source" condition), as in
// the tests, not to a dist/ that may be older; plain `npx tsx` does not set that condition.
if (process.execArgv.some((a) => a.includes('@tea-ts/source'))) {
  await import('./client-bench.js')
} else {
  const bench = fileURLToPath(new URL('./client-bench.ts', import.meta.url))
  const child = spawn(
    process.execPath,
    ['--conditions=@tea-ts/source', '--import', 'tsx', bench, ...process.argv.slice(2)],
    { stdio: 'inherit', env: { ...process.env, NODE_NO_WARNINGS: '1' } },
  )
  process.exitCode = await new Promise<number>((resolve) =>
    child.once('exit', (code) => resolve(code ?? 1)),
  )
}
