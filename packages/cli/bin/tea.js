#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm ci` through the root `prepare` script).
import module from 'node:module'
import { homedir } from 'node:os'
import { join } from 'node:path'

// V8's code cache on disk (Node 22.1+): the CLI and the AWS SDK are ~400 modules, and compiling
// them is a third of a run's ~0.3 CPU-seconds of start-up. Kept beside the credentials cache, in
// the user's own directory rather than a shared /tmp one. Absent on Node 20, which still runs.
const cacheHome = process.env.XDG_CACHE_HOME || join(process.env.HOME || homedir(), '.cache')
module.enableCompileCache?.(join(cacheHome, 'tea-ts', 'node-compile-cache'))
const { run } = await import('../dist/bin.js')
await run()
