import { partRange } from './plan-parts.js'
import type { PartPlan, PartRange } from './plan-parts.js'

/**
 * The ranges of the parts of `plan` still to copy, in order: one shared generator that the
 * workers pull from, so each part is handed out exactly once.
 */
export function* pendingParts(
  plan: PartPlan,
  skip: ReadonlySet<number> = new Set(),
): Generator<PartRange> {
  for (let n = 1; n <= plan.partCount; n++) {
    if (!skip.has(n)) yield partRange(plan, n)
  }
}
