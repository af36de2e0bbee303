import type { FastifyPluginAsync } from 'fastify'
import { S3_CREDENTIALS_README_HTML } from '../credentials/s3credentials-readme-text.js'
import { SafeHtml } from '../html/html.js'
import { renderPage } from '../html/pages.js'

/**
 * `GET /s3credentialsREADME`: how to use `/s3credentials`, from
 * `credentials/s3credentials-readme.md`, rendered to HTML at build time (scripts/embed-text.mjs)
 * so that nothing is read from disk or parsed at run time. No login needed (TEA).
 */
export const s3CredentialsReadmeRoute: FastifyPluginAsync = async (app) => {
  const content = S3_CREDENTIALS_README_HTML
  app.get('/s3credentialsREADME', async (request, reply) =>
    reply.type('text/html; charset=utf-8').send(page(content, request.id)),
  )
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
