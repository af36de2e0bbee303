import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { AppError } from '../errors.js'
import type { BucketMap, BucketMapNode, RequiredGroups } from './bucket-map.js'
import { BucketMapError } from './bucket-map-error.js'
import { parseBucketMap } from './parse-bucket-map.js'

const parse = (text: string, prefix = ''): BucketMap =>
  parseBucketMap(text, { fileName: 'm.yaml', bucketNamePrefix: prefix })

type Plain = string | { bucket: string; headers: Record<string, string> } | { [k: string]: Plain }
const plainNode = (node: BucketMapNode): Plain =>
  node.kind === 'leaf'
    ? Object.keys(node.headers).length === 0
      ? node.bucket
      : { bucket: node.bucket, headers: { ...node.headers } }
    : Object.fromEntries([...node.children].map(([k, v]) => [k, plainNode(v)]))
const plainAccess = (a: RequiredGroups): string | string[] => (typeof a === 'string' ? a : [...a])
const plainRules = (map: BucketMap): Record<string, [string, string | string[]][]> =>
  Object.fromEntries(
    [...map.rules].map(([b, rules]) => [b, rules.map((r) => [r.prefix, plainAccess(r.access)])]),
  )

const TEA_EXAMPLE_TREE = {
  RAW: { 'PLATFORM-A': 'pa-raw', 'PLATFORM-B': 'pb-raw' },
  'DATA-TYPE-1': { 'PLATFORM-A': 'pa-dt1', 'PLATFORM-B': 'pb-dt1' },
  BROWSE: { 'PLATFORM-A': 'pa-bro', 'PLATFORM-B': 'pb-bro' },
  PRIVATE: { 'PLATFORM-A': 'pa-priv', 'PLATFORM-B': 'pb-priv' },
  HEADERS: {
    BROWSE: {
      bucket: 'pa-bro',
      headers: {
        'custom-header-1': 'custom-header-1-value',
        'custom-header-2': 'custom-header-2-value',
      },
    },
    PRIVATE: {
      bucket: 'pa-priv',
      headers: {
        'custom-header-3': 'custom-header-3-value',
        'custom-header-4': 'custom-header-4-value',
      },
    },
  },
}
const TEA_EXAMPLE_RULES = {
  'pa-priv': [
    ['', ['PRIVATE_GROUP_A']],
    // the defaults are appended after the explicit rules
  ],
  'pb-priv': [['', ['PRIVATE_GROUP_B']]],
  'pa-bro': [['', 'public']],
  'pb-bro': [['', 'public']],
}

// TEA tests/data/old_style_bucket_map_example.yaml
const TEA_OLD_STYLE_EXAMPLE = `RAW:
  PLATFORM-A:         pa-raw
  PLATFORM-B:         pb-raw
DATA-TYPE-1:
  PLATFORM-A:         pa-dt1
  PLATFORM-B:         pb-dt1
BROWSE:
  PLATFORM-A:         pa-bro
  PLATFORM-B:         pb-bro
PRIVATE:
  PLATFORM-A:         pa-priv
  PLATFORM-B:         pb-priv
HEADERS:
  BROWSE:
    bucket: pa-bro
    headers:
      custom-header-1: custom-header-1-value
      custom-header-2: custom-header-2-value
  PRIVATE:
    bucket: pa-priv
    headers:
      custom-header-3: custom-header-3-value
      custom-header-4: custom-header-4-value

PUBLIC_BUCKETS:
  - pa-bro
  - pb-bro

PRIVATE_BUCKETS:
  pa-priv:
    - PRIVATE_GROUP_A
  pb-priv:
    - PRIVATE_GROUP_B
`

