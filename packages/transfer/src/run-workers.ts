/**
 * Runs `count` workers that pull items from one shared iterator until it is exhausted (the
 * lib-storage `queueSize` model: at most `count` items are in flight). The first failure
 * aborts `stop` (so the other workers quit pulling and cancel their in-flight requests);
 * once every worker has settled, that first error is rethrown.
 *
 * @example
 * ```ts
 * await runWorkers(pendingParts(plan), 4, (part) => copyPart(part), new AbortController())
 * ```
 */
export async function runWorkers<T>(
  items: Iterator<T>,
  count: number,
  work: (item: T, worker: number) => Promise<void>,
  stop: AbortController,
): Promise<void> {
  let first: { error: unknown } | undefined
  const worker = async (id: number): Promise<void> => {
    while (!stop.signal.aborted) {
      const next = items.next()
      if (next.done === true) return
      try {
        await work(next.value, id)
      } catch (error) {
        first ??= { error }
        stop.abort(error)
        return
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, count) }, (_, i) => worker(i)))
  if (first) throw first.error
  if (stop.signal.aborted) throw stop.signal.reason
}
