import { expect, test } from 'vitest'
import { iamPattern } from './iam-pattern.js'

test.each([
  ['a/*', 'a/', true],
  ['a/*', 'a/b/c', true],
  ['a/*', 'a', false],
  ['a*', 'abc', true],
  ['a?c', 'abc', true],
  ['a?c', 'ac', false],
  ['a?c', 'a😀c', true],
  ['a.c', 'abc', false],
  ['a${*}', 'a*', true],
  ['a${*}', 'ab', false],
  ['a${?}', 'a?', true],
  ['a${?}', 'ab', false],
  ['${$}{x}', '${x}', true],
  ['x(y)[z]+|', 'x(y)[z]+|', true],
  ['a\nb*', 'a\nbc', true],
  ['ABC', 'abc', false],
])('%j matches %j: %s', (pattern, text, expected) => {
  expect(iamPattern(pattern).test(text)).toBe(expected)
})

test('policy variables are not supported', () => {
  expect(() => iamPattern('a/${aws:username}/*')).toThrow(
    new TypeError('unsupported IAM policy variable in "a/${aws:username}/*"'),
  )
})
