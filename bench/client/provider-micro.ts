import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types'
import { median, round } from './run-calls.js'

/** Cost of one awaited provider call, without the network. */
export interface MicroResult {
  readonly iterations: number
  readonly repeats: number
  /** Median over repeats, ns per awaited call. */
  readonly bareNsPerCall: number
  readonly providerNsPerCall: number
  readonly overheadNsPerCall: number
}

async function nsPerCall(provider: AwsCredentialIdentityProvider, iterations: number) {
  const t0 = process.hrtime.bigint()
  for (let i = 0; i < iterations; i++) await provider()
  return Number(process.hrtime.bigint() - t0) / iterations
}

/**
 * Awaits `provider()` (warm: its cache answers) and a bare `async () => creds` in a tight
 * loop, alternating the two `repeats` times after one warm-up pass each, and keeps the medians.
 * Sequential awaits, so each figure includes one promise resolution, as the SDK pays it.
 */
export async function measureProviderCall(
  provider: AwsCredentialIdentityProvider,
  creds: AwsCredentialIdentity,
  iterations = 1_000_000,
  repeats = 5,
): Promise<MicroResult> {
  const bare: AwsCredentialIdentityProvider = async () => creds
  await nsPerCall(bare, iterations / 10)
  await nsPerCall(provider, iterations / 10)
  const bareRuns: number[] = []
  const providerRuns: number[] = []
  for (let r = 0; r < repeats; r++) {
    bareRuns.push(await nsPerCall(bare, iterations))
    providerRuns.push(await nsPerCall(provider, iterations))
  }
  const b = median(bareRuns)
  const p = median(providerRuns)
  return {
    iterations,
    repeats,
    bareNsPerCall: round(b, 1),
    providerNsPerCall: round(p, 1),
    overheadNsPerCall: round(p - b, 1),
  }
}
