/**
 * Client benchmark (issue 5): the provider's overhead per S3 call against static credentials,
 * and credential fetches per 10,000 calls. Run from the repo root with the local stack loaded:
 *
 *   set -a; eval "$(bash scripts/s3-stack.sh start .rgw)"; set +a
 *   npx tsx bench/client/run.ts [--calls 10000] [--concurrency 32] [--rounds 3] [--op head|get]
 *                               [--fake-step-s 3.6] [--budget-s 170] [--no-write]
 *
 * Writes bench/results/client.json and the "Client: provider overhead" section of
 * bench/results.md (see client-bench.ts for the cases).
 */
import { runFromSources } from '../run-from-sources.js'

await runFromSources(new URL('./client-bench.ts', import.meta.url))
