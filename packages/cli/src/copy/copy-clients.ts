import { homedir } from 'node:os'
import type { S3Client } from '@aws-sdk/client-s3'
import { fromIni, fromNodeProviderChain } from '@aws-sdk/credential-providers'
import { fileCredentialsStore } from '@tea-ts/client'
import { createDestClient, createSourceClient } from '@tea-ts/transfer'
import { defaultCacheFile } from '../provider-options.js'
import type { CliDeps } from '../cli-deps.js'
import type { CopyFlags } from './copy-flags.js'

/** The source reads with `/s3credentials` credentials, shared through the cache file. */
export function sourceClient(flags: CopyFlags, deps: CliDeps): S3Client {
  return createSourceClient({
    credentialsEndpoint: flags.endpoint ?? deps.env.EARTHDATA_S3_CREDENTIALS_URL ?? '',
    s3: {
      region: flags.sourceRegion,
      forcePathStyle: flags.pathStyle === true,
      ...(flags.sourceEndpointUrl ? { endpoint: flags.sourceEndpointUrl } : {}),
    },
    credentials: {
      appName: flags.appName,
      edlHost: flags.edlHost,
      env: deps.env,
      homeDir: deps.env.HOME || homedir(),
      fetch: deps.fetch,
      store: flags.cache ? fileCredentialsStore(defaultCacheFile(deps.env)) : undefined,
      logger: { warn: (message) => deps.stderr.write(`warning: ${message}\n`) },
    },
  })
}

/** The destination uses the user's own AWS credentials: `--dest-profile`, else the standard chain. */
export function destClient(flags: CopyFlags, env: CliDeps['env']): S3Client {
  const files = {
    ...(env.AWS_SHARED_CREDENTIALS_FILE ? { filepath: env.AWS_SHARED_CREDENTIALS_FILE } : {}),
    ...(env.AWS_CONFIG_FILE ? { configFilepath: env.AWS_CONFIG_FILE } : {}),
  }
  const credentials = flags.destProfile
    ? fromIni({ profile: flags.destProfile, ...files })
    : fromNodeProviderChain(files)
  return createDestClient({
    region: flags.destRegion ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
    forcePathStyle: flags.pathStyle === true,
    ...(flags.destEndpointUrl ? { endpoint: flags.destEndpointUrl } : {}),
    credentials,
  })
}
