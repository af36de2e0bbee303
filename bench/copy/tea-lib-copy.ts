/**
 * Fallback for the copy benchmark while `tea copy` cannot take the bench's credentials: the
 * library's `copyObject` in a child process of its own (so its RSS is measured alone), with the
 * same inputs the CLI would get. Run by bench/copy/run.ts as
 *
 *   node --conditions=@tea-ts/source --import tsx bench/copy/tea-lib-copy.ts
 *
 * Reads BENCH_ENDPOINT, BENCH_SRC_{BUCKET,KEY,ACCESS_KEY_ID,SECRET_ACCESS_KEY,SESSION_TOKEN},
 * BENCH_DST_{BUCKET,KEY,ACCESS_KEY_ID,SECRET_ACCESS_KEY}, BENCH_PART_SIZE (bytes),
 * BENCH_CONCURRENCY, and optionally BENCH_DST_ENDPOINT (another endpoint for the destination),
 * BENCH_CHECKSUM (`auto`, `crc32`, `md5`) and BENCH_RESUME=0; prints the CopyResult as one JSON line.
 */
import { S3Client } from '@aws-sdk/client-s3'
import { copyObject, enableYoungGcWhileStreaming } from '@tea-ts/transfer'

function need(name: string): string {
  const value = process.env[name]
  if (!value) throw new Error(`${name} is not set`)
  return value
}

function client(prefix: 'SRC' | 'DST'): S3Client {
  const sessionToken = process.env[`BENCH_${prefix}_SESSION_TOKEN`]
  return new S3Client({
    endpoint: process.env[`BENCH_${prefix}_ENDPOINT`] || need('BENCH_ENDPOINT'),
    region: 'us-east-1',
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    credentials: {
      accessKeyId: need(`BENCH_${prefix}_ACCESS_KEY_ID`),
      secretAccessKey: need(`BENCH_${prefix}_SECRET_ACCESS_KEY`),
      ...(sessionToken ? { sessionToken } : {}),
    },
  })
}

// As `tea copy` and the transfer Lambda do.
enableYoungGcWhileStreaming()
const result = await copyObject({
  source: { bucket: need('BENCH_SRC_BUCKET'), key: need('BENCH_SRC_KEY'), client: client('SRC') },
  dest: { bucket: need('BENCH_DST_BUCKET'), key: need('BENCH_DST_KEY'), client: client('DST') },
  partSize: Number(need('BENCH_PART_SIZE')),
  concurrency: Number(need('BENCH_CONCURRENCY')),
  checksum: (process.env.BENCH_CHECKSUM as 'auto' | 'crc32' | 'md5' | undefined) ?? 'auto',
  resume: process.env.BENCH_RESUME !== '0',
})
process.stdout.write(`${JSON.stringify(result)}\n`)
