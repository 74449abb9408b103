#!/usr/bin/env bash
# Installs (Debian packages), starts and stops a local PostgreSQL for FHIR Anchor's tests and the
# postgres profile: user fhir / password fhir, database fhir, on 127.0.0.1:5432.
#   scripts/postgres-local.sh start   # idempotent; records whether it started the cluster
#   scripts/postgres-local.sh stop    # stops the cluster only if 'start' started it
# Needs root (apt-get, su postgres), as on the project's CI and developer machines.
set -euo pipefail

state_file="${TMPDIR:-/tmp}/fhir-anchor-postgres-started"

cluster_version() {
  ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1
}

install_if_missing() {
  if [ -z "$(cluster_version)" ] || ! command -v pg_ctlcluster >/dev/null; then
    echo "postgres-local: installing PostgreSQL from Debian's packages"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
}

start() {
  install_if_missing
  local version
  version="$(cluster_version)"
  if pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $4}' | grep -q online; then
    echo "postgres-local: cluster $version/main already running; leaving it as it is"
    rm -f "$state_file"
  else
    # Loopback only: the cluster listens on 127.0.0.1 and nothing else.
    pg_ctlcluster --skip-systemctl-redirect "$version" main start -- -o "-c listen_addresses=127.0.0.1" 2>/dev/null \
      || pg_ctlcluster --skip-systemctl-redirect "$version" main start
    echo "$version" > "$state_file"
    echo "postgres-local: started cluster $version/main"
  fi
  for _ in $(seq 1 30); do
    su postgres -c "psql -qtAc 'SELECT 1'" >/dev/null 2>&1 && break
    sleep 1
  done
  su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname = 'fhir'\"" | grep -q 1 \
    || su postgres -c "psql -qc \"CREATE USER fhir WITH PASSWORD 'fhir' CREATEDB\""
  su postgres -c "psql -qc 'ALTER USER fhir CREATEDB'" >/dev/null
  su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname = 'fhir'\"" | grep -q 1 \
    || su postgres -c "createdb -O fhir fhir"
}

stop() {
  if [ -f "$state_file" ]; then
    local version
    version="$(cat "$state_file")"
    pg_ctlcluster --skip-systemctl-redirect "$version" main stop || true
    rm -f "$state_file"
    echo "postgres-local: stopped cluster $version/main"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
