const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
  t: 1024 ** 4,
  tb: 1024 ** 4,
  tib: 1024 ** 4,
}

/**
 * Parses a size such as `134217728`, `128MiB`, `1GiB`, `1.5GiB` or `64MB`. As in aws-cli, every
 * unit is binary (`MB` = `MiB` = 1024²), case-insensitive.
 *
 * @throws TypeError for anything else, or a size that is not a whole number of bytes.
 * @example
 * ```ts
 * parseByteSize('128MiB') // 134217728
 * ```
 */
export function parseByteSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text)
  const unit = UNITS[m?.[2]?.toLowerCase() ?? 'invalid']
  if (!m || unit === undefined) {
    throw new TypeError(`${JSON.stringify(text)} is not a size (e.g. 134217728, 128MiB, 1GiB)`)
  }
  const bytes = Number(m[1]) * unit
  if (!Number.isSafeInteger(bytes)) {
    throw new TypeError(`${JSON.stringify(text)} is not a whole number of bytes`)
  }
  return bytes
}

/** `1536` → `1.5 KiB`, for messages and progress. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let v = bytes
  let i = 0
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return i === 0 ? `${v} B` : `${v.toFixed(v >= 100 ? 0 : v >= 10 ? 1 : 2)} ${units[i]}`
}
