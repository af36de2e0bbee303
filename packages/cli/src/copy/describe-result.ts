import { formatBytes } from '@tea-ts/transfer'
import type { CopyPrefixResult, CopyResult } from '@tea-ts/transfer'
import type { CopyPlan } from './plan-copy.js'

/** One line for a copied object: what, how much, how fast, how many parts, the ETag. */
export function describeObject(plan: CopyPlan, r: CopyResult): string {
  const rate = formatBytes(Math.round(r.bytes / Math.max(r.seconds, 0.001)))
  const resumed = r.resumed ? ` (resumed ${r.resumed.parts} parts)` : ''
  return (
    `copied s3://${plan.source.bucket}/${plan.source.key} to s3://${plan.dest.bucket}/${plan.dest.key}: ` +
    `${formatBytes(r.bytes)} in ${r.seconds} s (${rate}/s), ${r.parts} parts, ETag ${r.etag}${resumed}\n`
  )
}

/** The summary of a prefix copy. */
export function describePrefix(r: CopyPrefixResult): string {
  return `${r.copied} copied, ${r.skipped} skipped, ${r.failed} failed: ${formatBytes(r.bytes)} in ${r.seconds} s\n`
}
