import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { loadS3Sdk, resolveS3Client } from '../s3-sdk.js'
import type { S3ClientSource } from '../s3-sdk.js'

/** Where templates come from: files of a prefix in the config bucket, or a local directory. */
export interface TemplateSource {
  /** File name (no directories) → text. */
  list(): Promise<Map<string, string>>
}

const MAX_TEMPLATES = 100
const MAX_BYTES = 256 * 1024

/**
 * TEA's template download: the objects directly under `s3://{bucket}/{prefix}` (not
 * recursive), at start-up. Names are the part after the prefix.
 *
 * @example await s3TemplateSource(new S3Client({}), 'egress-config', 'templates/').list()
 */
export function s3TemplateSource(
  client: S3ClientSource,
  bucket: string,
  dir: string,
): TemplateSource {
  const prefix = dir === '' || dir.endsWith('/') ? dir : `${dir}/`
  return {
    async list() {
      const [{ ListObjectsV2Command, GetObjectCommand }, s3] = await Promise.all([
        loadS3Sdk(),
        resolveS3Client(client),
      ])
      const out = await s3.send(
        new ListObjectsV2Command({
          Bucket: bucket,
          Prefix: prefix,
          Delimiter: '/',
          MaxKeys: MAX_TEMPLATES,
        }),
      )
      const templates = new Map<string, string>()
      for (const object of out.Contents ?? []) {
        const name = object.Key?.slice(prefix.length)
        if (!name || (object.Size ?? 0) > MAX_BYTES) continue
        const body = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: object.Key }))
        templates.set(name, (await body.Body?.transformToString('utf-8')) ?? '')
      }
      return templates
    },
  }
}

/** The regular files directly in `dir`. */
export function directoryTemplateSource(dir: string): TemplateSource {
  return {
    async list() {
      const templates = new Map<string, string>()
      for (const entry of (await readdir(dir, { withFileTypes: true })).slice(0, MAX_TEMPLATES)) {
        if (entry.isFile()) templates.set(entry.name, await readFile(join(dir, entry.name), 'utf8'))
      }
      return templates
    },
  }
}
