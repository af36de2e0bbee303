import type { EmulatorConfig } from './config/emulator-config.js'
import { buildEdlEmulator } from './build-edl-emulator.js'
import type { EdlEmulatorDeps, IssueUserTokenOptions } from './build-edl-emulator.js'

/** Options of `startEdlEmulator`. */
export interface StartEdlEmulatorOptions extends EdlEmulatorDeps {
  readonly config: EmulatorConfig
  /** Default: 0 (any free port). */
  readonly port?: number
  /** Default: '127.0.0.1'. */
  readonly host?: string
}

/** A listening emulator. */
export interface RunningEdlEmulator {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:43123`. */
  readonly url: string
  close(): Promise<void>
  /** Mints a signed User token for `uid`; `expiresInSeconds` ≤ 0 gives an expired one. */
  issueUserToken(uid: string, options?: IssueUserTokenOptions): Promise<string>
}

/**
 * Builds and starts the emulator on `host:port`.
 *
 * @example
 * const edl = await startEdlEmulator({ config: loadEmulatorConfig('examples/users.yaml') })
 * const token = await edl.issueUserToken('demo')
 * await edl.close()
 */
export async function startEdlEmulator(
  options: StartEdlEmulatorOptions,
): Promise<RunningEdlEmulator> {
  const { config, port = 0, host = '127.0.0.1', ...deps } = options
  const emulator = await buildEdlEmulator(config, deps)
  await emulator.app.listen({ port, host })
  const address = emulator.app.server.address()
  if (address === null || typeof address === 'string') {
    await emulator.app.close()
    throw new Error('the EDL emulator is not listening on a TCP port')
  }
  const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address
  return {
    url: `http://${hostPart}:${address.port}`,
    close: () => emulator.app.close(),
    issueUserToken: emulator.issueUserToken,
  }
}
