import { readFileSync } from 'node:fs'
import { extname } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { EmulatorConfigError, parseEmulatorConfig } from './emulator-config.js'
import type { ResolvedEmulatorConfig } from './emulator-config.js'

/**
 * Reads and validates a users file: JSON when the name ends in `.json`, YAML otherwise.
 * Throws `EmulatorConfigError` naming the file and what is wrong with it.
 *
 * @example
 * const config = loadEmulatorConfig('packages/edl-emulator/examples/users.yaml')
 */
export function loadEmulatorConfig(path: string): ResolvedEmulatorConfig {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? 'unreadable'
    throw new EmulatorConfigError(`${path}: cannot read the users file (${reason})`, { cause: err })
  }
  return parseEmulatorConfig(parseText(path, text), path)
}

function parseText(path: string, text: string): unknown {
  try {
    return extname(path).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text)
  } catch (err) {
    const detail = err instanceof Error ? err.message.split('\n')[0] : String(err)
    throw new EmulatorConfigError(`${path}: not valid ${formatName(path)}: ${detail}`, {
      cause: err,
    })
  }
}

function formatName(path: string): string {
  return extname(path).toLowerCase() === '.json' ? 'JSON' : 'YAML'
}
