import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'

/** A benchmark server in its own process, as its first stdout line announced it. */
export interface BenchServer {
  readonly url: string
  /** A session cookie for the server's user ('' when it needs none). */
  readonly cookie: string
  readonly child: ChildProcess
}

/**
 * Starts `script` (TypeScript, run from sources through tsx) with `args` and waits for its
 * first stdout line, `{"url": …, "cookie": …}`. Servers run apart from the load generator so
 * the two do not share an event loop.
 *
 * @example const server = await startBenchServer(new URL('./bench-server.ts', import.meta.url).pathname, ['bare'])
 */
export async function startBenchServer(
  script: string,
  args: readonly string[],
  /** Run from this directory (another checkout, for a baseline case). Default: this one. */
  cwd?: string,
): Promise<BenchServer> {
  const child = spawn(
    process.execPath,
    ['--conditions=@tea-ts/source', '--import', 'tsx', script, ...args],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, NODE_NO_WARNINGS: '1' },
      ...(cwd === undefined ? {} : { cwd }),
    },
  )
  const lines = createInterface({ input: child.stdout! })
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve)
    child.once('exit', (code) =>
      reject(new Error(`bench server ${args.join(' ')} exited with ${code}`)),
    )
  })
  const { url, cookie } = JSON.parse(first) as { url: string; cookie: string }
  return { url, cookie, child }
}

/** SIGTERM, then wait for the exit (so `node --cpu-prof` can write its profile). */
export async function stopBenchServer(server: BenchServer): Promise<void> {
  const exited = new Promise((resolve) => server.child.once('exit', resolve))
  server.child.kill('SIGTERM')
  await exited
}

/** The server's CPU time so far (user + system, all threads), from its `/__bench/cpu` route. */
export async function serverCpuMicros(server: { readonly url: string }): Promise<number> {
  const res = await fetch(`${server.url}/__bench/cpu`)
  return ((await res.json()) as { micros: number }).micros
}
