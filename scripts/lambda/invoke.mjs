// Runs a Lambda package locally, in this (fresh) Node process, the way the Lambda runtime does:
// imports <dir>/index.mjs, then calls its `handler` once per event, one after the other.
//
//   node scripts/lambda/invoke.mjs <unzipped package dir> [report.json] < events.json
//
// stdin: a JSON array of events. The report (JSON, to the file if given, else stdout) has the
// Node version, how long the import took (wall and CPU ms; the package's module
// initialisation) and, per event, the handler's result or error and its duration (wall and
// CPU ms; CPU counts all of the process's threads). The
// function's own logs go to stdout/stderr as on Lambda, so give a report file to keep them
// apart. Plain JavaScript on purpose: nothing but Node runs before the package is imported.
import { randomUUID } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'

const [dir, reportFile] = process.argv.slice(2)
if (!dir) {
  console.error('usage: node scripts/lambda/invoke.mjs <package dir> [report.json] < events.json')
  process.exit(2)
}
const events = JSON.parse(readFileSync(0, 'utf8'))
if (!Array.isArray(events)) throw new TypeError('stdin must be a JSON array of events')

const cpuMs = (usage) => (usage.user + usage.system) / 1000
const cpu0 = process.cpuUsage()
const t0 = performance.now()
const { handler } = await import(pathToFileURL(resolve(dir, 'index.mjs')).href)
const importMs = performance.now() - t0
const importCpuMs = cpuMs(process.cpuUsage(cpu0))
if (typeof handler !== 'function') throw new TypeError(`${dir}/index.mjs exports no handler`)

// Lambda's default timeout for these functions; the transfer handler reads it.
const TIMEOUT_MS = 15 * 60 * 1000
const invocations = []
for (const event of events) {
  const start = performance.now()
  const cpuStart = process.cpuUsage()
  const context = {
    awsRequestId: randomUUID(),
    functionName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, TIMEOUT_MS - (performance.now() - start)),
  }
  try {
    const result = await handler(event, context)
    invocations.push({
      ms: performance.now() - start,
      cpuMs: cpuMs(process.cpuUsage(cpuStart)),
      result,
    })
  } catch (err) {
    invocations.push({
      ms: performance.now() - start,
      cpuMs: cpuMs(process.cpuUsage(cpuStart)),
      error: { name: err?.name, message: err?.message, code: err?.code },
    })
  }
}

const report = JSON.stringify({ node: process.version, importMs, importCpuMs, invocations })
if (reportFile) writeFileSync(reportFile, report)
else console.log(report)
// Like Lambda after the response: open sockets (keep-alive) must not keep the process alive.
process.exit(0)
