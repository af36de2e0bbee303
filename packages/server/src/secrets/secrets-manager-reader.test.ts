import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager'
import { describe, expect, it } from 'vitest'
import { secretsManagerReader } from './secrets-manager-reader.js'
import type { SecretsManagerLike } from './secrets-manager-reader.js'

function fakeClient(answer: () => Promise<{ SecretString?: string; SecretBinary?: Uint8Array }>) {
  const ids: unknown[] = []
  const client: SecretsManagerLike = {
    send: async (command) => {
      expect(command).toBeInstanceOf(GetSecretValueCommand)
      ids.push(command.input.SecretId)
      return answer()
    },
  }
  return { client, ids }
}

describe('secretsManagerReader', () => {
  it('returns SecretString, or SecretBinary as UTF-8', async () => {
    const text = fakeClient(async () => ({ SecretString: '{"UrsId":"x"}' }))
    expect(await secretsManagerReader(text.client).getSecretString('urs_creds_for_tea')).toBe(
      '{"UrsId":"x"}',
    )
    expect(text.ids).toEqual(['urs_creds_for_tea'])
    const binary = fakeClient(async () => ({ SecretBinary: new TextEncoder().encode('{"a":1}') }))
    expect(await secretsManagerReader(binary.client).getSecretString('s')).toBe('{"a":1}')
  })

  it('reports only the error kind, never the SDK message, and an empty secret', async () => {
    const denied = fakeClient(async () => {
      throw Object.assign(new Error('User arn:aws:iam::1:user/x is not authorized'), {
        name: 'AccessDeniedException',
      })
    })
    await expect(secretsManagerReader(denied.client).getSecretString('s')).rejects.toThrow(
      new Error('AccessDeniedException'),
    )
    const empty = fakeClient(async () => ({}))
    await expect(secretsManagerReader(empty.client).getSecretString('s')).rejects.toThrow(
      'the secret has no value',
    )
  })
})
