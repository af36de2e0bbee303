import { createServer, request as httpRequest } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

/** What the proxy does with each request until told otherwise. */
export type Fault =
  /** Forward to the target unchanged. */
  | { readonly kind: 'pass' }
  /** Hold the request this long, then forward it (a slow upstream). */
  | { readonly kind: 'delay'; readonly ms: number }
  /** Answer this instead of forwarding (throttling, 5xx, a body that is not JSON). */
  | {
      readonly kind: 'answer'
      readonly status: number
      readonly body: string
      readonly contentType: string
    }
  /** Reset the connection (TCP RST) as soon as the request arrives. */
  | { readonly kind: 'reset' }
  /** Stop listening and drop every open connection: connection refused until the next `set`. */
  | { readonly kind: 'down' }

export interface FaultProxy {
  /** `http://127.0.0.1:<port>`; stays the same across `down` and back. */
  readonly url: string
  /** Requests that reached the proxy while it was listening. */
  readonly requests: () => number
  /** Switches the fault for the next requests (re-listening on the same port after `down`). */
  set(fault: Fault): Promise<void>
  close(): Promise<void>
}

/**
 * A real HTTP proxy on 127.0.0.1 in front of `target` (the EDL emulator, radosgw STS, a blacklist
 * server) that injects one fault at a time: delay, a canned answer, a reset, or a closed port.
 * Requests go to the target with their own `Host` header, so SigV4 signatures made for the
 * proxy's address still verify. Unlike a module mock, the service under test sees real sockets,
 * real timeouts and real refusals.
 *
 * @example
 * const sts = await startFaultProxy(env.endpoint)
 * await sts.set({ kind: 'delay', ms: 5_000 })
 */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target)
  let fault: Fault = { kind: 'pass' }
  let requests = 0
  const sockets = new Set<Socket>()
  const timers = new Set<NodeJS.Timeout>()

  const forward = (req: IncomingMessage, res: ServerResponse): void => {
    const out = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      },
    )
    out.on('error', () => req.socket.destroy())
    req.pipe(out)
  }

  const server = createServer((req, res) => {
    requests++
    const now = fault
    switch (now.kind) {
      case 'pass':
        return forward(req, res)
      case 'delay': {
        const timer = setTimeout(() => {
          timers.delete(timer)
          if (!req.socket.destroyed) forward(req, res)
        }, now.ms)
        timers.add(timer)
        return
      }
      case 'answer':
        req.resume()
        res.writeHead(now.status, { 'content-type': now.contentType }).end(now.body)
        return
      case 'reset':
      case 'down':
        req.socket.resetAndDestroy()
        return
    }
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  const listen = (port: number): Promise<void> =>
    new Promise((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject)
        resolve()
      })
    })
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      for (const socket of sockets) socket.destroy()
      if (!server.listening) return resolve()
      server.close(() => resolve())
    })

  await listen(0)
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => requests,
    async set(next) {
      fault = next
      if (next.kind === 'down') return stop()
      if (!server.listening) await listen(port)
    },
    close: stop,
  }
}
