import type { YamlEntry, YamlValue } from './yaml-source.js'

/** How a YAML value reads in an error message: `a number (2020)`, `a list`, `nothing`. */
export function describeYaml(value: YamlValue): string {
  if (value.kind === 'map') return 'a mapping'
  if (value.kind === 'seq') return 'a list'
  const v = value.value
  if (v === null) return 'nothing'
  if (typeof v === 'string') return `the string '${v}'`
  return `a ${typeof v} (${value.source})`
}

/** The key of a mapping entry as a string, or undefined when YAML read it as something else. */
export function stringKey(entry: YamlEntry): string | undefined {
  return entry.key.kind === 'scalar' && typeof entry.key.value === 'string'
    ? entry.key.value
    : undefined
}

/** The value if it is a YAML string scalar. */
export function stringValue(value: YamlValue): string | undefined {
  return value.kind === 'scalar' && typeof value.value === 'string' ? value.value : undefined
}
