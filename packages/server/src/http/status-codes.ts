import { createRequire } from 'node:module'
import type * as http from 'node:http'

/**
 * Node's reason phrases (`404` → `Not Found`). Loaded with require() on purpose: an ESM import
 * of `node:http` makes Node evaluate every export of the module, among them the lazy getters
 * that load the bundled fetch (undici), 20-50 ms of a Lambda cold start; require() does not.
 */
export const STATUS_CODES: typeof http.STATUS_CODES = (
  createRequire(import.meta.url)('node:http') as typeof http
).STATUS_CODES
