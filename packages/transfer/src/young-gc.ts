import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

/** Collect the young generation after this many streamed bytes (measured: 4-16 MiB all work). */
export const YOUNG_GC_EVERY_BYTES = 8 * 1024 * 1024

type Gc = (options: { type: 'minor' }) => void

let gc: Gc | undefined
let sinceLastGc = 0

/**
 * Opts this process into collecting the young generation as copies stream bytes. Called by the
 * processes that exist to copy (`tea copy`, the transfer Lambda), never on import: it changes a
 * V8 flag for the whole process.
 *
 * Why: every socket read is a new 64 KiB ArrayBuffer whose small JS wrapper dies young. A copy
 * allocates so little other JS that scavenges, which would free those buffers cheaply, hardly
 * ever run; the buffers pile up instead, and V8 answers with a full mark-compact every ~20 MiB
 * copied, about 1.5-2 CPU-seconds per GiB (bench/copy/README.md). A minor GC every
 * {@link YOUNG_GC_EVERY_BYTES} costs about a millisecond and frees them. Raising V8's heap
 * limits only works on the command line, which `tea` and a Lambda runtime do not control.
 */
export function enableYoungGcWhileStreaming(): void {
  if (gc !== undefined) return
  const exposed = (globalThis as { gc?: unknown }).gc
  if (typeof exposed === 'function') {
    gc = exposed as Gc
    return
  }
  setFlagsFromString('--expose-gc')
  // `gc` is installed in contexts created after the flag is set, not in this one.
  gc = runInNewContext('gc') as Gc
}

/** Counts bytes that went through a socket buffer; collects when enough have. */
export function noteStreamedBytes(bytes: number): void {
  if (gc === undefined) return
  sinceLastGc += bytes
  if (sinceLastGc < YOUNG_GC_EVERY_BYTES) return
  sinceLastGc = 0
  gc({ type: 'minor' })
}
