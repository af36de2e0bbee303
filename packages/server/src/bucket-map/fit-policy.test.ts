import { describe, expect, test } from 'vitest'
import type { BucketMap } from './bucket-map.js'
import { canAccess } from './can-access.js'
import { fitPolicy } from './fit-policy.js'
import type { IamPolicy, IamStatement } from './iam-policy.js'
import { parseBucketMap } from './parse-bucket-map.js'
import { policyAllows } from './policy-allows.js'
import { grantsToPolicy, policyGrants, simplifyGrants } from './policy-grants.js'
import { policyJson } from './policy-json.js'
import { PolicyTooLargeError } from './policy-too-large.js'
import { requiredGroups } from './required-groups.js'
import { toIamPolicy } from './to-iam-policy.js'

const policy = (...Statement: IamStatement[]): IamPolicy => ({ Version: '2012-10-17', Statement })
const get = (...Resource: string[]): IamStatement => ({
  Effect: 'Allow',
  Action: ['s3:GetObject'],
  Resource,
})
const getList = (...Resource: string[]): IamStatement => ({
  Effect: 'Allow',
  Action: ['s3:GetObject', 's3:ListBucket'],
  Resource,
})
const list = (Resource: string[], prefixes: string[]): IamStatement => ({
  Effect: 'Allow',
  Action: ['s3:ListBucket'],
  Resource,
  Condition: { StringLike: { 's3:prefix': prefixes } },
})
const shrink = (p: IamPolicy): IamPolicy => {
  const grants = policyGrants(p)
  simplifyGrants(grants)
  return grantsToPolicy(grants)
}

describe('fitPolicy: contract', () => {
  test('a policy that fits is returned unchanged, with its TEA JSON', () => {
    const p = policy(getList('arn:aws:s3:::b', 'arn:aws:s3:::b/*'))
    const fitted = fitPolicy(p)
    expect(fitted.policy).toBe(p)
    expect(fitted.json).toBe(policyJson(p))
    expect(fitPolicy(p, { maxChars: fitted.json.length }).policy).toBe(p)
  })

  test.each([0, -1, 1.5, Number.NaN])('maxChars %s is a TypeError', (maxChars) => {
    expect(() => fitPolicy(policy(), { maxChars })).toThrow(TypeError)
  })

  test('the default limit is 2048 characters', () => {
    const buckets = Array.from(
      { length: 40 },
      (_, i) => `bucket-number-${String(i).padStart(2, '0')}`,
    )
    const big = policy(
      getList(...buckets.flatMap((b) => [`arn:aws:s3:::${b}`, `arn:aws:s3:::${b}/*`])),
    )
    expect(policyJson(big).length).toBe(2752)
    expect(() => fitPolicy(big)).toThrow(PolicyTooLargeError)
    expect(fitPolicy(big, { maxChars: 2752 }).policy).toBe(big)
  })

  test('too large even after shrinking: PolicyTooLarge for operators', () => {
    const p = policy(
      get('arn:aws:s3:::b1/a/*', 'arn:aws:s3:::b2/a/*', 'arn:aws:s3:::b2/c/*'),
      list(['arn:aws:s3:::b1', 'arn:aws:s3:::b2'], ['a/*']),
      list(['arn:aws:s3:::b2'], ['c/*']),
    )
    let error: unknown
    try {
      fitPolicy(p, { maxChars: 100 })
    } catch (err) {
      error = err
    }
    expect(error).toBeInstanceOf(PolicyTooLargeError)
    expect(error).toMatchObject({
      code: 'ERR_POLICY_TOO_LARGE',
      statusCode: 500,
      message:
        'The session policy for this user is 420 characters after lossless shrinking (limit 100); ' +
        "it covers 2 buckets and 6 prefix grants. Reduce the buckets and prefixes one user's groups " +
        'can reach in the bucket map.',
    })
  })
})

