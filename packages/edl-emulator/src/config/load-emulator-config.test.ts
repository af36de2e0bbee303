import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { loadEmulatorConfig } from './load-emulator-config.js'

const dir = mkdtempSync(join(tmpdir(), 'edl-config-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function file(name: string, text: string): string {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

describe('loadEmulatorConfig', () => {
  it('loads the shipped example', () => {
    const config = loadEmulatorConfig(
      new URL('../../examples/users.yaml', import.meta.url).pathname,
    )
    expect(config.apps.map((a) => a.client_id)).toEqual(['tea-local'])
    expect(config.users.map((u) => u.uid)).toEqual(['demo', 'noeula'])
    expect(config.users[1]?.unaccepted_eulas).toEqual(['tea-local'])
    expect(config.keyId).toBe('edljwtpubkey_ops')
  })

  it('reads JSON files as JSON', () => {
    const path = file('c.json', JSON.stringify({ users: [], apps: [], issuer: 'Earthdata Login' }))
    expect(loadEmulatorConfig(path).issuer).toBe('Earthdata Login')
  })

  it('names the file when it cannot be read', () => {
    const path = join(dir, 'missing.yaml')
    expect(() => loadEmulatorConfig(path)).toThrow(`${path}: cannot read the users file (ENOENT)`)
  })

  it('names the file and the parse error for bad YAML and bad JSON', () => {
    const yaml = file('bad.yaml', 'users: [\n')
    expect(() => loadEmulatorConfig(yaml)).toThrow(new RegExp(`^${yaml}: not valid YAML: `))
    const json = file('bad.json', '{"users": ')
    expect(() => loadEmulatorConfig(json)).toThrow(new RegExp(`^${json}: not valid JSON: `))
  })

  it('names the file and the invalid field', () => {
    const path = file('invalid.yaml', 'users:\n  - uid: x\napps: []\n')
    expect(() => loadEmulatorConfig(path)).toThrow(
      `${path}: invalid EDL emulator config: /users/0/password: Expected required property`,
    )
  })

  it('rejects an empty file', () => {
    const path = file('empty.yaml', '')
    expect(() => loadEmulatorConfig(path)).toThrow(
      `${path}: invalid EDL emulator config: /: Expected object`,
    )
  })
})
