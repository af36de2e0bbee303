import { renderErrorPage, renderRootPage } from './pages.js'
import type { ErrorPageInput, RootPageInput } from './pages.js'

/** The HTML pages the service renders: built in, or a DAAC's templates (HTML_TEMPLATE_DIR). */
export interface PageRenderer {
  error(input: ErrorPageInput): string
  root(input: RootPageInput): string
}

export const builtInPages: PageRenderer = { error: renderErrorPage, root: renderRootPage }
