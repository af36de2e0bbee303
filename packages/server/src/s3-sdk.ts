import type { S3Client } from '@aws-sdk/client-s3'
import { lazy } from './lazy.js'

/**
 * `@aws-sdk/client-s3`, imported on first use: compiling it is a large part of a Lambda cold
 * start, and a start that serves `/version` or `/s3credentials` never needs it.
 *
 * @example const { S3Client, GetObjectCommand } = await loadS3Sdk()
 */
export const loadS3Sdk = lazy(() => import('@aws-sdk/client-s3'))

export type S3Sdk = Awaited<ReturnType<typeof loadS3Sdk>>

/** An S3 client, or a function that makes one on first use (as the real deps do). */
export type S3ClientSource = S3Client | (() => Promise<S3Client>)

/** The client of a {@link S3ClientSource}. */
export function resolveS3Client(source: S3ClientSource): Promise<S3Client> {
  return typeof source === 'function' ? source() : Promise.resolve(source)
}
