/**
 * TEA's default `BUCKETNAME_PREFIX` when the variable is unset: `gsfc-ngap-{m}-`, where `m` is
 * the first letter of `MATURITY`, lower-cased.
 *
 * @param maturity `MATURITY`. Default: `'DEV'` (also used for `''`, where TEA would crash).
 * @example
 * ```ts
 * defaultBucketNamePrefix('PROD') // 'gsfc-ngap-p-'
 * defaultBucketNamePrefix()       // 'gsfc-ngap-d-'
 * ```
 */
export function defaultBucketNamePrefix(maturity: string | undefined = 'DEV'): string {
  const initial = [...(maturity === '' ? 'DEV' : maturity)][0] ?? 'd'
  return `gsfc-ngap-${initial.toLowerCase()}-`
}
