import type { Command } from 'commander'
import type { CliDeps } from '../cli-deps.js'

/** `tea credentials`: not built yet (placeholder registered so the command tree is stable). */
export function registerCredentials(
  program: Command,
  _deps: CliDeps,
  setExit: (code: number) => void,
): void {
  program
    .command('credentials')
    .description('(not implemented yet)')
    .action(() => {
      setExit(1)
    })
}
