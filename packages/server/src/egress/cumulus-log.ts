/** Where TEA's raw Cumulus metric lines go (stdout in production). */
export interface MetricsSink {
  write(line: string): void
}

export type CumulusOutcome = 'success' | 'failure'

/**
 * TEA's `cumulus_log_message`: the caller's fields, then `code`, `http_method`, `status` and
 * `requestid`, serialized as Python's `json.dumps` does (`", "` and `": "` separators, non-ASCII
 * as `\uXXXX`), one line, outside the JSON logger, so Cumulus metric filters keep matching.
 *
 * @example
 * cumulusLogLine('failure', 416, 'GET', { reason: 'Invalid Range', s3: 'b/k', range: 'bytes=9-' }, 'id')
 */
export function cumulusLogLine(
  outcome: CumulusOutcome,
  code: number,
  httpMethod: string,
  fields: Readonly<Record<string, string | number>>,
  requestId: string,
): string {
  const tail = { code, http_method: httpMethod, status: outcome, requestid: requestId }
  // One line per download: built by concatenation, without the merged object and the array
  // of pairs. A caller's field named like a trailing key is overridden in its own
  // position, as the object spread TEA's dict update mirrors would do.
  let body = ''
  for (const [key, own] of Object.entries(fields)) {
    const value = Object.hasOwn(tail, key) ? tail[key as keyof typeof tail] : own
    body += `${body === '' ? '' : ', '}${pyJson(key)}: ${pyJson(value)}`
  }
  for (const key of TAIL_KEYS) {
    if (Object.hasOwn(fields, key)) continue
    body += `${body === '' ? '' : ', '}${pyJson(key)}: ${pyJson(tail[key])}`
  }
  return `{${body}}`
}

/**
 * The success line of every 303, `cumulusLogLine('success', 303, httpMethod, { redirect: 'yes',
 * redirect_URL: redirectUrl }, requestId)`, with its fixed parts written out: one per download.
 */
export function cumulusRedirectLine(
  httpMethod: string,
  redirectUrl: string,
  requestId: string,
): string {
  return (
    `{"redirect": "yes", "redirect_URL": ${pyJson(redirectUrl)}, "code": 303, ` +
    `"http_method": ${pyJson(httpMethod)}, "status": "success", "requestid": ${pyJson(requestId)}}`
  )
}

const TAIL_KEYS = ['code', 'http_method', 'status', 'requestid'] as const

const HAS_NON_ASCII = /[\u007f-\uffff]/
const NON_ASCII = /[\u007f-\uffff]/g

function pyJson(value: string | number): string {
  const json = JSON.stringify(value)
  // Most lines are ASCII: skip the replace (and its closure) for them.
  if (typeof value === 'number' || !HAS_NON_ASCII.test(json)) return json
  return json.replace(NON_ASCII, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}
