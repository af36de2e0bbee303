import { basename } from 'node:path'
import { parseS3Url } from '@tea-ts/transfer'
import type { S3Url } from '@tea-ts/transfer'
import { UsageError } from '../cli-errors.js'

/** What `tea copy SOURCE DEST` copies: one object, or every object under a prefix. */
export interface CopyPlan {
  readonly source: S3Url
  readonly dest: S3Url
  readonly prefix: boolean
}

function s3Url(text: string, what: string): S3Url {
  try {
    return parseS3Url(text)
  } catch (err) {
    // parseS3Url only parses text, so whatever it refuses is the user's argument.
    throw new UsageError(`${what}: ${(err as Error).message}`)
  }
}

/** Object → object, object → prefix/ (keeps the file name), prefix/ → prefix/. */
export function planCopy(sourceText: string, destText: string): CopyPlan {
  const source = s3Url(sourceText, 'source')
  const dest = s3Url(destText, 'destination')
  if (source.key === '' && !sourceText.endsWith('/')) {
    throw new UsageError(
      `source ${sourceText} has no key: give s3://${source.bucket}/<key>, or s3://${source.bucket}/ to copy the whole bucket`,
    )
  }
  if (source.isPrefix) {
    if (!dest.isPrefix) {
      throw new UsageError(
        `the source is a prefix (it ends in '/'), so the destination must be one too: s3://${dest.bucket}/${dest.key}/`,
      )
    }
    return { source, dest, prefix: true }
  }
  const key = dest.isPrefix ? dest.key + basename(source.key) : dest.key
  return { source, dest: { ...dest, key, isPrefix: false }, prefix: false }
}
