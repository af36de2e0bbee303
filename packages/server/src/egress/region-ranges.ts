import { Address4, Address6 } from 'ip-address'

/** Parsed CIDRs of one AWS region, IPv4 and IPv6, matched with ip-address. */
export interface RegionRanges {
  /** Whether `ip` (v4, v6 or v4-mapped v6) lies in any range; false for anything unparsable. */
  contains(ip: string): boolean
  readonly size: number
}

/**
 * Builds the matcher for `region` from AWS's ip-ranges.json document: every `prefixes[]`
 * `ip_prefix` and `ipv6_prefixes[]` `ipv6_prefix` whose `region` equals it, all services (as
 * TEA, which used IPv4 only). Entries that do not parse are skipped.
 *
 * @throws TypeError when the document has neither list (not ip-ranges.json)
 * @example regionRanges(await (await fetch(url)).json(), 'us-west-2').contains('34.223.0.1')
 */
export function regionRanges(document: unknown, region: string): RegionRanges {
  const doc = document as { prefixes?: unknown; ipv6_prefixes?: unknown } | null
  if (
    typeof doc !== 'object' ||
    doc === null ||
    (!Array.isArray(doc.prefixes) && !Array.isArray(doc.ipv6_prefixes))
  ) {
    throw new TypeError('not an AWS ip-ranges document (no prefixes or ipv6_prefixes)')
  }
  const v4: Address4[] = []
  const v6: Address6[] = []
  const collect = (list: unknown, field: 'ip_prefix' | 'ipv6_prefix') => {
    if (!Array.isArray(list)) return
    for (const entry of list as unknown[]) {
      const record = entry as Record<string, unknown> | null
      const cidr = record?.[field]
      if (record?.region !== region || typeof cidr !== 'string') continue
      try {
        if (field === 'ip_prefix') v4.push(new Address4(cidr))
        else v6.push(new Address6(cidr))
      } catch {
        // A malformed entry: skip it rather than lose the whole list.
      }
    }
  }
  collect(doc.prefixes, 'ip_prefix')
  collect(doc.ipv6_prefixes, 'ipv6_prefix')
  return {
    size: v4.length + v6.length,
    contains(ip) {
      if (Address4.isValid(ip)) {
        const address = new Address4(ip)
        return v4.some((range) => address.isInSubnet(range))
      }
      if (!Address6.isValid(ip)) return false
      const address = new Address6(ip)
      if (address.is4()) {
        const mapped = address.to4()
        return v4.some((range) => mapped.isInSubnet(range))
      }
      return v6.some((range) => address.isInSubnet(range))
    },
  }
}
