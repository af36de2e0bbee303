import { realDeps } from './cli-deps.js'
import { main } from './main.js'

export async function run(): Promise<void> {
  process.exitCode = await main(process.argv.slice(2), realDeps())
}
