#!/usr/bin/env bash
# A real local S3 + STS + IAM server for tests and benchmarks: single-host Ceph (one mon, one
# OSD, no mgr) plus radosgw on 127.0.0.1. See docs/local-stack.md.
#
#   scripts/s3-stack.sh start|stop|status|env|destroy [DATA_DIR]   (default DATA_DIR: <repo>/.rgw)
#   scripts/s3-stack.sh install
#
# stdout carries only KEY=VALUE lines (start, env); everything else goes to stderr.
set -euo pipefail

readonly SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
# The ceph CLI and our url-encoding need Debian's python, not a pyenv shim that may be on PATH.
readonly PY=/usr/bin/python3
readonly EMPTY_SHA256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855

log() { printf 's3-stack: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
now_ms() { date +%s%3N; }
# Logs how long the step that just finished took (since the previous call).
STAGE_T=$(date +%s%3N)
stage() {
  local t
  t=$(now_ms)
  log "$1 ready (+$((t - STAGE_T)) ms)"
  STAGE_T=$t
}

usage() {
  cat >&2 <<'EOF'
usage: s3-stack.sh start|stop|status|env|destroy [DATA_DIR]
       s3-stack.sh install
EOF
  exit 2
}

# ---------------------------------------------------------------- install

# Only what the stack needs; the mgr and its Python stack are deliberately left out.
missing_packages() {
  local need=()
  command -v ceph-mon >/dev/null 2>&1 || need+=(ceph-mon)
  command -v ceph-osd >/dev/null 2>&1 || need+=(ceph-osd)
  command -v radosgw >/dev/null 2>&1 || need+=(radosgw)
  { command -v ceph >/dev/null 2>&1 && command -v rados >/dev/null 2>&1; } || need+=(ceph-common)
  command -v curl >/dev/null 2>&1 || need+=(curl)
  command -v flock >/dev/null 2>&1 || need+=(util-linux)
  [ -n "$(faketime_lib)" ] || need+=(faketime)
  [ -x "$PY" ] || need+=(python3)
  printf '%s\n' "${need[@]}"
}

faketime_lib() {
  local f
  for f in /usr/lib/*/faketime/libfaketimeMT.so.1 /usr/lib/faketime/libfaketimeMT.so.1; do
    [ -e "$f" ] && { echo "$f"; return 0; }
  done
  return 0
}

cmd_install() {
  local need
  mapfile -t need < <(missing_packages | sed '/^$/d')
  [ ${#need[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || die "packages missing (${need[*]}); run 'scripts/s3-stack.sh install' as root"
  log "installing ${need[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  local apt_opts=(-y -qq --no-install-recommends -o Dpkg::Use-Pty=0 -o DPkg::Lock::Timeout=300)
  # A fresh CI image often has no package lists at all; otherwise try the lists we have first.
  # An update that fails for an unrelated extra repository must not stop us: install decides.
  if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
    apt-get update -qq -o DPkg::Lock::Timeout=300 >&2 || log "warning: apt-get update failed"
  fi
  if ! apt-get install "${apt_opts[@]}" "${need[@]}" >&2; then
    log "apt-get install failed; refreshing package lists and retrying"
    apt-get update -qq -o DPkg::Lock::Timeout=300 >&2 || log "warning: apt-get update failed"
    apt-get install "${apt_opts[@]}" "${need[@]}" >&2
  fi
  mapfile -t need < <(missing_packages | sed '/^$/d')
  [ ${#need[@]} -eq 0 ] || die "still missing after apt-get: ${need[*]}"
}

# ---------------------------------------------------------------- configuration

# Knobs are read from the environment only when a data dir is first created, then kept in
# DATA_DIR/stack.conf so later starts rebuild exactly the same stack.
write_stack_conf() {
  local store=${RGW_STACK_STORE:-bluestore}
  case $store in bluestore | memstore) ;; *) die "RGW_STACK_STORE must be bluestore or memstore" ;; esac
  local default_gb=32
  [ "$store" = memstore ] && default_gb=8
  local port=${RGW_STACK_PORT:-7480}
  local tmp="$D/stack.conf.tmp"
  {
    printf 'PORT=%q\n' "$port"
    printf 'MON_PORT=%q\n' "${RGW_STACK_MON_PORT:-13300}"
    printf 'SHORT_PORT=%q\n' "${RGW_STACK_SHORT_STS_PORT:-$((port + 1))}"
    printf 'SHORT_SKEW=%q\n' "${RGW_STACK_SHORT_STS_SKEW:-780}"
    printf 'STORE=%q\n' "$store"
    printf 'STORE_GB=%q\n' "${RGW_STACK_STORE_GB:-$default_gb}"
    printf 'ACCESS_KEY=%q\n' "${RGW_STACK_ACCESS_KEY:-$(rand_key 20)}"
    printf 'SECRET_KEY=%q\n' "${RGW_STACK_SECRET_KEY:-$(rand_secret 40)}"
    printf 'DEST_ACCESS_KEY=%q\n' "${RGW_STACK_DEST_ACCESS_KEY:-$(rand_key 20)}"
    printf 'DEST_SECRET_KEY=%q\n' "${RGW_STACK_DEST_SECRET_KEY:-$(rand_secret 40)}"
    printf 'USER=%q\n' "${RGW_STACK_USER:-tester}"
    printf 'DEST_USER=%q\n' "${RGW_STACK_DEST_USER:-dest}"
    printf 'ROLE=%q\n' "${RGW_STACK_ROLE:-s3-read-only}"
    printf 'BUCKET=%q\n' "${RGW_STACK_BUCKET:-test-bucket}"
    printf 'OTHER_BUCKET=%q\n' "${RGW_STACK_OTHER_BUCKET:-other-bucket}"
    printf 'DEST_BUCKET=%q\n' "${RGW_STACK_DEST_BUCKET:-dest-bucket}"
    printf 'ROLE_MAX_SESSION=%q\n' "${RGW_STACK_ROLE_MAX_SESSION:-3600}"
    printf 'EXTRA_CONF=%q\n' "${RGW_STACK_EXTRA_CONF:-}"
    printf 'TIMEOUT=%q\n' "${RGW_STACK_TIMEOUT:-60}"
    printf 'FSID=%q\n' "$(cat /proc/sys/kernel/random/uuid)"
    printf 'OSD_UUID=%q\n' "$(cat /proc/sys/kernel/random/uuid)"
    printf 'STS_KEY=%q\n' "$(rand_key 16)"
  } >"$tmp"
  mv "$tmp" "$D/stack.conf"
}

rand_key() { tr -dc 'A-Z0-9' </dev/urandom | head -c "$1"; }
rand_secret() { tr -dc 'A-Za-z0-9' </dev/urandom | head -c "$1"; }

load_stack_conf() {
  # shellcheck disable=SC1091
  . "$D/stack.conf"
  # Runtime-only overrides: how long to wait may differ per machine.
  TIMEOUT=${RGW_STACK_TIMEOUT:-$TIMEOUT}
  CONF="$D/ceph.conf"
}

write_ceph_conf() {
  local store_conf
  if [ "$STORE" = memstore ]; then
    store_conf="osd_objectstore = memstore
memstore_device_bytes = $((STORE_GB * 1073741824))
# memstore only persists its contents across a stop when the OSD shuts down slowly.
osd_fast_shutdown = false"
  else
    store_conf="osd_objectstore = bluestore
# A sparse file osd.0/block; do not set bluestore_block_path to it (mkfs makes a symlink loop).
bluestore_block_create = true
bluestore_block_size = $((STORE_GB * 1073741824))"
  fi
  cat >"$D/ceph.conf.tmp" <<EOF
# Written by scripts/s3-stack.sh; regenerated on every start from stack.conf.
[global]
fsid = $FSID
mon_host = v2:127.0.0.1:$MON_PORT
public_addr = 127.0.0.1
cluster_addr = 127.0.0.1
ms_bind_msgr1 = false
auth_cluster_required = none
auth_service_required = none
auth_client_required = none
# radosgw defaults to secure mon mode, which needs cephx: it would hang 300 s at start.
ms_mon_client_mode = crc
ms_client_mode = crc
keyring = $D/keyring
run_dir = $D/run
admin_socket = $D/run/\$name.asok
pid_file = $D/run/\$name.pid
log_file = $D/log/\$name.log
crash_dir = $D/crash
mon_cluster_log_file = default=$D/log/mon.\$channel.log cluster=$D/log/cluster.log
mon_data = $D/mon.\$id
osd_data = $D/osd.\$id
mon_allow_pool_size_one = true
mon_warn_on_pool_no_redundancy = false
osd_pool_default_size = 1
osd_pool_default_min_size = 1
osd_pool_default_pg_num = 8
osd_pool_default_pgp_num = 8
osd_pool_default_pg_autoscale_mode = off
osd_crush_chooseleaf_type = 0
# One Paxos round per second made a fresh start take 16 s instead of 7 s.
paxos_propose_interval = 0.05

[osd]
$store_conf
osd_memory_target = 1073741824

[client]
# Both gateways must share the STS key: tokens minted by one are checked by the other.
rgw_sts_key = $STS_KEY
rgw_s3_auth_use_sts = true
rgw_gc_obj_min_wait = 60

[client.rgw.a]
rgw_frontends = beast endpoint=127.0.0.1:$PORT

# Runs with its clock set back SHORT_SKEW seconds (libfaketime): its STS credentials expire
# sooner in real time. GC and lifecycle stay with gateway a, whose clock is right.
[client.rgw.b]
rgw_frontends = beast endpoint=127.0.0.1:$SHORT_PORT
rgw_enable_gc_threads = false
rgw_enable_lc_threads = false
rgw_enable_quota_threads = false

$EXTRA_CONF
EOF
  mv "$D/ceph.conf.tmp" "$CONF"
  : >"$D/keyring"
}

# ---------------------------------------------------------------- processes

# A pid counts as ours only if the pid file names a live process running the expected binary
# with our ceph.conf on its command line: a stale pid file never leads to killing a stranger.
our_pid() {
  local name=$1 exe=$2 pidf="$D/run/$1.pid" pid
  [ -f "$pidf" ] || return 1
  pid=$(tr -dc '0-9' <"$pidf")
  [ -n "$pid" ] && [ -d "/proc/$pid" ] || return 1
  [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$exe" ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$CONF" || return 1
  echo "$pid"
}

mon_pid() { our_pid mon.a "$(command -v ceph-mon)"; }
osd_pid() { our_pid osd.0 "$(command -v ceph-osd)"; }
rgw_pid() { our_pid "client.rgw.$1" "$(command -v radosgw)"; }

cephc() { ceph -c "$CONF" --connect-timeout 10 "$@"; }
rgwadmin() { radosgw-admin -c "$CONF" "$@"; }

# Polls a check until it passes; returns 1 after TIMEOUT seconds.
poll() {
  local deadline=$(($(date +%s) + TIMEOUT))
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 0.1
  done
}

wait_for() {
  local what=$1
  shift
  poll "$@" || die "timed out after ${TIMEOUT}s waiting for $what (logs: $D/log)"
}

# rados starts in a fraction of the time the Python ceph CLI needs.
mon_is_up() { timeout 5 rados -c "$CONF" --client-mount-timeout 3 lspools; }
osd_is_up() { cephc osd dump 2>/dev/null | grep -q '^osd\.0 up'; }
http_ok() { [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$1/")" = 200 ]; }
port_busy() { curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$1/"; }

start_mon() {
  if [ ! -f "$D/mon.a/done" ]; then
    log "creating mon.a"
    # A new mon knows no OSD and no users: everything below it is rebuilt too.
    rm -rf "$D/mon.a" "$D/monmap" "$D/provisioned" "$D/osd.0"
    monmaptool --create --fsid "$FSID" --addv a "[v2:127.0.0.1:$MON_PORT]" "$D/monmap" >&2
    ceph-mon -c "$CONF" -i a --mkfs --monmap "$D/monmap" >>"$D/log/setup.log" 2>&1 ||
      die "ceph-mon --mkfs failed (see $D/log/setup.log)"
    : >"$D/mon.a/done"
  fi
  if ! mon_pid >/dev/null; then
    ceph-mon -c "$CONF" -i a </dev/null >>"$D/log/daemons.out" 2>&1 9>&- || die "ceph-mon failed to start"
  fi
  wait_for "mon.a" mon_is_up
}

start_osd() {
  if [ ! -f "$D/osd.0/done" ]; then
    log "creating osd.0 ($STORE, ${STORE_GB} GiB)"
    rm -rf "$D/osd.0"
    mkdir -p "$D/osd.0"
    # 'osd new' is idempotent for the same uuid and id, so an interrupted mkfs can be retried.
    cephc osd new "$OSD_UUID" 0 >&2
    ceph-osd -c "$CONF" -i 0 --mkfs --osd-uuid "$OSD_UUID" >>"$D/log/setup.log" 2>&1 ||
      die "ceph-osd --mkfs failed (see $D/log/setup.log)"
    : >"$D/osd.0/done"
  fi
  if ! osd_pid >/dev/null; then
    ceph-osd -c "$CONF" -i 0 </dev/null >>"$D/log/daemons.out" 2>&1 9>&- || die "ceph-osd failed to start"
  fi
  wait_for "osd.0 up" osd_is_up
}

# A radosgw that died uncleanly leaves watches on its control objects for 30 s; until they
# time out every metadata write stalls on the cache-invalidation notify. Only run when none of
# our gateways is up, so a live gateway's own watches are never blocklisted.
blocklist_stale_watchers() {
  rados -c "$CONF" lspools 2>/dev/null | grep -qx default.rgw.control || return 0
  local addrs
  addrs=$(rados -c "$CONF" -p default.rgw.control ls 2>/dev/null |
    xargs -r -P 8 -I{} rados -c "$CONF" -p default.rgw.control listwatchers {} 2>/dev/null |
    sed -n 's/^watcher=\([^ ]*\) .*/\1/p' | sort -u)
  [ -n "$addrs" ] || return 0
  local a
  for a in $addrs; do
    log "blocklisting stale watcher $a"
    cephc osd blocklist add "$a" >/dev/null 2>&1 || true
  done
}

LAUNCHED=""
launch_rgw() {
  local id=$1 port
  [ "$id" = a ] && port=$PORT || port=$SHORT_PORT
  # Once per run: a gateway still starting up may not have written its pid file yet.
  case " $LAUNCHED " in *" $id "*) return 0 ;; esac
  LAUNCHED="$LAUNCHED $id"
  rgw_pid "$id" >/dev/null && return 0
  port_busy "$port" && die "port $port is already in use by another process (set RGW_STACK_PORT on a new data dir)"
  if [ "$id" = a ]; then
    radosgw -c "$CONF" -n client.rgw.a </dev/null >>"$D/log/daemons.out" 2>&1 9>&- || die "radosgw a failed to start"
  else
    local lib
    lib=$(faketime_lib)
    if [ -z "$lib" ]; then
      log "warning: libfaketime is missing (apt-get install faketime); no short-lived STS gateway"
      return 0
    fi
    # Monotonic clocks stay real so timers and condition variables keep working.
    LD_PRELOAD="$lib" FAKETIME="-${SHORT_SKEW}s" FAKETIME_DONT_FAKE_MONOTONIC=1 \
      radosgw -c "$CONF" -n client.rgw.b </dev/null >>"$D/log/daemons.out" 2>&1 9>&- ||
      log "warning: radosgw b failed to start (see $D/log/client.rgw.b.log)"
  fi
}

