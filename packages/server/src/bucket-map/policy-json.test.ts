import { expect, test } from 'vitest'
import { policyJson } from './policy-json.js'

test('compact, key order kept', () => {
  expect(
    policyJson({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::b/*'] }],
    }),
  ).toBe(
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":["arn:aws:s3:::b/*"]}]}',
  )
})

test('ASCII only, like Python json.dumps (ensure_ascii): lower-case \\u escapes', () => {
  const json = policyJson({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['s3:GetObject'],
        Resource: ['arn:aws:s3:::b/é\x7f\u2028😀\n"\\/*'],
      },
    ],
  })
  expect(json).toContain('"arn:aws:s3:::b/\\u00e9\\u007f\\u2028\\ud83d\\ude00\\n\\"\\\\/*"')
  expect(/^[\x20-\x7e]*$/.test(json)).toBe(true)
})
