import { randomBytes } from 'node:crypto'

/**
 * Fuzz settings shared by the fast-check suites. CI runs a fixed seed, so a failure is
 * reproducible from the log; `FUZZ_SEED=<n>` replays another seed and `FUZZ_RUNS=<n>` runs
 * longer, e.g. `FUZZ_RUNS=5000 npx vitest run --project integ test/fuzz-app.test.ts`.
 */
export const FUZZ_SEED = readInteger('FUZZ_SEED') ?? 20_261_201

/** Runs per property: `FUZZ_RUNS` when set, else each suite's CI-sized default. */
export function fuzzRuns(ciDefault: number): number {
  return readInteger('FUZZ_RUNS') ?? ciDefault
}

/**
 * A fresh secret with one recognisable shape: `fzs` and 24 hex digits. Every secret the suites
 * mint looks like this, so one pattern finds any of them in a log line or a body.
 */
export function secretLike(): string {
  return `fzs${randomBytes(12).toString('hex')}`
}

export const SECRET_PATTERN = /fzs[0-9a-f]{24}/

function readInteger(name: string): number | undefined {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return undefined
  const n = Number(raw)
  if (!Number.isSafeInteger(n) || n < 0)
    throw new Error(`${name} must be a whole number (got "${raw}")`)
  return n
}
