import { connect, createServer } from 'node:net'
import type { AddressInfo, Socket } from 'node:net'

/** When to drop a connection: the `connection`-th one (1-based), once it has sent `afterBytes` to the client. */
export interface CutRule {
  readonly connection: number
  readonly afterBytes: number
}

export interface TcpProxy {
  /** `http://127.0.0.1:<port>`: use as an S3 endpoint. */
  readonly url: string
  /** Connections accepted so far. */
  readonly connections: () => number
  /** Connections cut by a rule so far. */
  readonly cuts: () => number
  /** Adds a rule: cut the Nth connection (counting from the proxy's start) after K downstream bytes. */
  cut(rule: CutRule): void
  close(): Promise<void>
}

/**
 * A TCP forwarder on 127.0.0.1:0 in front of `target` (e.g. radosgw), which can be told to
 * destroy a given connection after it has relayed a given number of response bytes, like a
 * network that drops mid-body. Both sides are destroyed (RST-like), as a real failure would.
 *
 * @example
 * ```ts
 * const proxy = await startTcpProxy('http://127.0.0.1:7480', [{ connection: 2, afterBytes: 1 << 20 }])
 * const s3 = s3ClientFor(creds, proxy.url)
 * ```
 */
export async function startTcpProxy(target: string, rules: CutRule[] = []): Promise<TcpProxy> {
  const { hostname, port } = new URL(target)
  const live = new Set<Socket>()
  let accepted = 0
  let cuts = 0
  const server = createServer((client) => {
    const n = ++accepted
    const rule = rules.find((r) => r.connection === n)
    const upstream = connect({ host: hostname, port: Number(port) })
    live.add(client).add(upstream)
    let relayed = 0
    const drop = (): void => {
      client.destroy()
      upstream.destroy()
    }
    upstream.on('data', (chunk: Buffer) => {
      if (rule && relayed + chunk.length >= rule.afterBytes) {
        client.write(chunk.subarray(0, Math.max(0, rule.afterBytes - relayed)))
        cuts++
        drop()
        return
      }
      relayed += chunk.length
      if (!client.write(chunk)) upstream.pause()
    })
    client.on('drain', () => upstream.resume())
    client.pipe(upstream)
    for (const s of [client, upstream]) {
      s.on('error', drop)
      s.on('close', () => {
        live.delete(s)
        drop()
      })
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${address.port}`,
    connections: () => accepted,
    cuts: () => cuts,
    cut: (rule) => {
      rules.push(rule)
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of live) s.destroy()
        server.close(() => resolve())
      }),
  }
}