describe('fitPolicy: lossless shrinking', () => {
  test('prefix grants on a bucket the policy grants whole are dropped', () => {
    const p = policy(
      getList('arn:aws:s3:::b', 'arn:aws:s3:::b/*', 'arn:aws:s3:::b/p/*', 'arn:aws:s3:::c/x/*'),
      list(['arn:aws:s3:::b', 'arn:aws:s3:::c'], ['p/*']),
    )
    const expected = policy(
      getList('arn:aws:s3:::b', 'arn:aws:s3:::b/*', 'arn:aws:s3:::c/x/*'),
      list(['arn:aws:s3:::c'], ['p/*']),
    )
    const json = policyJson(expected)
    expect(fitPolicy(p, { maxChars: json.length })).toEqual({ policy: expected, json })
  })

  test('patterns under a shorter literal prefix pattern are dropped; wildcards are not compared', () => {
    const p = policy(
      get(
        'arn:aws:s3:::b/a/*',
        'arn:aws:s3:::b/a/b/*',
        'arn:aws:s3:::b/a?/*',
        'arn:aws:s3:::b/x${*}/*',
        'arn:aws:s3:::b/x${*}/y/*',
      ),
      list(['arn:aws:s3:::b'], ['a/*', 'a/b/*']),
    )
    expect(shrink(p)).toEqual(
      policy(
        get(
          'arn:aws:s3:::b/a/*',
          'arn:aws:s3:::b/a?/*',
          'arn:aws:s3:::b/x${*}/*',
          'arn:aws:s3:::b/x${*}/y/*',
        ),
        list(['arn:aws:s3:::b'], ['a/*']),
      ),
    )
  })

  test('statements with the same buckets or the same prefixes are merged, shortest grouping wins', () => {
    const p = policy(
      get('arn:aws:s3:::b1/a/*', 'arn:aws:s3:::b1/c/*'),
      get('arn:aws:s3:::b2/a/*'),
      list(['arn:aws:s3:::b1'], ['a/*']),
      list(['arn:aws:s3:::b1'], ['c/*']),
      list(['arn:aws:s3:::b2'], ['a/*']),
    )
    expect(shrink(p)).toEqual(
      policy(
        get('arn:aws:s3:::b1/a/*', 'arn:aws:s3:::b1/c/*', 'arn:aws:s3:::b2/a/*'),
        // Per bucket is shorter than per prefix ({b1,b2}: a/*; {b1}: c/*): one ARN fewer.
        list(['arn:aws:s3:::b1'], ['a/*', 'c/*']),
        list(['arn:aws:s3:::b2'], ['a/*']),
      ),
    )
  })

  test('listing is regrouped per bucket when that is shorter than TEA per-prefix grouping', () => {
    // Per prefix: ({b1,b2}: p, q), ({b1}: r), ({b2}: s): three statements.
    // Per bucket: (b1: p, q, r), (b2: p, q, s): two statements, shorter.
    const p = policy(
      get(
        'arn:aws:s3:::b1/p*',
        'arn:aws:s3:::b1/q*',
        'arn:aws:s3:::b1/r*',
        'arn:aws:s3:::b2/p*',
        'arn:aws:s3:::b2/q*',
        'arn:aws:s3:::b2/s*',
      ),
      list(['arn:aws:s3:::b1', 'arn:aws:s3:::b2'], ['p*', 'q*']),
      list(['arn:aws:s3:::b1'], ['r*']),
      list(['arn:aws:s3:::b2'], ['s*']),
    )
    const shrunk = shrink(p)
    expect(shrunk.Statement.slice(1)).toEqual([
      list(['arn:aws:s3:::b1'], ['p*', 'q*', 'r*']),
      list(['arn:aws:s3:::b2'], ['p*', 'q*', 's*']),
    ])
    expect(policyJson(shrunk).length).toBeLessThan(policyJson(p).length)
  })

  test('grants that can never apply are dropped', () => {
    const p = policy(
      { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: ['arn:aws:s3:::b/*'] },
      {
        Effect: 'Allow',
        Action: ['s3:GetObject'],
        Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::c/*'],
      },
      { ...list(['arn:aws:s3:::d/*'], ['x*']), Action: ['s3:GetObject'] },
    )
    expect(shrink(p)).toEqual(policy(get('arn:aws:s3:::c/*')))
  })

  test('a resource that is not an S3 ARN is a TypeError', () => {
    expect(() => fitPolicy(policy(get('arn:aws:iam::1:role/x')), { maxChars: 10 })).toThrow(
      new TypeError('not an S3 ARN in a tea-ts session policy: arn:aws:iam::1:role/x'),
    )
  })
})

/** A small deterministic PRNG (mulberry32), so a failing case can be replayed. */
function random(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const BUCKETS = ['b1', 'b2', 'b3', 'b4']
const GROUPS = ['g1', 'g2', 'g3']
const PREFIXES = ['', 'a', 'a/', 'a/b/', 'ab', 'b/', 'c*/', 'c*/d/', 'q?/', 'z$/']

function randomMap(next: () => number): BucketMap {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T
  const lines = ['MAP:']
  const used = BUCKETS.filter(() => next() < 0.7)
  used.forEach((b, i) => lines.push(`  P${i}: ${b}`))
  if (used.length === 0) lines.push('  P: b1')
  const pub: string[] = []
  const priv = new Map<string, string>()
  for (let i = Math.floor(next() * 6); i > 0; i--) {
    const rule = `${pick(BUCKETS)}/${pick(PREFIXES)}`
    if (next() < 0.3) pub.push(`  - '${rule}'`)
    else priv.set(rule, `  '${rule}': [${GROUPS.filter(() => next() < 0.4).join(', ')}]`)
  }
  if (pub.length > 0) lines.push('PUBLIC_BUCKETS:', ...pub)
  if (priv.size > 0) lines.push('PRIVATE_BUCKETS:', ...priv.values())
  return parseBucketMap(`${lines.join('\n')}\n`, { fileName: 'random.yaml' })
}

function sampleKeys(map: BucketMap): string[] {
  const keys = new Set(['', 'x', 'zzz', 'a', 'c', 'c*', 'cx/', 'q', 'qx/', 'z$/', 'z'])
  for (const rules of map.rules.values()) {
    for (const { prefix } of rules) {
      for (const k of [prefix, `${prefix}x`, `${prefix}/y`, `${prefix}d/e`, prefix.slice(0, -1)])
        keys.add(k)
    }
  }
  return [...keys]
}

describe('fitPolicy and toIamPolicy: properties on 400 random IAM-compatible maps', () => {
  const cases: { map: BucketMap; groups: ReadonlySet<string>; policy: IamPolicy }[] = []
  const next = random(20261130)
  for (let attempt = 0; cases.length < 400 && attempt < 20_000; attempt++) {
    const map = randomMap(next)
    const groups = new Set(GROUPS.filter(() => next() < 0.5))
    try {
      const p = toIamPolicy(map, groups)
      if (p !== null) cases.push({ map, groups, policy: p })
    } catch {
      // Not IAM-compatible: toIamPolicy refuses it, nothing to compare.
    }
  }

  test('enough cases were generated', () => {
    expect(cases.length).toBe(400)
  })

  test('toIamPolicy grants GetObject exactly where the map allows the user', () => {
    for (const { map, groups, policy: p } of cases) {
      for (const bucket of BUCKETS) {
        for (const key of sampleKeys(map)) {
          const mapped = [...map.root.children.values()].some(
            (n) => n.kind === 'leaf' && n.bucket === bucket,
          )
          const expected = mapped && canAccess(requiredGroups(map, bucket, key), groups)
          const allowed = policyAllows(p, { action: 's3:GetObject', bucket, key })
          if (allowed !== expected) throw new Error(`${bucket}/${key} ${policyJson(p)}`)
        }
      }
    }
  })

  test('the shrunk policy grants exactly the same, and fitPolicy honours maxChars', () => {
    for (const { map, policy: p } of cases) {
      const shrunk = shrink(p)
      for (const bucket of BUCKETS) {
        for (const key of sampleKeys(map)) {
          const requests = [
            { action: 's3:GetObject', bucket, key } as const,
            { action: 's3:ListBucket', bucket, prefix: key } as const,
            { action: 's3:ListBucket', bucket } as const,
          ]
          for (const request of requests) {
            if (policyAllows(shrunk, request) !== policyAllows(p, request)) {
              throw new Error(`${JSON.stringify(request)}\n${policyJson(p)}\n${policyJson(shrunk)}`)
            }
          }
        }
      }
      const full = policyJson(p).length
      const small = policyJson(shrunk).length
      const fitted = fitPolicy(p, { maxChars: Math.min(full, small) })
      expect(fitted.json.length).toBeLessThanOrEqual(Math.min(full, small))
      expect(fitted.json).toBe(policyJson(fitted.policy))
      if (small >= full) expect(fitted.policy).toBe(p)
      expect(() => fitPolicy(p, { maxChars: Math.min(full, small) - 1 })).toThrow(
        PolicyTooLargeError,
      )
    }
  })
})
