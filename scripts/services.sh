#!/usr/bin/env bash
# Makes sure what the tests need is installed and running: Debian's chromium, PostgreSQL and
# redis-server (tests start their own Redis on a free port),
# with a `parley` role the tests use. Idempotent; run as root (CI) or with sudo available.
set -euo pipefail
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pg_ctlcluster >/dev/null 2>&1 || need+=(postgresql)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
if ((${#need[@]})); then
  echo "services: installing ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

# Start the first PostgreSQL cluster if it is stopped.
cluster=$(pg_lsclusters --no-header | awk 'NR==1 {print $1" "$2}')
if [ -z "$cluster" ]; then
  ver=$(ls /usr/lib/postgresql | sort -n | tail -1)
  $SUDO pg_createcluster "$ver" main >/dev/null
  cluster="$ver main"
fi
if ! pg_lsclusters --no-header | awk 'NR==1 {print $4}' | grep -q online; then
  $SUDO pg_ctlcluster $cluster start
fi
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 && break
  sleep 0.5
done
$SUDO su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='parley'\"" | grep -q 1 ||
  $SUDO su postgres -c "psql -qc \"CREATE ROLE parley LOGIN SUPERUSER PASSWORD 'parley'\""
echo "services: chromium $(chromium --version 2>/dev/null | awk '{print $2}'), PostgreSQL ready"
