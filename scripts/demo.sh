#!/usr/bin/env bash
# `npm run demo`: the main job on one machine (docs/demo.md). Starts the local radosgw stack
# (S3 + STS), the EDL emulator with demo users and `tea serve` configured for both; puts demo
# objects into the buckets; fetches a bearer token and credentials and uses them with aws-cli;
# prints how to do the same by hand; then waits for Ctrl-C and stops what it started.
#
# Environment (all optional):
#   DEMO_PORT (3000)        tea serve         DEMO_EDL_PORT (3001)  EDL emulator
#   DEMO_DIR (.demo)        keys, logs, pids  DEMO_RGW_DIR (.rgw)   radosgw data dir (shared with the tests)
#   DEMO_NO_WAIT=1          verify, print, stop and exit 0 instead of waiting for Ctrl-C
#   DEMO_KEEP_STACK=1       never stop radosgw on exit, even if the demo started it
#   DEMO_TIMEOUT (90)       seconds to wait for each service to answer
#
# Lines starting with "OK: " report a verified step, "FAIL: " the step that failed (exit 1).
set -euo pipefail

readonly ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

PORT=${DEMO_PORT:-3000}
EDL_PORT=${DEMO_EDL_PORT:-3001}
DEMO_DIR=${DEMO_DIR:-$ROOT/.demo}
RGW_DIR=${DEMO_RGW_DIR:-$ROOT/.rgw}
TIMEOUT=${DEMO_TIMEOUT:-90}
readonly PORT EDL_PORT DEMO_DIR RGW_DIR TIMEOUT

readonly TEA_JS=$ROOT/packages/cli/bin/tea.js
readonly USERS_FILE=$ROOT/scripts/demo/users.yaml
readonly BUCKET_MAP=$ROOT/packages/server/src/bucket-map/examples/bucket-map.demo.yaml
readonly BASE_URL=http://127.0.0.1:$PORT
readonly EDL_URL=http://127.0.0.1:$EDL_PORT
# These match scripts/demo/users.yaml.
readonly CLIENT_ID=tea-local CLIENT_PASSWORD=tea-local-demo-secret
readonly DEMO_USER=demo DEMO_PASSWORD=demo-password
readonly APP_NAME=demo
readonly BROWSER_UA='Mozilla/5.0 (X11; Linux x86_64) tea-ts-demo'

T0=$(date +%s%3N)
STEP_T=$T0
STACK_STARTED_BY_US=0
SERVER_PID=
EDL_PID=
STOPPING=0
declare -A CHECK_PIDS=()

# ---------------------------------------------------------------- output

say() { printf '%s\n' "$*"; }
secs() { local ms=$(($(date +%s%3N) - $1)); printf '%d.%d s' $((ms / 1000)) $((ms % 1000 / 100)); }
step() {
  STEP_T=$(date +%s%3N)
  say "== $*"
}
ok() {
  say "OK: $* ($(secs "$STEP_T"))"
  STEP_T=$(date +%s%3N)
}

# fail MESSAGE [LOG]: the step that failed, the end of its log, then exit 1 (cleanup runs).
fail() {
  say "FAIL: $1" >&2
  if [ -n "${2:-}" ] && [ -s "$2" ]; then
    say "---- last lines of ${2#"$ROOT"/}:" >&2
    tail -n 25 "$2" >&2
    say "----" >&2
  fi
  exit 1
}

# ---------------------------------------------------------------- processes

alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }
cmdline_has() { [ -r "/proc/$1/cmdline" ] && tr '\0' ' ' <"/proc/$1/cmdline" | grep -qF -- "$2"; }

