import type { Command } from 'commander'
import type { CliDeps } from '../cli-deps.js'

/** `tea edl-emulator`: not built yet (placeholder registered so the command tree is stable). */
export function registerEdlEmulator(
  program: Command,
  _deps: CliDeps,
  setExit: (code: number) => void,
): void {
  program
    .command('edl-emulator')
    .description('(not implemented yet)')
    .action(() => {
      setExit(1)
    })
}
