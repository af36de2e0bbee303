/**
 * Test helpers of the client, for its own tests and the repository's cross-package tests:
 * `@tea-ts/client/testing`. Resolved from source only (the `@tea-ts/source` condition), so it is
 * neither built into dist/ nor published.
 */
export { sendJson, startFakeHttpServer, teaCredentials, teaExpiration } from './fake-http-server.js'
export type { FakeHttpServer, SeenRequest } from './fake-http-server.js'
export { fakeJwt } from './fake-jwt.js'
