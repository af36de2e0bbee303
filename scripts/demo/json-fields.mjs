// Reads one JSON object on stdin and prints the named string fields, one per line, in order.
//   json-fields.mjs [--exact] FIELD...
// --exact: the object must have exactly these keys, in this order (the /s3credentials contract).
// Exits 1 with a message naming what is wrong; values never appear in that message.
import { readFileSync } from 'node:fs'

const args = process.argv.slice(2)
const exact = args[0] === '--exact'
const fields = exact ? args.slice(1) : args

function fail(message) {
  console.error(`json-fields: ${message}`)
  process.exit(1)
}

let value
try {
  value = JSON.parse(readFileSync(0, 'utf8'))
} catch {
  fail('not JSON')
}
if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('not a JSON object')
const keys = Object.keys(value)
if (exact && keys.join(',') !== fields.join(',')) {
  fail(`expected keys ${fields.join(', ')}; got ${keys.join(', ')}`)
}
for (const field of fields) {
  const v = value[field]
  if (typeof v !== 'string' || v === '' || v.includes('\n'))
    fail(`${field}: missing or not a string`)
  console.log(v)
}
