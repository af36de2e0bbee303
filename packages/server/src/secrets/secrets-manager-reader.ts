import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import type { SecretReader } from './secret-reader.js'

/** The one method of SecretsManagerClient we use, so tests can pass a few-line fake. */
export interface SecretsManagerLike {
  send(
    command: GetSecretValueCommand,
  ): Promise<{ SecretString?: string | undefined; SecretBinary?: Uint8Array | undefined }>
}

/**
 * Reads TEA's secrets (URS_CREDS_SECRET_NAME, JWT_KEY_SECRET_NAME) from AWS Secrets Manager.
 * The only module that imports the Secrets Manager SDK. Default client: region and credentials
 * from the Lambda environment.
 *
 * @example
 * const secrets = secretsManagerReader()
 * const json = await secrets.getSecretString('urs_creds_for_tea')
 */
export function secretsManagerReader(
  client: SecretsManagerLike = new SecretsManagerClient({}),
): SecretReader {
  return {
    async getSecretString(name) {
      let output: Awaited<ReturnType<SecretsManagerLike['send']>>
      try {
        output = await client.send(new GetSecretValueCommand({ SecretId: name }))
      } catch (err) {
        // SDK errors name the failure (AccessDeniedException…) and never contain the value.
        throw new Error(err instanceof Error ? err.name : 'unknown error', { cause: err })
      }
      if (typeof output.SecretString === 'string') return output.SecretString
      if (output.SecretBinary !== undefined)
        return Buffer.from(output.SecretBinary).toString('utf8')
      throw new Error('the secret has no value')
    },
  }
}
