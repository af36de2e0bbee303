import { PROVIDER_OPTION_FLAGS } from '../provider-options.js'

/** `tea copy`'s options as commander parses them (numbers stay text until checked). */
export interface CopyFlags {
  endpoint?: string
  appName?: string
  edlHost?: string
  cache: boolean
  destProfile?: string
  partSize: string
  concurrency: string
  objectConcurrency: string
  sourceEndpointUrl?: string
  destEndpointUrl?: string
  sourceRegion: string
  destRegion?: string
  pathStyle?: boolean
  resume: boolean
  leavePartsOnError?: boolean
  json?: boolean
}

/**
 * The flag that sets each option of `fromS3Credentials`, `copyObject` and `copyPrefix`, so
 * that their `ERR_INVALID_OPTION` messages name what the user typed.
 */
export const COPY_OPTION_FLAGS: Readonly<Record<string, string>> = {
  ...PROVIDER_OPTION_FLAGS,
  partSize: '--part-size',
  concurrency: '--concurrency',
  objectConcurrency: '--object-concurrency',
}
