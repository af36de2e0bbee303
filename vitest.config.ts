import { defaultServerConditions } from 'vite'
import { defineConfig } from 'vitest/config'

// Workspace packages export their TypeScript sources under the "@tea-ts/source" condition,
// so tests run against src/ without a build step.
// 'module' is dropped: it makes vite pick the AWS SDK's dist-es build, whose extensionless
// ESM imports Node cannot load once the package is externalized.
const conditions = ['@tea-ts/source', ...defaultServerConditions.filter((c) => c !== 'module')]

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'deploy/src/**/*.test.ts'],
          exclude: ['**/*.integ.test.ts', '**/*.e2e.test.ts', '**/node_modules/**', '**/dist/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integ',
          include: ['packages/*/src/**/*.integ.test.ts', 'test/**/*.test.ts'],
          exclude: ['**/node_modules/**', '**/dist/**'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Integration tests share one radosgw and bind real ports; run files one at a time
          // so a 2-core machine is not oversubscribed and timings stay meaningful.
          fileParallelism: false,
        },
      },
    ],
  },
})