# stop_pid PID NAME: SIGTERM, up to 10 s for a clean exit, then SIGKILL.
stop_pid() {
  local pid=$1 i
  alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for i in $(seq 1 50); do
    alive "$pid" || break
    sleep 0.2
  done
  if alive "$pid"; then
    say "warning: $2 (pid $pid) ignored SIGTERM; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM HUP
  STOPPING=1
  if [ -n "$SERVER_PID$EDL_PID" ] || [ "$STACK_STARTED_BY_US" = 1 ]; then say "== stopping"; fi
  # aws-cli checks still running (stopped mid-way): their subshell and its one child.
  local pid
  for pid in "${CHECK_PIDS[@]}"; do
    if alive "$pid"; then
      pkill -TERM -P "$pid" 2>/dev/null || true
      kill -TERM "$pid" 2>/dev/null || true
    fi
  done
  if [ -n "$SERVER_PID" ]; then
    stop_pid "$SERVER_PID" 'tea serve'
    say "stopped tea serve"
  fi
  if [ -n "$EDL_PID" ]; then
    stop_pid "$EDL_PID" 'EDL emulator'
    say "stopped the EDL emulator"
  fi
  rm -f "$DEMO_DIR/server.pid" "$DEMO_DIR/edl-emulator.pid"
  if [ "$STACK_STARTED_BY_US" = 1 ]; then
    if [ -n "${DEMO_KEEP_STACK:-}" ]; then
      say "radosgw left running (DEMO_KEEP_STACK); stop it with: bash scripts/s3-stack.sh stop ${RGW_DIR#"$ROOT"/}"
    elif bash scripts/s3-stack.sh stop "$RGW_DIR" >>"$DEMO_DIR/s3-stack.log" 2>&1; then
      say "stopped radosgw (the demo started it)"
    else
      say "warning: could not stop radosgw; see ${DEMO_DIR#"$ROOT"/}/s3-stack.log" >&2
      [ "$status" -ne 0 ] || status=1
    fi
  fi
  if [ -f "$DEMO_DIR/demo.pid" ] && [ "$(cat "$DEMO_DIR/demo.pid" 2>/dev/null)" = "$$" ]; then
    rm -f "$DEMO_DIR/demo.pid"
  fi
  exit "$status"
}

# A stop asked for by the user (Ctrl-C, SIGTERM, a closed terminal) is a normal end: exit 0
# after cleanup.
on_signal() {
  say ''
  say "$1 received"
  exit 0
}

trap cleanup EXIT
trap 'on_signal SIGINT' INT
trap 'on_signal SIGTERM' TERM
trap 'on_signal SIGHUP' HUP

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port_owner() {
  command -v ss >/dev/null 2>&1 || return 0
  ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'users:(.*)' | head -n 1
}
check_port() {
  local port=$1 var=$2 what=$3 owner
  port_busy "$port" || return 0
  owner=$(port_owner "$port")
  fail "port $port ($what, $var) is already in use${owner:+ by $owner}. Stop that process, or pick another port: $var=<port> npm run demo"
}

# wait_http NAME PID URL LOG: until URL answers 2xx, the process dies, or TIMEOUT.
wait_http() {
  local name=$1 pid=$2 url=$3 log=$4 deadline=$(($(date +%s) + TIMEOUT))
  until curl -sf -o /dev/null --max-time 5 "$url"; do
    alive "$pid" || fail "$name exited during start-up (log: ${log#"$ROOT"/})" "$log"
    [ "$(date +%s)" -lt "$deadline" ] ||
      fail "$name did not answer $url within ${TIMEOUT} s (log: ${log#"$ROOT"/})" "$log"
    sleep 0.2
  done
}

# ---------------------------------------------------------------- helpers

# Runs aws-cli isolated from the user's ~/.aws (the credentials come from the environment).
aws_isolated() {
  env -u AWS_PROFILE -u AWS_DEFAULT_PROFILE -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY \
    -u AWS_SESSION_TOKEN -u AWS_ENDPOINT_URL -u AWS_ENDPOINT_URL_S3 \
    AWS_CONFIG_FILE="$DEMO_DIR/aws-config" AWS_SHARED_CREDENTIALS_FILE="$DEMO_DIR/no-credentials" \
    AWS_EC2_METADATA_DISABLED=true AWS_REGION=us-east-1 AWS_PAGER= \
    "$@"
}

# aws_as_demo ARGS...: aws-cli with the credentials /s3credentials gave the demo user.
aws_as_demo() {
  aws_isolated env AWS_ACCESS_KEY_ID="$CRED_KEY" AWS_SECRET_ACCESS_KEY="$CRED_SECRET" \
    AWS_SESSION_TOKEN="$CRED_TOKEN" "$AWS" "$@" --endpoint-url "$S3_ENDPOINT"
}

# aws-cli takes a second or more per call on a busy machine, so the checks run side by side.
# check_start NAME CMD...: runs CMD in the background; check_wait then gives its exit code.
check_start() {
  local name=$1
  shift
  ("$@" >"$DEMO_DIR/check-$name.out" 2>&1 </dev/null) &
  CHECK_PIDS[$name]=$!
}
check_wait() {
  local rc=0
  wait "${CHECK_PIDS[$1]}" || rc=$?
  return "$rc"
}
check_out() { cat "$DEMO_DIR/check-$1.out"; }

