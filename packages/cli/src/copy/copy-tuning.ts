import { parseByteSize } from '@tea-ts/transfer'
import type { CopyTuning } from '@tea-ts/transfer'
import { UsageError } from '../cli-errors.js'
import type { CopyFlags } from './copy-flags.js'

function byteSize(text: string, flag: string): number {
  try {
    return parseByteSize(text)
  } catch (err) {
    // parseByteSize only parses text, so whatever it refuses is the user's argument.
    throw new UsageError(`${flag}: ${(err as Error).message}`)
  }
}

/**
 * The flags as `copyObject`/`copyPrefix` options. Only the text is converted here: the ranges
 * (part size 5 MiB..5 GiB, concurrency ≥ 1) are checked once, by transfer's `resolveTuning`,
 * whose `ERR_INVALID_OPTION` the command reports with the flag's name.
 */
export function copyTuning(flags: CopyFlags): CopyTuning & { readonly objectConcurrency: number } {
  return {
    partSize: byteSize(flags.partSize, '--part-size'),
    concurrency: Number(flags.concurrency),
    objectConcurrency: Number(flags.objectConcurrency),
    resume: flags.resume,
    leavePartsOnError: flags.leavePartsOnError === true,
  }
}
