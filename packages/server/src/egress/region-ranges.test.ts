import { describe, expect, it } from 'vitest'
import { regionRanges } from './region-ranges.js'

const doc = {
  syncToken: '1',
  prefixes: [
    { ip_prefix: '3.5.76.0/22', region: 'us-west-2', service: 'S3' },
    { ip_prefix: '52.94.0.0/16', region: 'us-east-1', service: 'AMAZON' },
    { ip_prefix: 'not-a-cidr', region: 'us-west-2', service: 'AMAZON' },
  ],
  ipv6_prefixes: [{ ipv6_prefix: '2600:1f14::/35', region: 'us-west-2', service: 'EC2' }],
}

describe('regionRanges', () => {
  const ranges = regionRanges(doc, 'us-west-2')

  it('keeps only the region, IPv4 and IPv6, and skips malformed entries', () => {
    expect(ranges.size).toBe(2)
  })

  it.each([
    ['3.5.76.1', true],
    ['3.5.79.255', true],
    ['3.5.80.0', false],
    ['52.94.1.1', false],
    ['::ffff:3.5.77.9', true],
    ['2600:1f14:1::1', true],
    ['2600:1f18::1', false],
    ['not an ip', false],
    ['', false],
  ])('%s → %s', (ip, inside) => {
    expect(ranges.contains(ip)).toBe(inside)
  })

  it('refuses a document that is not ip-ranges.json', () => {
    expect(() => regionRanges({ hello: 1 }, 'us-west-2')).toThrow(TypeError)
  })
})
