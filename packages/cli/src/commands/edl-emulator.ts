import type { Command } from 'commander'
import type { CliDeps } from '../cli-deps.js'
import { parsePort } from '../parse-port.js'

interface EdlEmulatorOptions {
  readonly users: string
  readonly port: number
  readonly host: string
}

/**
 * `tea edl-emulator --users FILE [--port N] [--host H]`: runs the local Earthdata Login until
 * SIGINT/SIGTERM. Prints only its base URL on stdout so scripts can capture it. A bad users file
 * exits 1 with the file and the problem; bad options exit 2.
 */
export function registerEdlEmulator(
  program: Command,
  deps: CliDeps,
  setExit: (code: number) => void,
): void {
  program
    .command('edl-emulator')
    .description('run a local Earthdata Login emulator (for tests and the demo)')
    .requiredOption('--users <file>', 'users and apps file (YAML or JSON)')
    .option('--port <n>', 'port to listen on (0 = any free port)', parsePort, 0)
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .action(async (options: EdlEmulatorOptions) => {
      // Loaded on use so the other subcommands start without Fastify and jose.
      const { loadEmulatorConfig, startEdlEmulator } = await import('@tea-ts/edl-emulator')
      const config = loadEmulatorConfig(options.users)
      const edl = await startEdlEmulator({ config, port: options.port, host: options.host })
      deps.stdout.write(`${edl.url}\n`)
      try {
        await deps.untilSignal()
      } finally {
        await edl.close()
      }
      setExit(0)
    })
}
