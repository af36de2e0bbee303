#!/usr/bin/env bash
# Installs the Debian packages the tests and benchmarks use, only those missing.
# Ceph (radosgw) is installed by scripts/s3-stack.sh itself.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ -x /usr/bin/aws ] || need+=(awscli)
command -v rclone >/dev/null 2>&1 || need+=(rclone)
command -v curl >/dev/null 2>&1 || need+=(curl)
# wget and Python requests follow the login redirects with a cookie jar (test/login-scripts).
command -v wget >/dev/null 2>&1 || need+=(wget)
/usr/bin/python3 -c 'import requests' >/dev/null 2>&1 || need+=(python3 python3-requests)
# GDAL reads through the egress route with /vsicurl/ and a cookie file, as TEA's e2e suite does.
command -v gdalinfo >/dev/null 2>&1 || need+=(gdal-bin)
[ -x /usr/bin/time ] || need+=(time)
# Debian's PyJWT stands in for TEA (Python) in the cookie interoperability test.
/usr/bin/python3 -c 'import jwt, cryptography' >/dev/null 2>&1 || need+=(python3 python3-jwt python3-cryptography)
if [ ${#need[@]} -gt 0 ]; then
  echo "setup-debian: installing ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi
