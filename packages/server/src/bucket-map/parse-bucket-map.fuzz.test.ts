import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { stringify } from 'yaml'
import { describe, expect, it } from 'vitest'
import { AppError } from '../errors.js'
import { createPolicyForGroups } from '../credentials/policy-for-groups.js'
import { BucketMapError } from './bucket-map-error.js'
import { parseBucketMap } from './parse-bucket-map.js'
import { resolvePath } from './resolve-path.js'

/**
 * The bucket map parser over arbitrary YAML: every input either parses into a map that the
 * request paths can use, or throws a BucketMapError naming the file, never anything else (no
 * TypeError, no RangeError, no hang). A fixed seed in CI; FUZZ_RUNS runs longer, FUZZ_SEED
 * replays another seed (the same variables as the app fuzz suite in test/).
 */

const SEED = integerFromEnv('FUZZ_SEED') ?? 20_261_201
const RUNS = integerFromEnv('FUZZ_RUNS') ?? 300
const FILE = 'fuzz-map.yaml'
const EXAMPLE = readFileSync(new URL('./examples/bucket-map.example.yaml', import.meta.url), 'utf8')

function integerFromEnv(name: string): number | undefined {
  const raw = process.env[name]
  return raw === undefined || raw === '' ? undefined : Number.parseInt(raw, 10)
}

const KEYS = [
  'MAP',
  'PUBLIC_BUCKETS',
  'PRIVATE_BUCKETS',
  'bucket',
  'headers',
  'DATA',
  'PLATFORM-A',
  'a/b',
  '',
  '*',
  '<<',
  'true',
  '1',
] as const

const scalar = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('pa-raw', 'bucket-1', 'b/prefix', 'b/*', '', '*', 'GROUP_A', '💥', null),
  fc.integer(),
  fc.double(),
  fc.boolean(),
)

/** JSON-like trees whose keys look like a bucket map's, so runs get past the first checks. */
const tree = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('node'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 8 })), tie('node'), {
      maxKeys: 4,
    }),
  ),
})).node

const mapLike = fc
  .record(
    {
      MAP: tree,
      PUBLIC_BUCKETS: tree,
      PRIVATE_BUCKETS: tree,
      extra: fc.dictionary(fc.string({ maxLength: 8 }), tree, { maxKeys: 2 }),
    },
    { requiredKeys: [] },
  )
  .map(({ extra, ...known }) => stringify({ ...known, ...extra }))

/** The example map with a few characters replaced, inserted or deleted. */
const mutatedExample = fc
  .array(
    fc.tuple(
      fc.nat({ max: EXAMPLE.length }),
      fc.nat({ max: 3 }),
      fc.constantFrom(
        '',
        ' ',
        '\n',
        ':',
        '-',
        '&a',
        '*a',
        '!!binary',
        '{',
        '[',
        '"',
        "'",
        '\t',
        '#',
      ),
    ),
    { minLength: 1, maxLength: 4 },
  )
  .map((edits) =>
    edits.reduce(
      (text, [at, cut, insert]) => text.slice(0, at) + insert + text.slice(at + cut),
      EXAMPLE,
    ),
  )

/** YAML features a bucket map never needs: aliases (and bombs), tags, merges, documents. */
const yamlTricks = fc.constantFrom(
  'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\nMAP: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n',
  'MAP: &m\n  a: *m\n',
  'MAP:\n  <<: {a: b}\n  c: d\n',
  'MAP: !!binary aGVsbG8=\n',
  'MAP: !!set {a, b}\n',
  'MAP: !custom {a: b}\n',
  'MAP:\n  a: b\n---\nMAP:\n  c: d\n',
  'MAP:\n  a: b\n  a: c\n',
  '? [a, b]\n: c\n',
  'MAP:\n  ? {a: b}\n  : c\n',
  `MAP:\n${'  '.repeat(1)}${'a:\n'.repeat(1)}`,
  `${'['.repeat(200)}${']'.repeat(200)}`,
  `MAP: ${'{a: '.repeat(100)}x${'}'.repeat(100)}`,
  '\uFEFFMAP:\n  a: b\n',
  'MAP:\n  a: b\r\n  c: d\r\n',
  'MAP: ~\n',
  'MAP: []\n',
  '%YAML 1.1\n---\nMAP: {a: yes}\n',
)

const anyYaml = fc.oneof(
  { weight: 3, arbitrary: mapLike },
  { weight: 3, arbitrary: mutatedExample },
  { weight: 2, arbitrary: yamlTricks },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 60, unit: 'binary' }) },
)

const paths = fc.array(
  fc.oneof(
    fc.constantFrom('DATA-TYPE-1/PLATFORM-A/OBJECT_1', 'a/b/c', '', '/', 'MAP/x'),
    fc.string({ maxLength: 20 }),
  ),
  { maxLength: 3 },
)
const groups = fc.array(
  fc.oneof(fc.constantFrom('PRIVATE_GROUP_A', 'GROUP_A', ''), fc.string({ maxLength: 8 })),
  { maxLength: 3 },
)

describe('parseBucketMap over arbitrary YAML (fuzz)', () => {
  it(
    'parses a usable map or throws a BucketMapError naming the file, never anything else',
    { timeout: 120_000 },
    () => {
      let parsed = 0
      fc.assert(
        fc.property(
          anyYaml,
          fc.boolean(),
          fc.constantFrom('', 'gsfc-ngap-d-'),
          paths,
          groups,
          (yamlText, iamCompatible, prefix, requestPaths, userGroups) => {
            let map
            try {
              map = parseBucketMap(yamlText, {
                fileName: FILE,
                bucketNamePrefix: prefix,
                iamCompatible,
              })
            } catch (err) {
              expect(err).toBeInstanceOf(BucketMapError)
              expect((err as BucketMapError).message).toContain(FILE)
              expect((err as BucketMapError).code).toBe('ERR_CONFIG')
              return
            }
            parsed++
            // What a parsed map is used for must not crash either.
            for (const p of requestPaths) resolvePath(map, p)
            if (iamCompatible) {
              try {
                createPolicyForGroups(map)(userGroups)
              } catch (err) {
                // An oversized policy is a mapped error (ERR_POLICY_TOO_LARGE), never a crash.
                expect(err).toBeInstanceOf(AppError)
              }
            }
          },
        ),
        { seed: SEED, numRuns: RUNS },
      )
      // The generators must reach past the YAML checks, or this suite tests only the first ones.
      expect(parsed).toBeGreaterThan(RUNS / 10)
    },
  )
})
