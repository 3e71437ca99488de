#!/usr/bin/env bash
# Installs the servers the tests start (PostgreSQL, Redis, NATS) and Chromium for the
# console tests, from Debian's packages, when they are missing and we are root.
# `install-deps.sh soak` also installs HAProxy, which the soak (make soak) balances with.
# Without root it only says what is missing; the tests that need a server then fail
# with a message naming the package.
set -euo pipefail

missing=()
have() { command -v "$1" >/dev/null 2>&1 || [ -x "$2" ]; }
have redis-server /usr/bin/redis-server || missing+=(redis-server)
have nats-server /usr/bin/nats-server || missing+=(nats-server)
have chromium /usr/bin/chromium || missing+=(chromium)
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)
if [ "${1:-}" = soak ]; then
  have haproxy /usr/sbin/haproxy || missing+=(haproxy)
fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing ${missing[*]}; run as root: apt-get install -y ${missing[*]}" >&2
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
