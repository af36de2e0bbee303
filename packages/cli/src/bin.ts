import { realDeps } from './cli-deps.js'
import { main } from './main.js'
import { checkNodeVersion } from './node-support.js'

export async function run(): Promise<void> {
  const unsupported = checkNodeVersion(process.version, process.env)
  if (unsupported !== undefined) process.stderr.write(unsupported)
  process.exitCode = await main(process.argv.slice(2), realDeps())
}
