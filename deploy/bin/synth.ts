// Writes the synthesized CloudFormation templates to deploy/cloudformation/ (committed; a test
// fails when they differ from a fresh synth).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { synthTemplates } from '../src/synth.js'

const outdir = mkdtempSync(join(tmpdir(), 'tea-ts-synth-'))
try {
  for (const [file, text] of Object.entries(synthTemplates(outdir))) {
    const path = new URL(`../cloudformation/${file}`, import.meta.url)
    writeFileSync(path, text)
    console.log(`wrote deploy/cloudformation/${file} (${text.length} bytes)`)
  }
} finally {
  rmSync(outdir, { recursive: true, force: true })
}
