#!/usr/bin/env bash
# WAL flushes of an idle server on PostgreSQL: starts the server jar on a free loopback port with a new database on
# the local cluster (scripts/postgres-local.sh start) and a scratch data directory, lets it rest 20 s, then prints the
# cluster's WAL flushes (pg_stat_wal.wal_sync), WAL records and the database's commits over 30 s. Stops the server and
# drops the database on exit. Needs root (su postgres) and nothing else running on the cluster, since pg_stat_wal is
# cluster-wide; FHIR_ANCHOR_ANVIL as for the benchmark.
#
#   scripts/idle-wal-flushes.sh JAR
set -euo pipefail

jar=$(realpath "$1")
db=fhir_anchor_idle_$$
data=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
psql_() { su postgres -c "psql -tAc \"$1\""; }

su postgres -c "createdb -O fhir $db"
POSTGRES_URL=jdbc:postgresql://127.0.0.1:5432/$db java -Xmx1g -jar "$jar" --server.port="$port" \
  --server.address=127.0.0.1 --fhir-anchor.data-dir="$data" --fhir-anchor.chain.embedded.port=0 \
  --spring.profiles.active=postgres > "$data/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; su postgres -c "dropdb --force $db"; rm -rf "$data"' EXIT
for _ in $(seq 180); do curl -sf -o /dev/null "http://127.0.0.1:$port/fhir/metadata" && break; sleep 1; done
sleep 20

read -r sync0 records0 < <(psql_ "SELECT wal_sync, wal_records FROM pg_stat_wal" | tr '|' ' ')
commits0=$(psql_ "SELECT xact_commit FROM pg_stat_database WHERE datname = '$db'")
sleep 30
read -r sync1 records1 < <(psql_ "SELECT wal_sync, wal_records FROM pg_stat_wal" | tr '|' ' ')
commits1=$(psql_ "SELECT xact_commit FROM pg_stat_database WHERE datname = '$db'")
echo "idle 30 s: $((sync1 - sync0)) WAL flushes, $((records1 - records0)) WAL records, $((commits1 - commits0)) commits"