describe('parseBucketMap: accepted forms', () => {
  test('the example map (TEA tests/data/bucket_map_example.yaml), new style with MAP', () => {
    const text = readFileSync(
      new URL('./examples/bucket-map.example.yaml', import.meta.url),
      'utf8',
    )
    const map = parseBucketMap(text, { fileName: 'example.yaml', bucketNamePrefix: 'gsfc-ngap-d-' })
    expect(map.fileName).toBe('example.yaml')
    expect(map.bucketNamePrefix).toBe('gsfc-ngap-d-')
    expect(plainNode(map.root)).toEqual(TEA_EXAMPLE_TREE)
    // Same length rules keep list order: public (pa-bro, pb-bro) before private; 7 > 6 chars.
    expect(Object.keys(plainRules(map))).toEqual(['pa-priv', 'pb-priv', 'pa-bro', 'pb-bro'])
    expect(plainRules(map)).toEqual(TEA_EXAMPLE_RULES)
    expect(map.warnings).toEqual([])
  })

  test('the old style without MAP (TEA tests/data/old_style_bucket_map_example.yaml)', () => {
    const map = parse(TEA_OLD_STYLE_EXAMPLE)
    expect(plainNode(map.root)).toEqual(TEA_EXAMPLE_TREE)
    expect(plainRules(map)).toEqual(TEA_EXAMPLE_RULES)
    expect(map.warnings).toEqual([])
  })

  test.each([
    ['string leaf', { foo: 'bucket1' }],
    ['{bucket} leaf', { foo: { bucket: 'bucket1' } }],
    ['MAP with {bucket} leaf', { MAP: { foo: { bucket: 'bucket1' } } }],
  ])('RAC test_get_compatibility: %s', (_, doc) => {
    expect(plainNode(parse(JSON.stringify(doc)).root)).toEqual({ foo: 'bucket1' })
  })

  test('rule order: RAC sample map (test_entries access control)', () => {
    const map = parse(
      JSON.stringify({
        MAP: { ANY_AUTHED: 'authed-bucket', 'general-browse': 'browse-bucket', productX: 'bucket' },
        PUBLIC_BUCKETS: {
          'browse-bucket': 'General browse Imagery',
          'bucket/browse': 'ProductX Browse Imagery',
        },
        PRIVATE_BUCKETS: { 'bucket/2020/12': ['science_team'], 'nested-bucket-private': [] },
      }),
    )
    expect(plainRules(map)).toEqual({
      bucket: [
        ['2020/12', ['science_team']],
        ['browse', 'public'],
        ['', 'authenticated'],
      ],
      'nested-bucket-private': [['', 'authenticated']],
      'browse-bucket': [['', 'public']],
    })
    // Buckets appear in the order of their longest rule: 21, 14 and 13 characters.
    expect(Object.keys(plainRules(map))).toEqual([
      'nested-bucket-private',
      'bucket',
      'browse-bucket',
    ])
  })

  test('a rule in both lists: PRIVATE_BUCKETS wins and keeps the public rule place', () => {
    const map = parse(
      'MAP: {PATH: bucket}\nPUBLIC_BUCKETS: [bucket/foo, bucket/foobar]\n' +
        'PRIVATE_BUCKETS:\n  bucket/foo: [some_permission]\n  bucket/foobar: [other_permission]\n',
    )
    expect(plainRules(map)).toEqual({
      bucket: [
        ['foobar', ['other_permission']],
        ['foo', ['some_permission']],
        ['', 'authenticated'],
      ],
    })
    expect(map.warnings).toEqual([
      "m.yaml line 5: 'bucket/foobar' overrides the rule on line 2 for the same bucket and prefix",
      "m.yaml line 4: 'bucket/foo' overrides the rule on line 2 for the same bucket and prefix",
    ])
  })

  test("'bucket/' and 'bucket' both name the whole bucket; the shorter rule is applied last", () => {
    const map = parse('A: b\nPRIVATE_BUCKETS:\n  b: [g]\n  b/: [h]\n')
    expect(plainRules(map)).toEqual({ b: [['', ['g']]] })
  })

  test('rule length counts code points like Python', () => {
    // '😀😀' is 2 code points but 4 UTF-16 units: it must sort after the 3-character 'abc'.
    const map = parse('A: b\nPRIVATE_BUCKETS:\n  b/😀😀: [x]\n  b/abc: [y]\n')
    expect(plainRules(map).b?.map(([p]) => p)).toEqual(['abc', '😀😀', ''])
  })

  test('group lists keep their order and drop duplicates', () => {
    const map = parse('A: b\nPRIVATE_BUCKETS:\n  b: [z, a, z]\n')
    expect(plainRules(map)).toEqual({ b: [['', ['z', 'a']]] })
  })

  test('headers: with no value means no headers (as TEA)', () => {
    expect(plainNode(parse('A:\n  bucket: b\n  headers:\n').root)).toEqual({ A: 'b' })
  })

  test('YAML aliases are followed', () => {
    const map = parse('MAP:\n  A: &shared b1\n  B: *shared\n  C: &tree {X: b2}\n  D: *tree\n')
    expect(plainNode(map.root)).toEqual({ A: 'b1', B: 'b1', C: { X: 'b2' }, D: { X: 'b2' } })
  })

  test('empty branches are kept (they never match)', () => {
    expect(plainNode(parse('A: {}\nB: b\n').root)).toEqual({ A: {}, B: 'b' })
  })

  test('the leaf and branch lines are 1-based', () => {
    const map = parse('# comment\nMAP:\n  A:\n    B: b1\n')
    const a = map.root.children.get('A')
    expect(a?.line).toBe(4)
    expect(a?.kind === 'branch' ? a.children.get('B')?.line : undefined).toBe(4)
  })

  test('the result is frozen', () => {
    const map = parse('A: b\n')
    expect(Object.isFrozen(map)).toBe(true)
    expect(Object.isFrozen(map.warnings)).toBe(true)
  })
})

