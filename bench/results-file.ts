import { readFile, writeFile } from 'node:fs/promises'

/**
 * Replaces the section of bench/results.md that starts with `heading` (up to the next `## `),
 * or appends it, so each benchmark rewrites only its own numbers.
 */
export async function replaceResultsSection(
  path: string | URL,
  heading: string,
  section: string,
): Promise<void> {
  const current = await readFile(path, 'utf8').catch(() => '# Benchmarks\n')
  const start = current.indexOf(`${heading}\n`)
  let next: string
  if (start === -1) {
    next = `${current.trimEnd()}\n\n${section}`
  } else {
    const after = current.indexOf('\n## ', start + heading.length)
    const body = `${section.trimEnd()}\n`
    next = current.slice(0, start) + body + (after === -1 ? '' : `\n${current.slice(after + 1)}`)
  }
  await writeFile(path, next.endsWith('\n') ? next : `${next}\n`)
}
