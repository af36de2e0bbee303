export { main } from './main.js'
export type { CliDeps } from './cli-deps.js'
export { realDeps } from './cli-deps.js'
