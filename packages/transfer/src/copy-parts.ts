import type { ProgressTracker, PartProgress } from './copy-context.js'
import type { MethodLadder, PartMethod } from './part-methods.js'
import type { PartRange } from './plan-parts.js'
import { runWorkers } from './run-workers.js'

/** A part at the destination. */
export interface DonePart {
  readonly etag: string
  /** The part's MD5, when its ETag is one (then the object's multipart ETag can be predicted). */
  readonly md5: Buffer | undefined
  /** The CRC32 (base64) the destination checked, for parts sent with `stream-crc32`. */
  readonly crc32: string | undefined
}

/**
 * Sends one part by `method` (retrying as the copy's policy says) and counts its bytes on
 * `progress`. Resolves to undefined when the method proved nothing at this destination, having
 * taken its bytes back; throws a TransferError when the part failed for good.
 */
export type SendPart = (
  part: PartRange,
  method: PartMethod,
  progress: PartProgress,
) => Promise<DonePart | undefined>

/**
 * Copies the `pending` parts with `workers` workers, each part by the ladder's current method and
 * down the ladder while a method proves nothing. Returns the parts by number; the first failure
 * stops the other workers (through `stop`) and is thrown.
 */
export async function copyParts(
  progress: ProgressTracker,
  pending: Iterator<PartRange>,
  workers: number,
  ladder: MethodLadder,
  send: SendPart,
  stop: AbortController,
): Promise<Map<number, DonePart>> {
  const done = new Map<number, DonePart>()
  await runWorkers(
    pending,
    workers,
    async (part) => {
      for (let method = ladder.current(); ; method = ladder.after(method)) {
        const counter = progress.part()
        const sent = await send(part, method, counter)
        if (sent !== undefined) {
          done.set(part.partNumber, sent)
          counter.done()
          return
        }
      }
    },
    stop,
  )
  return done
}
