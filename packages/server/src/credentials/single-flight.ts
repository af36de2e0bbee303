/** Options for {@link createSingleFlight}. */
export interface SingleFlightOptions {
  /**
   * How long a successful result stays shared after it settled, in ms. The requests of one
   * burst reach us spread over up to seconds (connection set-up, cookie checks; measured in
   * bench/results.md), so sharing only while in flight still makes several calls; a result this
   * young is as good as a new one. Failures are never kept. Default: 5000. 0: in flight only.
   */
  readonly shareSettledMs?: number
  /** Clock in ms. Default: `Date.now`. */
  readonly now?: () => number
}

export interface SingleFlight<T> {
  /** Runs `fn` for `key` unless a call for `key` is in flight or settled within the window. */
  run(key: string, fn: () => Promise<T>): Promise<{ readonly value: T; readonly shared: boolean }>
}

interface Flight<T> {
  readonly promise: Promise<T>
  settledAt?: number
  /** What sharers get, made when the first one comes. */
  sharedResult?: Promise<{ readonly value: T; readonly shared: boolean }>
}

/**
 * Shares one call among identical concurrent requests (smithy `memoize`'s shared in-flight
 * promise, keyed). Entries leave the map when a call fails, and `shareSettledMs` after it
 * succeeds (an unref'd timer, so the map stays small and never keeps the process alive).
 *
 * @example
 * const flights = createSingleFlight<Creds>()
 * const { value, shared } = await flights.run(key, () => sts.assumeRole(input))
 */
export function createSingleFlight<T>(options: SingleFlightOptions = {}): SingleFlight<T> {
  const windowMs = options.shareSettledMs ?? 5000
  if (!(windowMs >= 0) || !Number.isFinite(windowMs)) {
    throw new TypeError('createSingleFlight: shareSettledMs must be a finite number >= 0')
  }
  const now = options.now ?? Date.now
  const flights = new Map<string, Flight<T>>()
  const forget = (key: string, flight: Flight<T>): void => {
    if (flights.get(key) === flight) flights.delete(key)
  }

  // Promise chains rather than async functions: this runs on every /s3credentials request,
  // and each async frame costs a promise and a resumption.
  return {
    run(key, fn) {
      const existing = flights.get(key)
      if (existing !== undefined) {
        const fresh = existing.settledAt === undefined || now() - existing.settledAt < windowMs
        if (fresh) {
          existing.sharedResult ??= existing.promise.then((value) => ({ value, shared: true }))
          return existing.sharedResult
        }
        forget(key, existing)
      }
      let promise: Promise<T>
      try {
        promise = fn()
      } catch (err) {
        return Promise.reject(err as Error)
      }
      const flight: Flight<T> = { promise }
      flights.set(key, flight)
      return promise.then(
        (value) => {
          if (windowMs === 0) forget(key, flight)
          else {
            flight.settledAt = now()
            setTimeout(() => forget(key, flight), windowMs).unref()
          }
          return { value, shared: false }
        },
        (err: unknown) => {
          forget(key, flight)
          throw err
        },
      )
    },
  }
}
