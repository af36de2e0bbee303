// TEA serialises `expiration` with Python's str(datetime): "2021-01-27 00:50:09+00:00" (a space,
// a numeric offset). Cumulus and other servers send ISO-8601 "2021-01-27T00:50:09Z". Date.parse
// is implementation-defined for the space form, and smithy's RFC 3339 parser rejects it, so the
// grammar is spelled out here. A timestamp without a zone is ambiguous and rejected.
const EXPIRATION =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/

/**
 * Parses an `/s3credentials` expiration timestamp into epoch milliseconds. Accepts TEA's
 * `YYYY-MM-DD HH:MM:SS[.ffffff]±HH:MM` and ISO-8601 / RFC 3339 (`T` separator, `Z` or an offset).
 * Returns `undefined` for anything else, including out-of-range fields and zone-less times.
 *
 * @example
 * ```ts
 * parseExpiration('2021-01-27 00:50:09+00:00') // 1611708609000
 * ```
 */
export function parseExpiration(text: string): number | undefined {
  const m = EXPIRATION.exec(text)
  if (!m) return undefined
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ]
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) {
    return undefined
  }
  const fraction = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000)
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, fraction)
  // Date.UTC rolls 31 February into March; a real timestamp never needs that.
  if (new Date(utc).getUTCDate() !== day) return undefined
  if (m[8] !== undefined) return utc
  const offsetHours = Number(m[10])
  const offsetMinutes = Number(m[11])
  if (offsetHours > 23 || offsetMinutes > 59) return undefined
  const sign = m[9] === '-' ? -1 : 1
  return utc - sign * (offsetHours * 60 + offsetMinutes) * 60_000
}
