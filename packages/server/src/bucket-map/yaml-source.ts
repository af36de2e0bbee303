import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml'
import type { Document, Node } from 'yaml'
import { mapFileError } from './bucket-map-error.js'

/** A YAML node with its 1-based line; the only shape the bucket-map validators see. */
export type YamlValue = YamlScalar | YamlMapping | YamlSequence

export interface YamlScalar {
  readonly kind: 'scalar'
  /** As the YAML 1.2 core schema reads it: string, number, boolean or null. */
  readonly value: unknown
  /** The text as written, for messages. */
  readonly source: string
  readonly line: number
}

export interface YamlMapping {
  readonly kind: 'map'
  /** The start of the text as written, for messages. */
  readonly source: string
  readonly entries: readonly YamlEntry[]
  readonly line: number
}

export interface YamlSequence {
  readonly kind: 'seq'
  /** The start of the text as written, for messages. */
  readonly source: string
  readonly items: readonly YamlValue[]
  readonly line: number
}

export interface YamlEntry {
  readonly key: YamlValue
  readonly value: YamlValue
}

// Aliases can expand a small file into a huge or cyclic tree; a real bucket map is far below both.
const MAX_DEPTH = 64
const MAX_NODES = 100_000

/**
 * Parses YAML text into `YamlValue` nodes that remember their line, or `null` for an empty
 * document. Syntax errors, duplicate keys and several documents throw `BucketMapError`.
 */
export function readYaml(text: string, fileName: string): YamlValue | null {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true })
  const [error] = doc.errors
  if (error !== undefined) {
    const line = lineCounter.linePos(error.pos[0]).line
    const problem =
      error.code === 'MULTIPLE_DOCS' ? 'the file holds more than one YAML document' : error.message
    throw mapFileError(fileName, line, problem)
  }
  if (doc.contents === null) return null
  const budget = { nodes: 0 }
  // Alias.resolve searches the whole document; an expanded alias is visited many times.
  const aliasTargets = new Map<unknown, unknown>()
  const follow = (node: unknown): unknown => {
    if (!isAlias(node)) return node
    if (!aliasTargets.has(node)) aliasTargets.set(node, node.resolve(doc as Document))
    return aliasTargets.get(node)
  }
  const convert = (node: unknown, depth: number, fallbackLine: number): YamlValue => {
    const lineOf = (n: Node): number =>
      n.range ? lineCounter.linePos(n.range[0]).line : fallbackLine
    const sourceOf = (n: Node): string => {
      const written = n.range ? text.slice(n.range[0], n.range[1]).trim() : ''
      return written.length > 40 ? `${written.slice(0, 37)}...` : written
    }
    if (++budget.nodes > MAX_NODES || depth > MAX_DEPTH) {
      const problem = 'the map is too large or too deeply nested (YAML aliases?)'
      throw mapFileError(fileName, fallbackLine, problem)
    }
    const target = follow(node)
    if (isScalar(target)) {
      const line = lineOf(target)
      return {
        kind: 'scalar',
        value: target.value,
        source: target.source ?? String(target.value),
        line,
      }
    }
    if (isSeq(target)) {
      const line = lineOf(target)
      const items = target.items.map((i) => convert(i, depth + 1, line))
      return { kind: 'seq', line, source: sourceOf(target), items }
    }
    if (isMap(target)) {
      const line = lineOf(target)
      const entries = target.items.map((pair): YamlEntry => {
        const key = convert(pair.key, depth + 1, line)
        return { key, value: convert(pair.value, depth + 1, key.line) }
      })
      return { kind: 'map', line, source: sourceOf(target), entries }
    }
    // An empty value (`key:` with nothing after it) has no node at all.
    return { kind: 'scalar', value: null, source: '', line: fallbackLine }
  }
  return convert(doc.contents, 0, 1)
}
