import { createBufferPool } from './buffer-pool.js'
import type { BufferPool } from './buffer-pool.js'
import { runStep } from './copy-context.js'
import { SOURCE_ETAG_METADATA, copyWith } from './copy-object.js'
import type { CopyResult } from './copy-object.js'
import {
  AccessDeniedError,
  TransferAbortedError,
  TransferError,
  TransferOptionError,
} from './errors.js'
import { normalizeEtag } from './etags.js'
import { checkPrefixLocation, resolveTuning } from './resolve-copy-options.js'
import type { CopyTuning, ResolvedTuning, S3Location } from './resolve-copy-options.js'
import { runWorkers } from './run-workers.js'
import { headIfExists, listObjects } from './s3-ops.js'
import type { ListedObject } from './s3-ops.js'
import { describeCause } from './to-transfer-error.js'

/** Progress of a prefix copy, over all its objects. */
export interface PrefixProgress {
  /** Bytes copied, skipped or in flight; can go down when a part is read again. */
  readonly bytes: number
  readonly totalBytes: number
  readonly objectsDone: number
  readonly objects: number
}

/** The outcome of one object of a prefix copy. */
export type ObjectOutcome =
  | {
      readonly status: 'copied'
      readonly key: string
      readonly destKey: string
      readonly result: CopyResult
    }
  | { readonly status: 'skipped'; readonly key: string; readonly destKey: string }
  | {
      readonly status: 'failed'
      readonly key: string
      readonly destKey: string
      readonly error: TransferError
    }

/** Options of {@link copyPrefix}. `source.key` and `dest.key` are prefixes ('' for a whole bucket). */
export interface CopyPrefixOptions extends CopyTuning {
  readonly source: S3Location
  readonly dest: S3Location
  /** Objects copied at once; parts in flight stay bounded by `concurrency` over all of them. Default: 8. */
  readonly objectConcurrency?: number
  /** Skip objects the destination already holds (same size and ETag, or copied by us from the same ETag). Default: true. */
  readonly skipExisting?: boolean
  readonly onProgress?: (progress: PrefixProgress) => void
  /** Hears of each object as it finishes. Default: none. */
  readonly onObject?: (outcome: ObjectOutcome) => void
}

/** The summary of {@link copyPrefix}. */
export interface CopyPrefixResult {
  readonly copied: number
  readonly skipped: number
  readonly failed: number
  /** Bytes of the objects copied (not of those skipped). */
  readonly bytes: number
  readonly seconds: number
  readonly errors: ReadonlyArray<{
    readonly key: string
    readonly code: string
    readonly message: string
  }>
}

interface Shared {
  readonly options: CopyPrefixOptions
  readonly tuning: ResolvedTuning
  readonly pool: BufferPool
  readonly existing: ReadonlyMap<string, ListedObject>
  readonly signal: AbortSignal
  readonly progress: (key: string, bytes: number) => void
}

/** Same size and either the same ETag, or our own copy of that very source version. */
async function alreadyThere(s: Shared, src: ListedObject, destKey: string): Promise<boolean> {
  const there = s.existing.get(destKey)
  if (there === undefined || there.size !== src.size) return false
  const etag = normalizeEtag(src.etag)
  if (normalizeEtag(there.etag) === etag) return true
  const { client, bucket } = s.options.dest
  const step = { side: 'dest', operation: 'HeadObject', bucket, key: destKey } as const
  const head = await runStep(s, step, () => headIfExists(client, bucket, destKey, s.signal))
  return head?.headers.Metadata?.[SOURCE_ETAG_METADATA] === etag
}

async function copyOne(s: Shared, src: ListedObject): Promise<ObjectOutcome> {
  const { source, dest } = s.options
  const destKey = dest.key + src.key.slice(source.key.length)
  const base = { key: src.key, destKey }
  try {
    if (s.options.skipExisting !== false && (await alreadyThere(s, src, destKey))) {
      s.progress(src.key, src.size)
      return { ...base, status: 'skipped' }
    }
    const result = await copyWith(
      {
        source: { ...source, key: src.key },
        dest: { ...dest, key: destKey },
        onProgress: (p) => s.progress(src.key, p.bytes),
      },
      s.tuning,
      s.pool,
    )
    return { ...base, status: 'copied', result }
  } catch (err) {
    if (s.signal.aborted) throw err
    s.progress(src.key, src.size)
    const error =
      err instanceof TransferError
        ? err
        : new TransferError(`s3://${source.bucket}/${src.key}: ${describeCause(err)}`, {
            cause: err,
          })
    return { ...base, status: 'failed', error }
  }
}

