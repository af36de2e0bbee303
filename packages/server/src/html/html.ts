/** Markup that is already safe to emit: produced by {@link html} or {@link escapeHtml}. */
export class SafeHtml {
  readonly value: string
  constructor(value: string) {
    this.value = value
  }
  toString(): string {
    return this.value
  }
}

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/**
 * Escapes text for HTML element content and double- or single-quoted attribute values.
 *
 * @example escapeHtml('<a href="x">') // '&lt;a href=&quot;x&quot;&gt;'
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c)
}

/**
 * Tagged template for our few pages: every interpolated value is escaped unless it is
 * SafeHtml; arrays are concatenated; `undefined`, `null` and `false` render as nothing.
 * A dozen lines instead of a template engine: the pages are small and fixed, and this keeps
 * escaping on by default with no dependency.
 *
 * @example html`<p>${userInput}</p>`
 */
export function html(strings: TemplateStringsArray, ...values: readonly unknown[]): SafeHtml {
  let out = strings[0] ?? ''
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '')
  })
  return new SafeHtml(out)
}

function render(value: unknown): string {
  if (value instanceof SafeHtml) return value.value
  if (Array.isArray(value)) return value.map(render).join('')
  if (value === undefined || value === null || value === false) return ''
  return escapeHtml(String(value))
}

/** A link only for http(s) URLs (a `javascript:` URL from upstream stays text). */
export function link(href: string, text: string): SafeHtml {
  return /^https?:\/\//i.test(href) ? html`<a href="${href}">${text}</a>` : html`${text}`
}
