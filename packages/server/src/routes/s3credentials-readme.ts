import { readFile } from 'node:fs/promises'
import type { FastifyPluginAsync } from 'fastify'
import { marked } from 'marked'
import { SafeHtml } from '../html/html.js'
import { renderPage } from '../html/pages.js'

// Beside the sources (and shipped with them); a build in dist/ falls back to ../../src/.
const CANDIDATES = [
  new URL('../credentials/s3credentials-readme.md', import.meta.url),
  new URL('../../src/credentials/s3credentials-readme.md', import.meta.url),
]

/**
 * `GET /s3credentialsREADME`: how to use `/s3credentials`, rendered once from
 * `credentials/s3credentials-readme.md` when the plugin is registered. No login needed (TEA).
 */
export const s3CredentialsReadmeRoute: FastifyPluginAsync = async (app) => {
  const markdown = await readFirst(CANDIDATES)
  const content = await marked.parse(markdown, { gfm: true })
  app.get('/s3credentialsREADME', async (request, reply) =>
    reply.type('text/html; charset=utf-8').send(page(content, request.id)),
  )
}

async function readFirst(paths: readonly URL[]): Promise<string> {
  for (const path of paths) {
    try {
      return await readFile(path, 'utf8')
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'ENOENT') throw err
    }
  }
  throw new Error(`s3credentials README not found (looked in ${paths.join(', ')})`)
}

// Additions to the shared page style for rendered markdown.
const README_STYLE = `
body { max-width: 60em; line-height: 1.45 }
pre { background: #f4f4f4; padding: 10px; overflow-x: auto }
code { background: #f4f4f4 }
table { border-collapse: collapse } td, th { border: 1px solid #ccc; padding: 4px 8px }`

/** The README is trusted repository content, so its HTML is emitted as is. */
function page(content: string, requestId: string): string {
  return renderPage('S3 credentials', new SafeHtml(content), requestId, README_STYLE)
}
