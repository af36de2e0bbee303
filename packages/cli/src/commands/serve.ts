import type { Command } from 'commander'
import type { CliDeps } from '../cli-deps.js'

/** `tea serve`: not built yet (placeholder registered so the command tree is stable). */
export function registerServe(
  program: Command,
  _deps: CliDeps,
  setExit: (code: number) => void,
): void {
  program
    .command('serve')
    .description('(not implemented yet)')
    .action(() => {
      setExit(1)
    })
}