describe('parseBucketMap: leniency TEA has, reported as warnings', () => {
  test.each([
    [
      'PUBLIC_BUCKETS: 10 (RAC test_check_bucket_access_malformed)',
      'MAP: {PATH: bucket}\nPUBLIC_BUCKETS: 10\n',
      ['m.yaml line 2: PUBLIC_BUCKETS is ignored: expected a list or a mapping, got a number (10)'],
    ],
    [
      'PUBLIC_BUCKETS with no value',
      'A: a\nPUBLIC_BUCKETS:\n',
      ['m.yaml line 2: PUBLIC_BUCKETS is ignored: expected a list or a mapping, got nothing'],
    ],
    [
      'a top-level key beside MAP',
      'MAP:\n  A: a\nOTHER: 1\n',
      ['m.yaml line 3: top-level key OTHER is ignored (paths go under MAP)'],
    ],
    [
      'rules inside MAP',
      'MAP:\n  A: a\n  PUBLIC_BUCKETS: [a]\n',
      ["m.yaml line 3: 'PUBLIC_BUCKETS' is ignored: PUBLIC_BUCKETS only counts at the top level"],
    ],
    [
      'rules nested in an old-style map',
      'A:\n  PRIVATE_BUCKETS: {a: [g]}\n  B: a\n',
      [
        "m.yaml line 2: 'A/PRIVATE_BUCKETS' is ignored: PRIVATE_BUCKETS only counts at the top level",
      ],
    ],
    [
      'a path segment with a slash',
      'MAP:\n  A/B: a\n  C: a\n',
      ["m.yaml line 2: 'A/B' can never match a request: path segments cannot contain '/'"],
    ],
    [
      'a rule for a bucket not in the map',
      'A: a\nPRIVATE_BUCKETS:\n  typo: [g]\n',
      ["m.yaml line 3: rules for bucket 'typo' match no bucket in the map"],
    ],
    ['a map without paths', '{}', ['m.yaml defines no paths: every download is 404']],
    ['only empty branches', 'A: {}\n', ['m.yaml defines no paths: every download is 404']],
  ])('%s', (_, text, warnings) => {
    expect(parse(text).warnings).toEqual(warnings)
  })

  test('PUBLIC_BUCKETS: 10 adds no rule', () => {
    expect(plainRules(parse('MAP: {PATH: bucket}\nPUBLIC_BUCKETS: 10\n'))).toEqual({})
  })

  test('old-style PUBLIC_BUCKETS/PRIVATE_BUCKETS are rules, not paths', () => {
    const map = parse('A: a\nPUBLIC_BUCKETS: [a]\nPRIVATE_BUCKETS: {}\n')
    expect(plainNode(map.root)).toEqual({ A: 'a' })
    expect(map.warnings).toEqual([])
  })
})

describe('parseBucketMap: malformed maps throw BucketMapError naming file and line', () => {
  test.each([
    ['an empty file', '', 'm.yaml is empty', undefined],
    ['only comments', '# nothing\n', 'm.yaml is empty', undefined],
    ['a null document', '~\n', 'm.yaml is empty', undefined],
    ['a list document', '- a\n', 'm.yaml line 1: the top level must be a mapping; got a list', 1],
    [
      'a scalar document',
      'hello\n',
      'm.yaml line 1: the top level must be a mapping; got a scalar',
      1,
    ],
    [
      'a YAML syntax error',
      'A: b\nB: [1\n',
      'm.yaml line 3: Flow sequence in block collection must be sufficiently indented and end with a ]',
      3,
    ],
    [
      'tabs as indentation',
      'A:\n\tB: c\n',
      'm.yaml line 2: Tabs are not allowed as indentation',
      2,
    ],
    ['duplicate keys', 'MAP:\n  A: x\n  A: y\n', 'm.yaml line 3: Map keys must be unique', 3],
    [
      'two documents',
      'A: b\n---\nB: c\n',
      'm.yaml line 2: the file holds more than one YAML document',
      2,
    ],
    ['MAP without value', 'MAP:\n', 'm.yaml line 1: MAP must be a mapping of paths to buckets', 1],
    ['MAP as a list', 'MAP: [a]\n', 'm.yaml line 1: MAP must be a mapping of paths to buckets', 1],
    [
      'MAP as one bucket entry',
      'MAP:\n  bucket: b\n',
      "m.yaml line 2: MAP has a 'bucket' key, which would make the whole map one bucket entry; map paths to buckets instead",
      2,
    ],
    [
      'an old-style top level with a bucket key',
      'bucket: b\n',
      "m.yaml line 1: the top level has a 'bucket' key, which would make the whole map one bucket entry; map paths to buckets instead",
      1,
    ],
    [
      'a number leaf',
      'MAP:\n  A: 12\n',
      "m.yaml line 2: 'A' must be a bucket name, a {bucket, headers} entry or a mapping of paths; got a number (12)",
      2,
    ],
    [
      'a boolean leaf',
      'MAP:\n  A:\n    B: true\n',
      "m.yaml line 3: 'A/B' must be a bucket name, a {bucket, headers} entry or a mapping of paths; got a boolean (true)",
      3,
    ],
    [
      'a list leaf',
      'MAP:\n  A: [x]\n',
      "m.yaml line 2: 'A' must be a bucket name, a {bucket, headers} entry or a mapping of paths; got a list",
      2,
    ],
    [
      'a leaf without value',
      'MAP:\n  A:\n',
      "m.yaml line 2: 'A' must be a bucket name, a {bucket, headers} entry or a mapping of paths; got nothing",
      2,
    ],
    ['an empty bucket name', "MAP:\n  A: ''\n", "m.yaml line 2: 'A': the bucket name is empty", 2],
    [
      'a number path segment',
      'MAP:\n  2020: b\n',
      "m.yaml line 2: path segment 2020 is a number (2020), not a string; quote it ('2020')",
      2,
    ],
    [
      'a list as path segment',
      '[a, b]: x\n',
      "m.yaml line 1: path segment [a, b] is a list, not a string; quote it ('[a, b]')",
      1,
    ],
    [
      'a YAML merge key',
      'MAP:\n  <<: {a: b}\n',
      'm.yaml line 2: YAML merge keys (<<) are not supported',
      2,
    ],
    [
      'bucket: not a string',
      'MAP:\n  A:\n    bucket: [x]\n',
      "m.yaml line 3: 'A': bucket must be a bucket name; got a list",
      3,
    ],
    [
      'bucket: without value',
      'MAP:\n  A:\n    bucket:\n',
      "m.yaml line 3: 'A': bucket must be a bucket name; got nothing",
      3,
    ],
    [
      'bucket: empty',
      "MAP:\n  A:\n    bucket: ''\n",
      "m.yaml line 3: 'A': the bucket name is empty",
      3,
    ],
    [
      'an unknown key in a bucket entry',
      'MAP:\n  A:\n    bucket: b\n    header: {x: y}\n',
      "m.yaml line 4: 'A': unknown key header in a bucket entry (allowed: bucket, headers)",
      4,
    ],
    [
      'headers as a list',
      'MAP:\n  A:\n    bucket: b\n    headers: [a]\n',
      "m.yaml line 4: 'A': headers must be a mapping of header name to value; got a list",
      4,
    ],
    [
      'a number header value',
      'MAP:\n  A:\n    bucket: b\n    headers:\n      max-age: 3600\n',
      "m.yaml line 5: 'A': header max-age must map a name to a string value; got a number (3600) (quote it)",
      5,
    ],
    [
      'a header without value',
      'MAP:\n  A:\n    bucket: b\n    headers:\n      x-a:\n',
      "m.yaml line 5: 'A': header x-a must map a name to a string value; got nothing (quote it)",
      5,
    ],
    [
      'PRIVATE_BUCKETS as a list',
      'PRIVATE_BUCKETS: [a]\n',
      'm.yaml line 1: PRIVATE_BUCKETS must be a mapping of rule to a list of group names; got a list',
      1,
    ],
    [
      'PRIVATE_BUCKETS without value',
      'A: a\nPRIVATE_BUCKETS:\n',
      'm.yaml line 2: PRIVATE_BUCKETS must be a mapping of rule to a list of group names; got nothing',
      2,
    ],
    [
      'groups as a string',
      'PRIVATE_BUCKETS: {a: g}\n',
      "m.yaml line 1: PRIVATE_BUCKETS 'a' must be a list of group names ([] for any logged-in user); got the string 'g'",
      1,
    ],
    [
      'a number group',
      'PRIVATE_BUCKETS:\n  a: [1]\n',
      "m.yaml line 2: PRIVATE_BUCKETS 'a' must be a list of group names ([] for any logged-in user); got a number (1)",
      2,
    ],
    [
      'groups without value',
      'PRIVATE_BUCKETS:\n  a:\n',
      "m.yaml line 2: PRIVATE_BUCKETS 'a' must be a list of group names ([] for any logged-in user); got nothing",
      2,
    ],
    [
      'a number PRIVATE_BUCKETS rule',
      'PRIVATE_BUCKETS:\n  7: [g]\n',
      "m.yaml line 2: PRIVATE_BUCKETS entries must be 'bucket' or 'bucket/prefix'; got a number (7)",
      2,
    ],
    [
      'PUBLIC_BUCKETS as a string',
      'PUBLIC_BUCKETS: abc\n',
      "m.yaml line 1: PUBLIC_BUCKETS must be a list of rules or a mapping of rule to description; got the string 'abc'",
      1,
    ],
    [
      'a number PUBLIC_BUCKETS entry',
      'PUBLIC_BUCKETS:\n  - a\n  - 1\n',
      "m.yaml line 3: PUBLIC_BUCKETS entries must be 'bucket' or 'bucket/prefix'; got a number (1)",
      3,
    ],
    [
      'an empty PUBLIC_BUCKETS entry',
      "PUBLIC_BUCKETS: ['']\n",
      "m.yaml line 1: PUBLIC_BUCKETS entries must be 'bucket' or 'bucket/prefix'; got the string ''",
      1,
    ],
    [
      'a self-referencing alias',
      'A: &a [*a]\n',
      'm.yaml line 1: the map is too large or too deeply nested (YAML aliases?)',
      1,
    ],
  ])('%s', (_, text, message, line) => {
    const error = (() => {
      try {
        parse(text)
      } catch (err) {
        return err
      }
      return undefined
    })()
    expect(error).toBeInstanceOf(BucketMapError)
    expect(error).toBeInstanceOf(AppError)
    expect(error).toMatchObject({
      name: 'BucketMapError',
      code: 'ERR_CONFIG',
      statusCode: 500,
      message,
      fileName: 'm.yaml',
      line,
    })
  })

  test('an alias bomb stops at the node budget', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]']
    for (let i = 1; i < 8; i++)
      lines.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      )
    expect(() => parse(lines.join('\n'))).toThrow(
      /^m\.yaml line \d+: the map is too large or too deeply nested \(YAML aliases\?\)$/,
    )
  })

  test('iamCompatible: true rejects what TEA rejects with ENABLE_S3_CREDENTIALS_ENDPOINT', () => {
    // TEA tests/test_app.py::test_restore_bucket_vars_iam_compatibility_error
    const text = JSON.stringify({
      PATH: 'bucket',
      PRIVATE_BUCKETS: { 'bucket/prefix/': ['group'] },
    })
    expect(() => parseBucketMap(text, { fileName: 'm.yaml' })).not.toThrow()
    expect(() => parseBucketMap(text, { fileName: 'm.yaml', iamCompatible: true })).toThrow(
      "Invalid prefix permissions for bucket 'bucket': 'prefix/' has {'group'} but '' has protected access",
    )
  })
})