# ---------------------------------------------------------------- provisioning

# curl 7.88's --aws-sigv4 does not send x-amz-content-sha256, which RGW requires.
signed_curl() {
  local service=$1 ak=$2 sk=$3 body_sha=$4
  shift 4
  curl -s --max-time 20 --aws-sigv4 "aws:amz:us-east-1:$service" --user "$ak:$sk" \
    -H "x-amz-content-sha256: $body_sha" "$@"
}

ensure_user() {
  local uid=$1 ak=$2 sk=$3 caps=${4:-}
  if ! rgwadmin user info --uid "$uid" >/dev/null 2>&1; then
    log "creating user $uid"
    rgwadmin user create --uid "$uid" --display-name "$uid" --access-key "$ak" --secret-key "$sk" \
      ${caps:+--caps "$caps"} >/dev/null
  fi
}

iam_call() {
  local body=$1 sha
  sha=$(printf '%s' "$body" | sha256sum | cut -d' ' -f1)
  signed_curl iam "$ACCESS_KEY" "$SECRET_KEY" "$sha" -X POST \
    -H 'Content-Type: application/x-www-form-urlencoded' --data-binary "$body" "http://127.0.0.1:$PORT/"
}

role_policy_doc() {
  local b r=""
  for b in "$BUCKET" "$OTHER_BUCKET"; do
    r="$r\"arn:aws:s3:::$b\",\"arn:aws:s3:::$b/*\","
  done
  printf '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":[%s]}]}' "${r%,}"
}

