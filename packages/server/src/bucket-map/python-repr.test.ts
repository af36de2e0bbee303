import { expect, test } from 'vitest'
import { pythonSetRepr, pythonStrRepr } from './python-repr.js'

test.each([
  ['group', "'group'"],
  ["it's", `"it's"`],
  [`a'b"c`, `'a\\'b"c'`],
  ['a"b', `'a"b'`],
  ['back\\slash', "'back\\\\slash'"],
  ['tab\tnew\nret\r', "'tab\\tnew\\nret\\r'"],
  ['\x01\x7f', "'\\x01\\x7f'"],
  ['ünï', "'ünï'"],
])('pythonStrRepr(%j) is %s', (value, expected) => {
  expect(pythonStrRepr(value)).toBe(expected)
})

test('pythonSetRepr keeps iteration order', () => {
  expect(pythonSetRepr(new Set(['b', 'a']))).toBe("{'b', 'a'}")
  expect(pythonSetRepr([])).toBe('{}')
})