# expect_denied NAME WHAT: the check must have failed with HTTP 403, which it ran --debug to see:
# aws-cli cannot print radosgw's AccessDenied for a PUT (its empty <Message> makes it say
# "argument of type 'NoneType' is not iterable"), and a denied GET is a bare 403 to HeadObject.
expect_denied() {
  if check_wait "$1"; then
    fail "$2 was allowed; the session policy should deny it"
  fi
  if ! grep -qE 'HTTP/1\.1" 403 ' "$DEMO_DIR/check-$1.out"; then
    fail "$2 failed, but not with HTTP 403: $(grep -v ' - DEBUG - ' "$DEMO_DIR/check-$1.out" | tail -n 3)"
  fi
}

shell_quote() { printf "'%s'" "${1//\'/\'\\\'\'}"; }

# ---------------------------------------------------------------- 0. preconditions

say "tea-ts demo: radosgw (S3 + STS) + EDL emulator + tea serve"
[ "$PORT" != "$EDL_PORT" ] || fail "DEMO_PORT and DEMO_EDL_PORT must differ (both $PORT)"
for p in "$PORT" "$EDL_PORT"; do
  [[ "$p" =~ ^[0-9]{1,5}$ ]] && [ "$p" -ge 1 ] && [ "$p" -le 65535 ] ||
    fail "ports must be integers from 1 to 65535 (got '$p')"
done
# The Node 24 that npm ci installs (node_modules/.bin, first on PATH under npm run), also
# when this script is run directly.
export PATH="$ROOT/node_modules/.bin:$PATH"
command -v node >/dev/null 2>&1 || fail "node is not on PATH (Node 22 or later is needed)"
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 22 ? 0 : 1)' ||
  fail "Node $(node -v) is too old: tea-ts needs 22 or later ('npm ci' installs Node 24 on Linux x64)"
[ -f "$ROOT/packages/cli/dist/bin.js" ] && [ -f "$ROOT/packages/server/dist/index.js" ] ||
  fail "the packages are not built: run 'npm ci' (it builds through 'prepare') or 'npm run build'"

mkdir -p "$DEMO_DIR"
chmod 700 "$DEMO_DIR"

# One demo per DEMO_DIR. A previous run killed with SIGKILL may have left its services behind.
if [ -f "$DEMO_DIR/demo.pid" ]; then
  other=$(cat "$DEMO_DIR/demo.pid" 2>/dev/null || true)
  if [ -n "$other" ] && [ "$other" != "$$" ] && alive "$other" && cmdline_has "$other" demo.sh; then
    fail "another demo is running (pid $other, ${DEMO_DIR#"$ROOT"/}): stop it with Ctrl-C in its terminal or 'kill $other'"
  fi
fi
echo $$ >"$DEMO_DIR/demo.pid"
for svc in server edl-emulator; do
  pidfile=$DEMO_DIR/$svc.pid
  [ -f "$pidfile" ] || continue
  old=$(cat "$pidfile" 2>/dev/null || true)
  if [ -n "$old" ] && alive "$old" && cmdline_has "$old" "$TEA_JS"; then
    say "stopping the $svc left over from an earlier demo run (pid $old)"
    stop_pid "$old" "$svc"
  fi
  rm -f "$pidfile"
done

check_port "$PORT" DEMO_PORT 'tea serve'
check_port "$EDL_PORT" DEMO_EDL_PORT 'EDL emulator'

# ---------------------------------------------------------------- 1. packages and radosgw

step "Debian packages (scripts/setup-debian.sh; log ${DEMO_DIR#"$ROOT"/}/setup-debian.log)"
bash scripts/setup-debian.sh >"$DEMO_DIR/setup-debian.log" 2>&1 ||
  fail "scripts/setup-debian.sh failed (it needs root, or sudo, for apt-get)" "$DEMO_DIR/setup-debian.log"
if [ -x /usr/bin/aws ]; then AWS=/usr/bin/aws; else AWS=$(command -v aws || true); fi
[ -n "$AWS" ] || fail "aws-cli is not installed (apt-get install awscli)"
command -v curl >/dev/null 2>&1 || fail "curl is not installed (apt-get install curl)"
# Print the plain name when it is the same program, so the commands shown can be pasted as is.
AWS_SHOWN=$AWS
[ "$(command -v aws || true)" = "$AWS" ] && AWS_SHOWN=aws
ok "curl, aws-cli ($AWS) present"

