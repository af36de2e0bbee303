import type { Command } from 'commander'
import type { CliDeps } from '../cli-deps.js'
import { parsePort } from '../parse-port.js'

interface ServeOptions {
  readonly port?: number
  readonly host: string
}

/**
 * `tea serve [--port N] [--host H]`: runs the egress service until SIGINT/SIGTERM. The
 * configuration comes from TEA's environment variables (docs/configuration.md); `--port` beats
 * PORT (default 3000). Prints `listening on <url>` on stdout. A configuration problem exits 1
 * with every bad variable named.
 */
export function registerServe(
  program: Command,
  deps: CliDeps,
  setExit: (code: number) => void,
): void {
  program
    .command('serve')
    .description('run the egress service (Earthdata Login, session cookie, /s3credentials)')
    .option('--port <n>', 'port to listen on (default: PORT or 3000; 0 = any free port)', parsePort)
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .action(async (options: ServeOptions) => {
      // Loaded here, not at the top, so `tea copy` and `tea credentials` don't pay for Fastify,
      // jose and the STS client on every start (~0.5 s of CPU per process).
      const { buildDeps, loadConfig, startServer } = await import('@tea-ts/server')
      const config = await loadConfig(deps.env)
      const server = await startServer({
        config,
        deps: buildDeps(config),
        port: options.port,
        host: options.host,
      })
      deps.stdout.write(`listening on ${server.url}\n`)
      try {
        await deps.untilSignal()
      } finally {
        await server.close()
      }
      setExit(0)
    })
}
