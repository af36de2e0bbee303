import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../app.js'
import type { AppDeps, BuildAppOptions } from '../app.js'
import type { Config } from '../config.js'

export { buildDeps } from '../build-deps.js'

export interface StartServerOptions {
  readonly config: Config
  readonly deps: AppDeps
  /** Default: `config.port` (PORT, 3000). 0 picks a free port. */
  readonly port?: number
  /** Default: '127.0.0.1'. */
  readonly host?: string
  readonly appOptions?: BuildAppOptions
}

export interface RunningServer {
  /** e.g. `http://127.0.0.1:3000` (no trailing slash). */
  readonly url: string
  readonly app: FastifyInstance
  close(): Promise<void>
}

/**
 * Builds the app and listens: the Node runtime adapter behind `tea serve`.
 *
 * @example
 * const server = await startServer({ config, deps: buildDeps(config), port: 0 })
 * console.log(server.url)
 * await server.close()
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const app = await buildApp(options.config, options.deps, options.appOptions)
  try {
    await app.listen({
      port: options.port ?? options.config.port,
      host: options.host ?? '127.0.0.1',
    })
  } catch (err) {
    await app.close()
    throw err
  }
  const address = app.server.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  return { url: `http://${host}:${address.port}`, app, close: () => app.close() }
}
