import { Environment } from 'nunjucks'
import type { ILoader, LoaderSource } from 'nunjucks'
import { sessionClaims } from '../auth/session.js'
import type { UserProfile } from '../auth/user-profile.js'
import type { PageText } from '../errors.js'
import type { PageRenderer } from './page-renderer.js'
import { renderErrorPage, renderRootPage } from './pages.js'

export interface TemplatePagesOptions {
  /** Template file name → text, loaded at start-up (nothing is read from disk per request). */
  readonly templates: ReadonlyMap<string, string>
  /** TEA's `STAGE` variable: STAGE_NAME, or undefined with DOMAIN_NAME. */
  readonly stage: string | undefined
  /** MATURITY=DEV: root.html gets `profile`. */
  readonly showProfile: boolean
}

/**
 * Renders TEA's Jinja templates (`error.html`, `root.html`, and what they extend, such as
 * `base.html`) with nunjucks, whose syntax is Jinja's, with TEA's variables and autoescaping.
 * A page whose template the set lacks stays built in.
 *
 * @example
 * const pages = templatePages({ templates: new Map([['error.html', '…']]), stage: 'DEV', showProfile: false })
 */
export function templatePages(options: TemplatePagesOptions): PageRenderer {
  const loader: ILoader = {
    getSource(name: string): LoaderSource {
      const src = options.templates.get(name)
      if (src === undefined) throw new Error(`template not found: ${name}`)
      return { src, path: name, noCache: false }
    },
  }
  const env = new Environment(loader, { autoescape: true, throwOnUndefined: false })
  const has = (name: string) => options.templates.has(name)
  return {
    error(input) {
      if (!has('error.html')) return renderErrorPage(input)
      return env.render('error.html', {
        STAGE: options.stage,
        status_code: input.statusCode,
        title: input.title,
        contentstring: plainText(input.content),
        requestid: input.requestId,
      })
    },
    root(input) {
      if (!has('root.html')) return renderRootPage(input)
      return env.render('root.html', {
        STAGE: options.stage,
        status_code: 200,
        title: input.title,
        ...(input.loginUrl === undefined ? {} : { URS_URL: input.loginUrl }),
        ...(input.content === undefined ? {} : { contentstring: input.content }),
        ...(input.user !== undefined && options.showProfile
          ? { profile: profileVars(input.user) }
          : {}),
        requestid: input.requestId,
      })
    },
  }
}

// TEA put HTML into contentstring and autoescaping showed it as text; plain text says the same.
function plainText(content: readonly PageText[]): string {
  return content.map((part) => (typeof part === 'string' ? part : part.href)).join('')
}

// TEA's template gets the JWT payload; the EDL token stays out of the page.
function profileVars(user: UserProfile): Record<string, unknown> {
  const claims = sessionClaims(user)
  delete claims['urs-access-token']
  return claims
}
