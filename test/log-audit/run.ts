/**
 * The log audit, the last step of `npm test` (scripts/test.sh):
 *
 *   npx tsx test/log-audit/run.ts <TEA_TEST_LOG_DIR>
 *
 * Every server the tests start logs into that directory, and the fixtures register every
 * token, cookie, secret key and session token they mint or receive (log-capture.ts). Exits 1
 * when any of them, or anything shaped like a JWT or an AWS secret, is in any log.
 */
import { auditDirectory } from './audit.js'

const dir = process.argv[2]
if (dir === undefined) {
  process.stderr.write('usage: run.ts <log directory>\n')
  process.exit(2)
}
// The local stack's long-term keys are secrets too, though no test mints them.
const fromEnv = ['S3_SECRET_ACCESS_KEY'].flatMap((name) => process.env[name] ?? [])
const result = auditDirectory(dir, fromEnv)
const summary = `${result.logLines} lines in ${result.logFiles} logs, ${result.secrets} secrets`
if (result.leaks.length === 0) {
  process.stdout.write(`log audit: no secret in any log (${summary})\n`)
} else {
  for (const leak of result.leaks.slice(0, 50)) {
    process.stderr.write(`log audit: ${leak.file}:${leak.line}: ${leak.what}\n`)
  }
  process.stderr.write(`log audit: ${result.leaks.length} leak(s) (${summary})\n`)
  process.exit(1)
}
