/**
 * Formats an expiry instant as TEA does: Python's `str()` of a UTC datetime, i.e.
 * `YYYY-MM-DD HH:MM:SS+00:00` (a space, not `T`). STS returns whole seconds, so TEA never
 * prints a fraction; sub-second parts are dropped (floored) to keep that shape.
 *
 * @throws TypeError when `date` is not a valid date (a programming error)
 * @example formatExpiration(new Date('2021-01-27T00:50:09Z')) // '2021-01-27 00:50:09+00:00'
 */
export function formatExpiration(date: Date): string {
  const ms = date.getTime()
  if (!Number.isFinite(ms)) throw new TypeError('formatExpiration: invalid date')
  // Credentials vended close together expire in the same second: format each second once.
  const second = Math.floor(ms / 1000)
  if (second === last.second) return last.text
  // toISOString is UTC, `YYYY-MM-DDTHH:MM:SS.sssZ` for years 0000-9999; slicing floors.
  const iso = date.toISOString()
  const text = `${iso.slice(0, 10)} ${iso.slice(11, 19)}+00:00`
  last = { second, text }
  return text
}

let last = { second: Number.NaN, text: '' }
