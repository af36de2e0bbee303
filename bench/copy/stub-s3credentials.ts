import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { StaticCredentials } from './presign.js'

/**
 * A stand-in for TEA's `/s3credentials` on 127.0.0.1:0 that hands `tea copy` the same STS
 * credentials the other tools get (so the bench needs neither the server nor the EDL
 * emulator, and no tool gets different credentials). Any bearer token is accepted.
 */
export async function startStubS3Credentials(
  credentials: Required<StaticCredentials>,
  expiration: Date,
): Promise<{ url: string; hits(): number; close(): Promise<void> }> {
  let hits = 0
  const body = JSON.stringify({ ...credentials, expiration: expiration.toISOString() })
  const server = createServer((req, res) => {
    if (req.url?.split('?')[0] !== '/s3credentials') {
      res.writeHead(404).end()
    } else if (!/^Bearer \S+$/.test(req.headers.authorization ?? '')) {
      res.writeHead(401).end()
    } else {
      hits++
      res.writeHead(200, { 'content-type': 'application/json' }).end(body)
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/s3credentials`,
    hits: () => hits,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
