import { Command, CommanderError } from 'commander'
import type { CliDeps } from './cli-deps.js'
import { registerCopy } from './commands/copy.js'
import { registerCredentials } from './commands/credentials.js'
import { registerEdlEmulator } from './commands/edl-emulator.js'
import { registerServe } from './commands/serve.js'
import { UsageError, describeError } from './cli-errors.js'

/**
 * Runs the `tea` command line and resolves to its exit code: 0 success, 1 a known failure,
 * 2 a usage error. Never calls `process.exit`, so tests drive it with injected deps.
 */
export async function main(argv: readonly string[], deps: CliDeps): Promise<number> {
  let exitCode = 0
  const setExit = (code: number): void => {
    exitCode = code
  }
  const program = new Command('tea')
    .description('tea-ts: Thin Egress App in TypeScript')
    .option('--verbose', 'print stack traces on errors')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => deps.stdout.write(s),
      writeErr: (s) => deps.stderr.write(s),
    })
    .showHelpAfterError('(run with --help for usage)')
  registerServe(program, deps, setExit)
  registerCredentials(program, deps, setExit)
  registerCopy(program, deps, setExit)
  registerEdlEmulator(program, deps, setExit)
  try {
    await program.parseAsync([...argv], { from: 'user' })
    return exitCode
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version requests surface as CommanderError with exit code 0.
      return err.exitCode === 0 ? 0 : 2
    }
    if (err instanceof UsageError) {
      deps.stderr.write(`Error: ${err.message}\n`)
      return 2
    }
    const verbose = program.opts<{ verbose?: boolean }>().verbose === true
    deps.stderr.write(describeError(err, verbose))
    return 1
  }
}
