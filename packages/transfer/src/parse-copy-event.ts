import { InvalidEventError } from './errors.js'

/** The Lambda event, exactly as the seed defines it. */
export interface CopyEvent {
  /** The `/s3credentials` URL that vends the source credentials. */
  readonly CredentialsEndpoint: string
  /** The EDL user token sent to it. */
  readonly BearerToken: string
  readonly Source: { readonly Bucket: string; readonly Key: string }
  /** `Key` defaults to `Source.Key`. */
  readonly Dest: { readonly Bucket: string; readonly Key?: string }
}

type Shape = Record<string, 'string' | 'string?' | Record<string, 'string' | 'string?'>>

const SHAPE: Shape = {
  CredentialsEndpoint: 'string',
  BearerToken: 'string',
  Source: { Bucket: 'string', Key: 'string' },
  Dest: { Bucket: 'string', Key: 'string?' },
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

function check(value: unknown, shape: Shape[string], path: string, problems: string[]): void {
  if (typeof shape === 'string') {
    if (value === undefined) {
      if (!shape.endsWith('?')) problems.push(`${path} is missing`)
    } else if (typeof value !== 'string' || value.trim() === '') {
      problems.push(`${path} must be a non-empty string`)
    }
    return
  }
  if (!isRecord(value)) {
    problems.push(value === undefined ? `${path} is missing` : `${path} must be an object`)
    return
  }
  for (const [k, s] of Object.entries(shape)) check(value[k], s, `${path}.${k}`, problems)
  for (const k of Object.keys(value))
    if (!(k in shape)) problems.push(`${path}.${k} is not allowed`)
}

/**
 * Narrows an untrusted Lambda event to a {@link CopyEvent}. Unknown fields are refused, so a
 * typo (`Destination`, `Dest.key`) fails loudly instead of being ignored.
 *
 * @throws InvalidEvent listing every problem (never echoing the token).
 */
export function parseCopyEvent(event: unknown): CopyEvent {
  const problems: string[] = []
  if (!isRecord(event)) {
    problems.push('the event must be a JSON object')
  } else {
    for (const [k, s] of Object.entries(SHAPE)) check(event[k], s, k, problems)
    for (const k of Object.keys(event)) if (!(k in SHAPE)) problems.push(`${k} is not allowed`)
    if (problems.length === 0 && /\s/.test(String(event.BearerToken))) {
      problems.push('BearerToken must not contain whitespace')
    }
  }
  if (problems.length > 0) {
    throw new InvalidEventError(
      `Invalid event: ${problems.join('; ')}. Expected {"CredentialsEndpoint", "BearerToken", ` +
        `"Source": {"Bucket", "Key"}, "Dest": {"Bucket", "Key"?}}`,
    )
  }
  return event as unknown as CopyEvent
}