# Only the service's long-term keys may assume the role. radosgw 16 ignores an explicit
# Deny sts:* (in the role or the session policy) and aws:PrincipalType, so without this
# condition the credentials /s3credentials vends could assume the role again, with no session
# policy. Temporary credentials carry aws:TokenIssueTime; long-term keys do not. Never copy
# this condition to AWS, where a Lambda's own credentials are temporary (docs/security.md).
role_trust_doc() {
  printf '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam:::user/%s"]},"Action":["sts:AssumeRole"],"Condition":{"Null":{"aws:TokenIssueTime":"true"}}}]}' "$USER"
}

ensure_role() {
  if ! rgwadmin role get --role-name "$ROLE" >/dev/null 2>&1; then
    log "creating role $ROLE (max session ${ROLE_MAX_SESSION}s)"
    local trust body out
    trust=$(role_trust_doc)
    # radosgw-admin in 16.2 cannot set MaxSessionDuration; the IAM API can.
    body=$(TRUST="$trust" ROLE="$ROLE" MAX="$ROLE_MAX_SESSION" "$PY" -c '
import os, urllib.parse
print(urllib.parse.urlencode({"Action": "CreateRole", "Version": "2010-05-08", "RoleName": os.environ["ROLE"],
  "Path": "/", "AssumeRolePolicyDocument": os.environ["TRUST"], "MaxSessionDuration": os.environ["MAX"]}), end="")')
    out=$(iam_call "$body") || die "IAM CreateRole request failed"
    grep -q '<CreateRoleResult>' <<<"$out" || die "IAM CreateRole failed: $(head -c 300 <<<"$out")"
  fi
  local want have trust
  trust=$(role_trust_doc)
  have=$(rgwadmin role get --role-name "$ROLE" 2>/dev/null || true)
  if ! WANT="$trust" HAVE="$have" "$PY" -c '
import json, os, sys
try:
    have = json.loads(json.loads(os.environ["HAVE"])["AssumeRolePolicyDocument"])
except Exception:
    sys.exit(1)
sys.exit(0 if have == json.loads(os.environ["WANT"]) else 1)'; then
    log "putting trust policy on $ROLE"
    rgwadmin role modify --role-name "$ROLE" --assume-role-policy-doc "$trust" >/dev/null
  fi
  want=$(role_policy_doc)
  have=$(rgwadmin role-policy get --role-name "$ROLE" --policy-name read-only 2>/dev/null || true)
  if ! WANT="$want" HAVE="$have" "$PY" -c '
import json, os, sys
try:
    have = json.loads(os.environ["HAVE"])
    have = json.loads(have["Permission policy"]) if "Permission policy" in have else have
except Exception:
    sys.exit(1)
sys.exit(0 if have == json.loads(os.environ["WANT"]) else 1)'; then
    log "putting role policy on $ROLE"
    rgwadmin role-policy put --role-name "$ROLE" --policy-name read-only --policy-doc "$want" >/dev/null
  fi
}

ensure_bucket() {
  local bucket=$1 ak=$2 sk=$3 code
  code=$(signed_curl s3 "$ak" "$sk" "$EMPTY_SHA256" -o /dev/null -w '%{http_code}' -I "http://127.0.0.1:$PORT/$bucket")
  [ "$code" = 200 ] && return 0
  log "creating bucket $bucket"
  code=$(signed_curl s3 "$ak" "$sk" "$EMPTY_SHA256" -o "$D/log/last-bucket-create.xml" -w '%{http_code}' \
    -X PUT "http://127.0.0.1:$PORT/$bucket")
  [ "$code" = 200 ] || die "creating bucket $bucket failed with HTTP $code (see $D/log/last-bucket-create.xml)"
}

# What provisioning creates, as one line: a restart skips provisioning (and its dozen
# radosgw-admin calls) when the cluster was already provisioned with exactly this.
provision_signature() {
  printf '%s|' "$USER" "$ACCESS_KEY" "$DEST_USER" "$DEST_ACCESS_KEY" "$ROLE" "$ROLE_MAX_SESSION" \
    "$BUCKET" "$OTHER_BUCKET" "$DEST_BUCKET" "$(role_policy_doc)" "$(role_trust_doc)" | sha256sum | cut -d' ' -f1
}

provisioned_current() { [ "$(cat "$D/provisioned" 2>/dev/null)" = "$(provision_signature)" ]; }

provision() {
  local sig
  sig=$(provision_signature)
  [ "$(cat "$D/provisioned" 2>/dev/null)" = "$sig" ] && return 0
  ensure_user "$USER" "$ACCESS_KEY" "$SECRET_KEY" "roles=*;user-policy=*"
  ensure_user "$DEST_USER" "$DEST_ACCESS_KEY" "$DEST_SECRET_KEY"
  ensure_role
  ensure_bucket "$BUCKET" "$ACCESS_KEY" "$SECRET_KEY"
  ensure_bucket "$OTHER_BUCKET" "$ACCESS_KEY" "$SECRET_KEY"
  ensure_bucket "$DEST_BUCKET" "$DEST_ACCESS_KEY" "$DEST_SECRET_KEY"
  echo "$sig" >"$D/provisioned"
}

# Gateway b must answer with a Date about SHORT_SKEW seconds behind ours, and within RGW's
# 15-minute signing window; otherwise its credentials would not be short-lived.
short_sts_skew_ok() {
  local date_hdr server_s skew
  date_hdr=$(curl -s -I --max-time 2 "http://127.0.0.1:$SHORT_PORT/" | tr -d '\r' | sed -n 's/^[Dd]ate: //p')
  [ -n "$date_hdr" ] || return 1
  server_s=$(date -d "$date_hdr" +%s) || return 1
  skew=$(($(date +%s) - server_s))
  log "short-lived STS gateway clock is ${skew}s behind"
  [ "$skew" -ge $((SHORT_SKEW - 5)) ] && [ "$skew" -le $((SHORT_SKEW + 5)) ] && [ "$skew" -lt 900 ]
}

# ---------------------------------------------------------------- commands

print_env() {
  local short_ok=$1
  {
    echo "S3_ENDPOINT=http://127.0.0.1:$PORT"
    echo "S3_REGION=us-east-1"
    echo "S3_ACCESS_KEY_ID=$ACCESS_KEY"
    echo "S3_SECRET_ACCESS_KEY=$SECRET_KEY"
    echo "S3_USER_ARN=arn:aws:iam:::user/$USER"
    echo "S3_ROLE_ARN=arn:aws:iam:::role/$ROLE"
    echo "S3_BUCKET=$BUCKET"
    echo "S3_OTHER_BUCKET=$OTHER_BUCKET"
    echo "S3_DEST_BUCKET=$DEST_BUCKET"
    echo "S3_DEST_ACCESS_KEY_ID=$DEST_ACCESS_KEY"
    echo "S3_DEST_SECRET_ACCESS_KEY=$DEST_SECRET_KEY"
    echo "S3_ROLE_MAX_SESSION=$ROLE_MAX_SESSION"
    echo "S3_FORCE_PATH_STYLE=true"
    if [ "$short_ok" = 1 ]; then
      echo "S3_SHORT_STS_ENDPOINT=http://127.0.0.1:$SHORT_PORT"
      echo "S3_SHORT_STS_LIFETIME_SECONDS=$((900 - SHORT_SKEW))"
    fi
    echo "RGW_DATA_DIR=$D"
  } >"$D/s3.env.tmp"
  mv "$D/s3.env.tmp" "$D/s3.env"
  cat "$D/s3.env"
}

all_running() {
  mon_pid >/dev/null && osd_pid >/dev/null && rgw_pid a >/dev/null && rgw_pid b >/dev/null &&
    [ -f "$D/s3.env" ] && http_ok "$PORT"
}

cmd_start() {
  local t0
  t0=$(now_ms)
  [ -n "${RGW_STACK_NO_INSTALL:-}" ] || cmd_install
  mkdir -p "$D"
  # Fast path without the lock: many test runs call start on an already running stack.
  if [ -f "$D/stack.conf" ]; then
    load_stack_conf
    all_running && provisioned_current && {
      cat "$D/s3.env"
      log "already running ($(($(now_ms) - t0)) ms)"
      return 0
    }
  fi
  lock
  [ -f "$D/stack.conf" ] || { log "new stack in $D"; write_stack_conf; }
  load_stack_conf
  mkdir -p "$D/run" "$D/log" "$D/crash"
  if all_running; then
    # A running stack provisioned by an older version of this script catches up here.
    provision
    cat "$D/s3.env"
    log "already running ($(($(now_ms) - t0)) ms)"
    return 0
  fi
  write_ceph_conf
  start_mon
  stage mon
  start_osd
  stage osd
  if ! rgw_pid a >/dev/null && ! rgw_pid b >/dev/null; then blocklist_stale_watchers; fi
  launch_rgw a
  # On a fresh cluster gateway a creates the zone and pools alone, so b waits for it there.
  if [ -f "$D/provisioned" ]; then launch_rgw b; fi
  wait_for "radosgw a on port $PORT" http_ok "$PORT"
  stage "radosgw a"
  launch_rgw b
  provision
  stage provisioning
  local short_ok=0
  if [ -n "$(faketime_lib)" ] && poll http_ok "$SHORT_PORT" && short_sts_skew_ok; then
    short_ok=1
  else
    log "warning: the short-lived STS gateway is not usable; S3_SHORT_STS_* not printed"
  fi
  print_env "$short_ok"
  log "ready in $(($(now_ms) - t0)) ms: S3 on http://127.0.0.1:$PORT, short-lived STS on :$SHORT_PORT"
}

stop_pid() {
  local what=$1 pid=$2 limit=$3 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < limit * 10; i++)); do
    [ -d "/proc/$pid" ] || return 0
    sleep 0.1
  done
  log "$what (pid $pid) still running after ${limit}s; killing it"
  kill -KILL "$pid" 2>/dev/null || true
}

