import type { S3Client } from '@aws-sdk/client-s3'
import { LRUCache } from 'lru-cache'

/** What identifies a source client: the endpoint vending its credentials and the token sent. */
export interface SourceClientKey {
  readonly credentialsEndpoint: string
  readonly token: string
}

/**
 * Keeps the most recent source clients by endpoint and token, so a warm Lambda container
 * reuses its credentials (refreshed by the client before they expire) for the next object of
 * the same job instead of asking `/s3credentials` again: a bulk copy of small objects would
 * otherwise make one request, and one STS AssumeRole, per object (docs/scale.md). Evicted
 * clients are dropped, not destroyed: a library caller may still be copying with one, and
 * their idle sockets time out on their own.
 */
export function cacheSourceClients<K extends SourceClientKey>(
  make: (key: K) => S3Client,
  max = 8,
): (key: K) => S3Client {
  const clients = new LRUCache<string, S3Client>({ max })
  return (key) => {
    const id = JSON.stringify([key.credentialsEndpoint, key.token])
    let client = clients.get(id)
    if (client === undefined) {
      client = make(key)
      clients.set(id, client)
    }
    return client
  }
}
