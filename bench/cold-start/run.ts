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
import { runFromSources } from '../run-from-sources.js'

await runFromSources(new URL('./cold-start-bench.ts', import.meta.url))