if bash scripts/s3-stack.sh status "$RGW_DIR" >/dev/null 2>&1; then
  step "radosgw: already running (${RGW_DIR#"$ROOT"/}); the demo will leave it running"
else
  if [ -f "$RGW_DIR/ceph.conf" ]; then
    step "radosgw: restarting ${RGW_DIR#"$ROOT"/} (10-20 s; log ${DEMO_DIR#"$ROOT"/}/s3-stack.log)"
  else
    step "radosgw: creating ${RGW_DIR#"$ROOT"/} (installs Ceph with apt-get if missing; 20-100 s; log ${DEMO_DIR#"$ROOT"/}/s3-stack.log)"
  fi
  STACK_STARTED_BY_US=1
fi
bash scripts/s3-stack.sh start "$RGW_DIR" >"$DEMO_DIR/s3.env" 2>"$DEMO_DIR/s3-stack.log" ||
  fail "scripts/s3-stack.sh start failed" "$DEMO_DIR/s3-stack.log"
chmod 600 "$DEMO_DIR/s3.env" # the stack owner's keys
set -a
# shellcheck disable=SC1091
. "$DEMO_DIR/s3.env"
set +a
for v in S3_ENDPOINT S3_ACCESS_KEY_ID S3_SECRET_ACCESS_KEY S3_ROLE_ARN S3_BUCKET S3_OTHER_BUCKET; do
  [ -n "${!v:-}" ] || fail "scripts/s3-stack.sh start did not print $v" "$DEMO_DIR/s3-stack.log"
done
[ "$S3_BUCKET" = test-bucket ] && [ "$S3_OTHER_BUCKET" = other-bucket ] ||
  fail "the demo bucket map needs the stack's default buckets test-bucket and other-bucket (got $S3_BUCKET, $S3_OTHER_BUCKET)"
ok "radosgw at $S3_ENDPOINT, role $S3_ROLE_ARN"

# ---------------------------------------------------------------- 2. demo objects

step "demo objects (scripts/demo/objects -> $S3_BUCKET, $S3_OTHER_BUCKET)"
put_out=$(NODE_NO_WARNINGS=1 node scripts/demo/put-objects.mjs scripts/demo/objects 2>"$DEMO_DIR/put-objects.log") ||
  fail "uploading the demo objects failed" "$DEMO_DIR/put-objects.log"
ok "put $(wc -l <<<"$put_out") objects: $(sort <<<"$put_out" | paste -sd ' ')"

# ---------------------------------------------------------------- 3. keys and secret files