async function listAll(
  s: Pick<Shared, 'tuning' | 'signal'>,
  loc: S3Location,
  side: 'source' | 'dest',
): Promise<ListedObject[]> {
  const step = { side, operation: 'ListObjectsV2', bucket: loc.bucket, key: loc.key } as const
  return runStep(s, step, async () => {
    const all: ListedObject[] = []
    for await (const o of listObjects(loc.client, loc.bucket, loc.key, s.signal)) all.push(o)
    return all
  })
}

/**
 * Copies every object under `source.key` (a prefix) to the same relative key under `dest.key`,
 * `objectConcurrency` objects at a time, each as {@link copyObject} would (one buffer pool for
 * all, so memory stays near partSize × concurrency). Objects already at the destination are
 * skipped. A failed object does not stop the others: it is counted and listed in `errors`.
 *
 * @throws TransferOptionError on misuse; TransferError when listing fails or the signal aborts.
 * @example
 * ```ts
 * const summary = await copyPrefix({
 *   source: { bucket: 'daac-bucket', key: 'granules/2024/', client: sourceS3 },
 *   dest: { bucket: 'my-bucket', key: 'mirror/2024/', client: destS3 },
 * })
 * console.log(`${summary.copied} copied, ${summary.skipped} skipped, ${summary.failed} failed`)
 * ```
 */
export async function copyPrefix(options: CopyPrefixOptions): Promise<CopyPrefixResult> {
  checkPrefixLocation(options.source, 'source')
  checkPrefixLocation(options.dest, 'dest')
  const objectConcurrency = options.objectConcurrency ?? 8
  if (!Number.isSafeInteger(objectConcurrency) || objectConcurrency < 1) {
    throw new TransferOptionError(
      'objectConcurrency',
      `must be an integer ≥ 1, got ${objectConcurrency}`,
    )
  }
  const tuning = resolveTuning(options)
  const started = tuning.now()
  const stop = new AbortController()
  const where = `s3://${options.source.bucket}/${options.source.key}`
  const onAbort = (): void =>
    stop.abort(
      new TransferAbortedError(`The copy of ${where} was aborted`, {
        cause: tuning.signal?.reason,
      }),
    )
  if (tuning.signal?.aborted) onAbort()
  tuning.signal?.addEventListener('abort', onAbort, { once: true })
  try {
    const ctx = { tuning, signal: stop.signal }
    const objects = await listAll(ctx, options.source, 'source')
    const existing = new Map<string, ListedObject>()
    if (options.skipExisting !== false) {
      // A destination that may be written but not listed only loses the skipping.
      const there = await listAll(ctx, options.dest, 'dest').catch((err: unknown) => {
        if (err instanceof AccessDeniedError) return []
        throw err
      })
      for (const o of there) existing.set(o.key, o)
    }
    const totalBytes = objects.reduce((n, o) => n + o.size, 0)
    const perObject = new Map<string, number>()
    let bytes = 0
    let objectsDone = 0
    const report = (): void =>
      options.onProgress?.({ bytes, totalBytes, objectsDone, objects: objects.length })
    const shared: Shared = {
      options,
      tuning: { ...tuning, signal: stop.signal },
      pool: createBufferPool(tuning.concurrency),
      existing,
      signal: stop.signal,
      progress: (key, n) => {
        bytes += n - (perObject.get(key) ?? 0)
        perObject.set(key, n)
        report()
      },
    }
    const summary = { copied: 0, skipped: 0, failed: 0, bytes: 0 }
    const errors: Array<{ key: string; code: string; message: string }> = []
    await runWorkers(
      objects[Symbol.iterator](),
      objectConcurrency,
      async (src) => {
        const outcome = await copyOne(shared, src)
        objectsDone++
        summary[outcome.status]++
        if (outcome.status === 'copied') summary.bytes += src.size
        if (outcome.status === 'failed') {
          errors.push({ key: src.key, code: outcome.error.code, message: outcome.error.message })
        }
        report()
        options.onObject?.(outcome)
      },
      stop,
    )
    return { ...summary, seconds: Math.round(tuning.now() - started) / 1000, errors }
  } catch (err) {
    if (stop.signal.reason instanceof TransferAbortedError) throw stop.signal.reason
    throw err
  } finally {
    tuning.signal?.removeEventListener('abort', onAbort)
  }
}
