import { createServer } from 'node:http'
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** What a fake server saw of one request. */
export interface SeenRequest {
  readonly method: string
  readonly url: string
  readonly headers: IncomingHttpHeaders
}

export interface FakeHttpServer {
  readonly url: string
  readonly requests: SeenRequest[]
  close(): Promise<void>
}

/**
 * A node:http server on 127.0.0.1:0 for tests: `handle` answers each request (it gets the
 * 0-based request number) and every request is recorded.
 */
export async function startFakeHttpServer(
  handle: (req: IncomingMessage, res: ServerResponse, n: number) => void | Promise<void>,
): Promise<FakeHttpServer> {
  const requests: SeenRequest[] = []
  const server = createServer((req, res) => {
    const n = requests.length
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers })
    req.resume()
    req.on('end', () => {
      Promise.resolve(handle(req, res, n)).catch((err: unknown) => {
        res.statusCode = 599
        res.end(String(err))
      })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** Sends a JSON body with the given status and headers. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers })
  res.end(JSON.stringify(body))
}

/** TEA's `str(datetime)` form: `2021-01-27 00:50:09+00:00`. */
export function teaExpiration(epochMs: number): string {
  return new Date(epochMs)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, '+00:00')
}

/** A 200 `/s3credentials` body numbered `n`, expiring at `expiresAt`. */
export function teaCredentials(n: number, expiresAt: number): Record<string, string> {
  return {
    accessKeyId: `ASIAFAKE${String(n).padStart(4, '0')}`,
    secretAccessKey: `secret-${n}-wJalrXUtnFEMIK7MDENGbPxRfiCY`,
    sessionToken: `session-${n}-FwoGZXIvYXdzEXAMPLE`,
    expiration: teaExpiration(expiresAt),
  }
}
