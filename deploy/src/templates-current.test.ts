// The committed templates are what `npm run synth` writes today: CI fails when a construct
// changed and deploy/cloudformation/ was not regenerated.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { synthTemplates } from './synth.js'

describe('deploy/cloudformation/', { timeout: 60_000 }, () => {
  it('matches a fresh synth (run `npm run synth` and commit the result)', () => {
    // CDK's schema checks add seconds and never change the output; `npm run synth` runs them.
    const fresh = synthTemplates(undefined, false)
    expect(Object.keys(fresh).sort()).toEqual(['tea-ts-bulk-copy.yaml', 'tea-ts.yaml'])
    for (const [file, text] of Object.entries(fresh)) {
      const committed = readFileSync(new URL(`../cloudformation/${file}`, import.meta.url), 'utf8')
      expect(committed, `deploy/cloudformation/${file} is stale: run npm run synth`).toBe(text)
    }
  })
})
