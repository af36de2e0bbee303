import type { Command } from 'commander'
import type { CliDeps } from '../cli-deps.js'

/** `tea copy`: not built yet (placeholder registered so the command tree is stable). */
export function registerCopy(
  program: Command,
  _deps: CliDeps,
  setExit: (code: number) => void,
): void {
  program
    .command('copy')
    .description('(not implemented yet)')
    .action(() => {
      setExit(1)
    })
}
