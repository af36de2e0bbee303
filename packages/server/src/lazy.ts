/**
 * Runs `load` on the first call and shares its promise with every later one; a failure is not
 * kept, so the next call tries again. For AWS SDK clients that are imported on first use.
 *
 * @example const sts = lazy(async () => new (await import('@aws-sdk/client-sts')).STSClient({}))
 */
export function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined
  return () =>
    (value ??= load().catch((err: unknown) => {
      value = undefined
      throw err
    }))
}
