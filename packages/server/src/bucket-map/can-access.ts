import type { RequiredGroups } from './bucket-map.js'

/**
 * TEA's `_is_accessible`: may a user read an object that needs `required`?
 *
 * @param groups The user's groups for this app; `null` for a request without a login.
 * @example
 * ```ts
 * canAccess('public', null)                  // true
 * canAccess('authenticated', new Set())      // true
 * canAccess(new Set(['a']), new Set(['b']))  // false
 * ```
 */
export function canAccess(required: RequiredGroups, groups: ReadonlySet<string> | null): boolean {
  if (required === 'public') return true
  if (groups === null) return false
  if (required === 'authenticated') return true
  for (const group of required) if (groups.has(group)) return true
  return false
}