cmd_stop() {
  [ -f "$D/stack.conf" ] || { log "no stack in $D"; return 0; }
  lock
  load_stack_conf
  local t0 pids=() p
  t0=$(now_ms)
  # Gateways first (both at once), so they never lose the OSD while holding watches.
  for p in a b; do
    if pid=$(rgw_pid "$p"); then
      kill -TERM "$pid" 2>/dev/null || true
      pids+=("$pid")
    fi
  done
  for pid in "${pids[@]}"; do stop_pid radosgw "$pid" 20; done
  if pid=$(osd_pid); then stop_pid ceph-osd "$pid" 30; fi
  if pid=$(mon_pid); then stop_pid ceph-mon "$pid" 30; fi
  log "stopped in $(($(now_ms) - t0)) ms"
}

cmd_status() {
  [ -f "$D/stack.conf" ] || { log "no stack in $D"; return 3; }
  load_stack_conf
  local rc=0 pid
  if pid=$(mon_pid); then log "mon.a        running (pid $pid)"; else log "mon.a        stopped"; rc=3; fi
  if pid=$(osd_pid); then log "osd.0        running (pid $pid)"; else log "osd.0        stopped"; rc=3; fi
  if pid=$(rgw_pid a); then log "rgw.a :$PORT  running (pid $pid)"; else log "rgw.a :$PORT  stopped"; rc=3; fi
  if pid=$(rgw_pid b); then log "rgw.b :$SHORT_PORT  running (pid $pid, clock -${SHORT_SKEW}s)"; else
    log "rgw.b :$SHORT_PORT  stopped"
    rc=3
  fi
  return $rc
}

cmd_env() {
  [ -f "$D/s3.env" ] || die "no s3.env in $D; run start first"
  cat "$D/s3.env"
}

cmd_destroy() {
  [ -d "$D" ] || return 0
  [ -f "$D/stack.conf" ] || die "$D has no stack.conf; refusing to delete it"
  cmd_stop
  log "deleting $D"
  rm -rf "$D"
}

# Serialises start/stop/destroy on one data dir: several test runs may call start at once.
# Daemons are launched with fd 9 closed, so they never inherit (and hold) this lock.
lock() {
  exec 9>"$D/.lock"
  flock -w 300 9 || die "could not lock $D/.lock"
}

main() {
  local cmd=${1:-}
  [ -n "$cmd" ] || usage
  if [ "$cmd" = install ]; then
    cmd_install
    return
  fi
  local dir=${2:-$REPO_ROOT/.rgw}
  case $dir in /*) ;; *) dir="$PWD/$dir" ;; esac
  D=${dir%/}
  case $cmd in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    env) cmd_env ;;
    destroy) cmd_destroy ;;
    *) usage ;;
  esac
}

main "$@"
