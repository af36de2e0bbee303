import { homedir } from 'node:os'
import { join } from 'node:path'
import type { CliDeps } from './cli-deps.js'

/** What `tea credentials` and `tea copy` share about the `/s3credentials` credential provider. */

/** The flag that sets each of `fromS3Credentials`' options, for misuse messages. */
export const PROVIDER_OPTION_FLAGS: Readonly<Record<string, string>> = {
  endpoint: '--endpoint',
  appName: '--app-name',
  edlHost: '--edl-host',
}

/**
 * Where `tea credentials` and `tea copy` share `/s3credentials` credentials:
 * `$XDG_CACHE_HOME/tea-ts/s3credentials.json`, else `~/.cache/tea-ts/s3credentials.json`.
 */
export function defaultCacheFile(env: CliDeps['env']): string {
  const home = env.HOME || homedir()
  return join(env.XDG_CACHE_HOME || join(home, '.cache'), 'tea-ts', 's3credentials.json')
}