step "keys and secret files (${DEMO_DIR#"$ROOT"/})"
umask 077
# The key pair is kept between runs, so a browser's session cookie survives a demo restart.
if [ ! -s "$DEMO_DIR/jwt-private.pem" ] || [ ! -s "$DEMO_DIR/jwt-public.pem" ]; then
  if command -v openssl >/dev/null 2>&1; then
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$DEMO_DIR/jwt-private.pem" 2>/dev/null &&
      openssl pkey -in "$DEMO_DIR/jwt-private.pem" -pubout -out "$DEMO_DIR/jwt-public.pem" ||
      fail "openssl could not generate the RSA key pair"
  else
    node -e '
      const { generateKeyPairSync } = require("node:crypto"); const fs = require("node:fs")
      const k = generateKeyPairSync("rsa", { modulusLength: 2048,
        publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs8", format: "pem" } })
      fs.writeFileSync(process.argv[1], k.privateKey); fs.writeFileSync(process.argv[2], k.publicKey)
    ' "$DEMO_DIR/jwt-private.pem" "$DEMO_DIR/jwt-public.pem" || fail "could not generate the RSA key pair"
  fi
fi
printf '{"rsa_priv_key":"%s","rsa_pub_key":"%s"}\n' \
  "$(base64 -w0 "$DEMO_DIR/jwt-private.pem")" "$(base64 -w0 "$DEMO_DIR/jwt-public.pem")" >"$DEMO_DIR/jwt-key.json"
printf '{"UrsId":"%s","UrsAuth":"%s"}\n' \
  "$CLIENT_ID" "$(printf '%s:%s' "$CLIENT_ID" "$CLIENT_PASSWORD" | base64 -w0)" >"$DEMO_DIR/urs-creds.json"
# aws-cli settings for the demo's own checks and for the credential_process profile shown below.
CRED_PROCESS="$(command -v node) $TEA_JS credentials --format process --endpoint $BASE_URL/s3credentials --edl-host $EDL_URL --app-name $APP_NAME"
cat >"$DEMO_DIR/aws-config" <<EOF
[default]
region = us-east-1

[profile tea-demo]
region = us-east-1
credential_process = $CRED_PROCESS
EOF
: >"$DEMO_DIR/no-credentials"
umask 022
ok "jwt-key.json (RSA 2048), urs-creds.json, aws-config"

# ---------------------------------------------------------------- 4. EDL emulator and tea serve

# Both start at once: tea serve reads EDL's keys only when the first bearer token arrives.
step "EDL emulator on $EDL_URL and tea serve on $BASE_URL (logs ${DEMO_DIR#"$ROOT"/}/edl-emulator.log, server.log)"
node "$TEA_JS" edl-emulator --users "$USERS_FILE" --port "$EDL_PORT" \
  </dev/null >"$DEMO_DIR/edl-emulator.log" 2>&1 &
EDL_PID=$!
echo "$EDL_PID" >"$DEMO_DIR/edl-emulator.pid"

# A clean environment: the service sees exactly this configuration (docs/configuration.md), not
# whatever AWS_* or TEA variables the calling shell has. The AWS keys are the stack owner's, the
# identity the role trusts; they never reach the user, who gets the role's session credentials.
# COOKIE_SECURE=false: this is plain http, and not every browser treats 127.0.0.1 as secure.
env -i PATH="$PATH" HOME="${HOME:-/root}" LANG="${LANG:-C.UTF-8}" \
  AUTH_BASE_URL="$EDL_URL" \
  URS_CREDS_SECRET_FILE="$DEMO_DIR/urs-creds.json" \
  JWT_KEY_SECRET_FILE="$DEMO_DIR/jwt-key.json" \
  TEA_PUBLIC_URL="$BASE_URL/" \
  COOKIE_SECURE=false \
  ENABLE_S3_CREDENTIALS_ENDPOINT=true \
  EGRESS_APP_DOWNLOAD_ROLE_INREGION_ARN="$S3_ROLE_ARN" \
  BUCKET_MAP_FILE="$BUCKET_MAP" \
  BUCKETNAME_PREFIX= \
  MATURITY=DEV \
  BUILD_VERSION=demo \
  LOGLEVEL=INFO \
  AWS_ENDPOINT_URL_STS="$S3_ENDPOINT" \
  AWS_ENDPOINT_URL_S3="$S3_ENDPOINT" \
  AWS_ACCESS_KEY_ID="$S3_ACCESS_KEY_ID" \
  AWS_SECRET_ACCESS_KEY="$S3_SECRET_ACCESS_KEY" \
  AWS_REGION=us-east-1 \
  AWS_CONFIG_FILE="$DEMO_DIR/no-credentials" \
  AWS_SHARED_CREDENTIALS_FILE="$DEMO_DIR/no-credentials" \
  AWS_EC2_METADATA_DISABLED=true \
  node "$TEA_JS" serve --port "$PORT" </dev/null >"$DEMO_DIR/server.log" 2>&1 &
SERVER_PID=$!
echo "$SERVER_PID" >"$DEMO_DIR/server.pid"
wait_http 'the EDL emulator' "$EDL_PID" "$EDL_URL/.well-known/edl_ops_jwks.json" "$DEMO_DIR/edl-emulator.log"
ok "EDL emulator answers (pid $EDL_PID)"
wait_http 'tea serve' "$SERVER_PID" "$BASE_URL/version" "$DEMO_DIR/server.log"
ok "tea serve answers /version (pid $SERVER_PID)"

# ---------------------------------------------------------------- 5. the main job, verified

step "bearer token for '$DEMO_USER' (POST $EDL_URL/api/users/find_or_create_token)"
token_json=$(curl -sS --max-time 20 -u "$DEMO_USER:$DEMO_PASSWORD" -X POST "$EDL_URL/api/users/find_or_create_token") ||
  fail "the EDL emulator did not answer find_or_create_token" "$DEMO_DIR/edl-emulator.log"
TOKEN=$(node scripts/demo/json-fields.mjs access_token <<<"$token_json" 2>&1) ||
  fail "find_or_create_token gave no access_token ($TOKEN)" "$DEMO_DIR/edl-emulator.log"
ok "EDL user token (${#TOKEN} characters)"

step "credentials with curl"
curl_cmd="curl -sS -H \"Authorization: Bearer \$TOKEN\" -H \"app-name: $APP_NAME\" $BASE_URL/s3credentials"
say "\$ $curl_cmd"
creds_json=$(curl -sS --max-time 30 -w '\n%{http_code}' -H "Authorization: Bearer $TOKEN" -H "app-name: $APP_NAME" "$BASE_URL/s3credentials") ||
  fail "curl $BASE_URL/s3credentials failed" "$DEMO_DIR/server.log"
creds_status=${creds_json##*$'\n'}
creds_json=${creds_json%$'\n'*}
say "$creds_json"
[ "$creds_status" = 200 ] || fail "/s3credentials answered HTTP $creds_status" "$DEMO_DIR/server.log"
mapfile -t creds < <(node scripts/demo/json-fields.mjs --exact accessKeyId secretAccessKey sessionToken expiration <<<"$creds_json" 2>&1)
[ "${#creds[@]}" = 4 ] || fail "/s3credentials: ${creds[*]}" "$DEMO_DIR/server.log"
CRED_KEY=${creds[0]} CRED_SECRET=${creds[1]} CRED_TOKEN=${creds[2]} CRED_EXPIRATION=${creds[3]}
ok "/s3credentials keys: accessKeyId,secretAccessKey,sessionToken,expiration (expires $CRED_EXPIRATION)"

step "aws-cli with those credentials, and a credential_process profile (tea credentials)"
check_start ls aws_as_demo s3 ls "s3://$S3_BUCKET/science/"
check_start read aws_as_demo s3 cp "s3://$S3_BUCKET/science/data.txt" -
check_start put aws_as_demo s3 cp "$ROOT/scripts/demo/objects/test-bucket/science/data.txt" \
  "s3://$S3_BUCKET/science/upload.txt" --debug
check_start private aws_as_demo s3 cp "s3://$S3_OTHER_BUCKET/private/secret.txt" - --debug
check_start process aws_isolated env EARTHDATA_USERNAME="$DEMO_USER" EARTHDATA_PASSWORD="$DEMO_PASSWORD" \
  XDG_CACHE_HOME="$DEMO_DIR/cache" "$AWS" s3 cp "s3://$S3_BUCKET/public/hello.txt" - \
  --profile tea-demo --endpoint-url "$S3_ENDPOINT"

check_wait ls || fail "aws s3 ls s3://$S3_BUCKET/science/ failed: $(check_out ls | tail -n 3)"
grep -q ' data.txt$' "$DEMO_DIR/check-ls.out" ||
  fail "aws s3 ls s3://$S3_BUCKET/science/ did not list data.txt: $(check_out ls)"
ok "list s3://$S3_BUCKET/science/ -> data.txt"

check_wait read || fail "aws s3 cp s3://$S3_BUCKET/science/data.txt - failed: $(check_out read | tail -n 3)"
content=$(check_out read)
[ "$content" = "$(cat scripts/demo/objects/test-bucket/science/data.txt)" ] ||
  fail "s3://$S3_BUCKET/science/data.txt read back as '$content'"
ok "read s3://$S3_BUCKET/science/data.txt -> $content"

expect_denied put "PutObject s3://$S3_BUCKET/science/upload.txt"
ok "denied PutObject s3://$S3_BUCKET/science/upload.txt (read-only)"

expect_denied private "GetObject s3://$S3_OTHER_BUCKET/private/secret.txt"
ok "denied GetObject s3://$S3_OTHER_BUCKET/private/secret.txt (group admin only: the session policy at work)"

check_wait process || fail "aws s3 cp with profile tea-demo failed: $(check_out process | tail -n 3)"
content=$(check_out process)
[ "$content" = "$(cat scripts/demo/objects/test-bucket/public/hello.txt)" ] ||
  fail "s3://$S3_BUCKET/public/hello.txt read back as '$content'"
ok "credential_process read s3://$S3_BUCKET/public/hello.txt -> $content"
rm -f "$DEMO_DIR"/check-*.out

step "browser login, done by curl (/s3credentials -> EDL login form -> /login -> cookie)"
jar=$DEMO_DIR/cookies.txt
rm -f "$jar"
# The jar keeps the tea-login cookie that binds this login to this "browser" (login CSRF).
authorize=$(curl -sS --max-time 20 -A "$BROWSER_UA" -c "$jar" -o /dev/null -w '%{http_code} %{redirect_url}' "$BASE_URL/s3credentials") ||
  fail "GET $BASE_URL/s3credentials failed" "$DEMO_DIR/server.log"
[ "${authorize%% *}" = 302 ] && [[ "${authorize#* }" == "$EDL_URL/oauth/authorize?"* ]] ||
  fail "GET /s3credentials without a cookie should redirect to $EDL_URL/oauth/authorize (got: ${authorize%% *})" "$DEMO_DIR/server.log"
login=$(curl -sS --max-time 20 -A "$BROWSER_UA" -o /dev/null -w '%{http_code} %{redirect_url}' \
  --data-urlencode "username=$DEMO_USER" --data-urlencode "password=$DEMO_PASSWORD" "${authorize#* }") ||
  fail "POST to the EDL login form failed" "$DEMO_DIR/edl-emulator.log"
[ "${login%% *}" = 302 ] && [[ "${login#* }" == "$BASE_URL/login?"* ]] ||
  fail "the EDL login form should redirect to $BASE_URL/login (got: ${login%% *})" "$DEMO_DIR/edl-emulator.log"
back=$(curl -sS --max-time 20 -A "$BROWSER_UA" -b "$jar" -c "$jar" -o /dev/null -w '%{http_code} %{redirect_url}' "${login#* }") ||
  fail "GET $BASE_URL/login failed" "$DEMO_DIR/server.log"
[[ "${back%% *}" == 30[1237] ]] && grep -q 'asf-urs' "$jar" ||
  fail "/login should set the asf-urs cookie and redirect (got: ${back%% *})" "$DEMO_DIR/server.log"
browser_json=$(curl -sS --max-time 30 -A "$BROWSER_UA" -b "$jar" "$BASE_URL/s3credentials") ||
  fail "GET /s3credentials with the cookie failed" "$DEMO_DIR/server.log"
node scripts/demo/json-fields.mjs --exact accessKeyId secretAccessKey sessionToken expiration <<<"$browser_json" >/dev/null 2>&1 ||
  fail "GET /s3credentials with the session cookie did not give credentials" "$DEMO_DIR/server.log"
ok "browser login as $DEMO_USER: cookie asf-urs, then /s3credentials gave credentials"

step "a download through the egress route (303 to a presigned radosgw URL)"
rel_jar=${jar#"$ROOT"/}
download_cmd="curl -sS -L -b $rel_jar $BASE_URL/test/science/data.txt"
say "\$ $download_cmd"
download=$(curl -sS -L --max-time 30 -b "$jar" -w '\n%{http_code} %{num_redirects}' "$BASE_URL/test/science/data.txt") ||
  fail "curl -L $BASE_URL/test/science/data.txt failed" "$DEMO_DIR/server.log"
download_body=${download%$'\n'*}
download_body=${download_body%$'\n'} # the file's own final newline
say "$download_body"
[ "${download##*$'\n'}" = '200 1' ] && [ "$download_body" = "$(cat scripts/demo/objects/test-bucket/science/data.txt)" ] ||
  fail "the download should follow one 303 to radosgw and give data.txt (got: ${download##*$'\n'})" "$DEMO_DIR/server.log"
ok "download $BASE_URL/test/science/data.txt -> 303 -> 200 from radosgw"

step "a user who has not accepted the EULA (noeula)"
eula_json=$(curl -sS --max-time 20 -u noeula:noeula-password -X POST "$EDL_URL/api/users/find_or_create_token") ||
  fail "the EDL emulator did not answer find_or_create_token" "$DEMO_DIR/edl-emulator.log"
eula_token=$(node scripts/demo/json-fields.mjs access_token <<<"$eula_json" 2>&1) ||
  fail "find_or_create_token gave no access_token for noeula ($eula_token)" "$DEMO_DIR/edl-emulator.log"
eula_out=$(curl -sS --max-time 20 -w '\n%{http_code}' -H "Authorization: Bearer $eula_token" "$BASE_URL/s3credentials") ||
  fail "curl $BASE_URL/s3credentials failed" "$DEMO_DIR/server.log"
resolution=$(node scripts/demo/json-fields.mjs resolution_url <<<"${eula_out%$'\n'*}" 2>/dev/null || true)
[ "${eula_out##*$'\n'}" = 403 ] && [ -n "$resolution" ] ||
  fail "noeula should get 403 with a resolution_url (got HTTP ${eula_out##*$'\n'})" "$DEMO_DIR/server.log"
ok "noeula gets 403 with resolution_url $resolution"

# ---------------------------------------------------------------- 6. how to do it by hand

if [ "$STACK_STARTED_BY_US" = 1 ] && [ -z "${DEMO_KEEP_STACK:-}" ]; then
  stack_note='started by the demo: stopped on exit'
else
  stack_note='left running on exit'
fi
rel_demo=${DEMO_DIR#"$ROOT"/}
endpoint_opt="--endpoint-url $S3_ENDPOINT"
cat <<EOF

========================================================================================
 tea-ts demo is ready ($(secs "$T0"))

$(printf '   %-18s %-26s %s\n' \
  'tea serve' "$BASE_URL/" "log $rel_demo/server.log" \
  'EDL emulator' "$EDL_URL" "log $rel_demo/edl-emulator.log" \
  'radosgw (S3, STS)' "$S3_ENDPOINT" "${RGW_DIR#"$ROOT"/}, $stack_note")

 1. In a browser on this machine, open $BASE_URL/s3credentials
    It sends you to the emulator's login page (the EDL login URL):
      ${authorize#* }
    Log in as  $DEMO_USER / $DEMO_PASSWORD      (group science: test-bucket, other-bucket/shared/)
           or  admin / admin-password    (group admin: other-bucket, test-bucket/public/)
           or  noeula / noeula-password  (has not accepted the EULA: refused)
    Welcome page: $BASE_URL/    How to use the credentials: $BASE_URL/s3credentialsREADME

 1b. Download with the browser login's cookie (a 303 to a presigned URL, then radosgw):
      $download_cmd

 2. A bearer token for $DEMO_USER (an EDL user token; it dies with the emulator):
      export TOKEN=$TOKEN

 3. Credentials with curl:
      $curl_cmd

 4. aws-cli with those credentials (valid until $CRED_EXPIRATION):
      export AWS_ACCESS_KEY_ID=$(shell_quote "$CRED_KEY")
      export AWS_SECRET_ACCESS_KEY=$(shell_quote "$CRED_SECRET")
      export AWS_SESSION_TOKEN=$(shell_quote "$CRED_TOKEN")
      export AWS_REGION=us-east-1
      $AWS_SHOWN s3 ls s3://$S3_BUCKET/ $endpoint_opt
      $AWS_SHOWN s3 cp s3://$S3_BUCKET/science/data.txt - $endpoint_opt
      $AWS_SHOWN s3 cp s3://$S3_OTHER_BUCKET/shared/readme.txt - $endpoint_opt
      $AWS_SHOWN s3 cp s3://$S3_OTHER_BUCKET/private/secret.txt - $endpoint_opt     # denied: group admin only
      echo hi | $AWS_SHOWN s3 cp - s3://$S3_BUCKET/science/upload.txt $endpoint_opt  # denied: read-only ¹
    ¹ radosgw's AccessDenied has an empty message, which aws-cli shows as
      "argument of type 'NoneType' is not iterable"; add --debug to see the 403.

 5. Or let aws-cli fetch and refresh them itself: add to ~/.aws/config
      [profile tea-demo]
      region = us-east-1
      credential_process = $CRED_PROCESS
    then
      export EARTHDATA_USERNAME=$DEMO_USER EARTHDATA_PASSWORD=$DEMO_PASSWORD
      $AWS_SHOWN s3 ls s3://$S3_BUCKET/science/ --profile tea-demo $endpoint_opt
    (the same profile is in $rel_demo/aws-config: export AWS_CONFIG_FILE=$DEMO_DIR/aws-config)
========================================================================================
EOF

if [ -n "${DEMO_NO_WAIT:-}" ]; then
  say "DEMO_NO_WAIT is set: stopping now"
  exit 0
fi

say "Ctrl-C stops tea serve and the EDL emulator$([ "$stack_note" = 'left running on exit' ] || printf ' and radosgw')."
# wait returns when a trapped signal arrives (the trap then exits) or when a service dies.
while true; do
  wait -n "$SERVER_PID" "$EDL_PID" || true
  [ "$STOPPING" = 1 ] && break
  if ! alive "$SERVER_PID"; then
    SERVER_PID=
    fail "tea serve stopped unexpectedly" "$DEMO_DIR/server.log"
  fi
  if ! alive "$EDL_PID"; then
    EDL_PID=
    fail "the EDL emulator stopped unexpectedly" "$DEMO_DIR/edl-emulator.log"
  fi
done
