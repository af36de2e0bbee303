/**
 * CPU per presigned URL, in a process of its own (bench/egress/run.ts runs it, interleaved for
 * this checkout and a baseline). Prints one JSON line `{ "micros": … }`.
 *
 *   node --conditions=@tea-ts/source --import tsx bench/egress/presign-cost.ts [checkout]
 *
 * `checkout` (default: this one) is the repository whose `presignUrl` is measured, so a
 * baseline's signer runs with its own sources and dependencies.
 */
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

interface Presign {
  presignUrl(input: {
    credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string }
    region: string
    bucket: string
    key: string
    method: 'GET'
    expiresInSeconds: number
    query: Record<string, string>
    signingDate?: Date
  }): Promise<string>
}

const checkout = resolve(process.argv[2] ?? new URL('../..', import.meta.url).pathname)
const { presignUrl } = (await import(
  pathToFileURL(`${checkout}/packages/server/src/egress/presign-url.ts`).href
)) as Presign
// One set of role credentials for every URL, as within a 10-minute credentials cache entry; a
// session token of STS's usual length.
const credentials = {
  accessKeyId: 'ASIAEXAMPLEEXAMPLE01',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  sessionToken: 'IQoJb3JpZ2luX2VjE/+='.repeat(40),
}
const input = {
  credentials,
  region: 'us-west-2',
  bucket: 'gsfc-ngap-p-protected',
  method: 'GET' as const,
  expiresInSeconds: 3540,
  query: { 'A-userid': 'benchuser' },
}
// A different key per URL and the clock as signing date, as the route signs.
const url = (i: number) =>
  presignUrl({ ...input, key: `MOD09GA/2026/${i % 366}/granule-${i}.hdf`, signingDate: new Date() })
for (let i = 0; i < 3000; i++) await url(i)
const n = 20_000
const t0 = process.cpuUsage()
for (let i = 0; i < n; i++) await url(i)
const d = process.cpuUsage(t0)
console.log(JSON.stringify({ micros: Math.round(((d.user + d.system) / n) * 10) / 10 }))
