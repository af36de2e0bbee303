import { readFileSync } from 'node:fs'
import { marked } from 'marked'
import { expect, it } from 'vitest'
import { S3_CREDENTIALS_README_HTML } from './s3credentials-readme-text.js'

it('the embedded /s3credentialsREADME page is current (else run `npm run build`)', async () => {
  const source = readFileSync(new URL('s3credentials-readme.md', import.meta.url), 'utf8')
  expect(S3_CREDENTIALS_README_HTML).toBe(await marked.parse(source, { gfm: true }))
})
