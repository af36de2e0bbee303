// Uploads scripts/demo/objects/<bucket>/<key> to the local radosgw with the stack owner's keys.
// One node process for every object: aws-cli costs about a second per call on a busy machine.
//   S3_ENDPOINT=… S3_ACCESS_KEY_ID=… S3_SECRET_ACCESS_KEY=… node put-objects.mjs <objects dir>
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3'

const root = process.argv[2]
const { S3_ENDPOINT, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY } = process.env
if (!root || !S3_ENDPOINT || !S3_ACCESS_KEY_ID || !S3_SECRET_ACCESS_KEY) {
  console.error(
    'usage: S3_ENDPOINT=… S3_ACCESS_KEY_ID=… S3_SECRET_ACCESS_KEY=… put-objects.mjs DIR',
  )
  process.exit(2)
}

// radosgw needs path-style addressing and no default checksums (docs/local-stack.md).
const s3 = new S3Client({
  endpoint: S3_ENDPOINT,
  region: 'us-east-1',
  forcePathStyle: true,
  requestChecksumCalculation: 'WHEN_REQUIRED',
  responseChecksumValidation: 'WHEN_REQUIRED',
  credentials: { accessKeyId: S3_ACCESS_KEY_ID, secretAccessKey: S3_SECRET_ACCESS_KEY },
  maxAttempts: 2,
})

const files = readdirSync(root, { recursive: true })
  .map((name) => join(root, String(name)))
  .filter((path) => statSync(path).isFile())

try {
  await Promise.all(
    files.map(async (path) => {
      const [bucket, ...key] = relative(root, path).split(sep)
      const Key = key.join('/')
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key,
          Body: readFileSync(path),
          ContentType: 'text/plain',
        }),
      )
      console.log(`s3://${bucket}/${Key}`)
    }),
  )
} catch (err) {
  const status = err?.$metadata?.httpStatusCode
  console.error(
    `put-objects: ${err?.name ?? 'Error'}${status ? ` (HTTP ${status})` : ''}: ${err?.message}`,
  )
  process.exit(1)
}
