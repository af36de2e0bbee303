/**
 * Reads a `Retry-After` header (delay-seconds or an HTTP-date, RFC 9110 §10.2.3) as a delay in
 * ms. An HTTP-date is measured against the response's `Date` when there is one, so the two
 * server timestamps cancel out any local clock skew. Returns `undefined` when absent or invalid.
 */
export function parseRetryAfter(
  value: string | null,
  serverDate: number | undefined,
  now: number,
): number | undefined {
  if (value === null) return undefined
  const text = value.trim()
  if (/^\d+$/.test(text)) return Number(text) * 1000
  // HTTP-dates always name a day or month; this keeps Date.parse from reading "-1" as a year.
  const at = /[a-z]{3}/i.test(text) ? Date.parse(text) : Number.NaN
  if (Number.isNaN(at)) return undefined
  return Math.max(0, at - (serverDate ?? now))
}
