#!/usr/bin/env bash
# Where a vread's CPU goes, by thread and by method: starts the server jar on a free loopback port with a
# scratch data directory, loads the organization bundles and the first Synthea patients, sends 3,000 untimed
# vreads so that the JIT compiles their path, waits until the server is quiet, then records 5,000 vreads (8 parallel curl
# processes) with Java Flight Recorder and waits until the server is quiet again, so that the deferred work the
# reads caused (AuditEvents materialized, sealed, anchored, archived) is in the recording. Stops the server.
#
#   scripts/profile-vreads.sh JAR OUTDIR [server arguments...]
#   scripts/jfr-top.py OUTDIR/vreads.json 'audit-batches'          # one thread group, methods by share
#
# Prints the server's CPU per vread (deferred work included), the same by thread group (from /proc), and the JFR
# samples per thread group. Pass
# --fhir-anchor.anchoring.mode=off --fhir-anchor.audit.enabled=false --fhir-anchor.consent.enforcement=false
# to profile the plain server. Needs curl, python3 and a JDK (jcmd, jfr); FHIR_ANCHOR_ANVIL as for the benchmark.
# Profiling costs CPU itself (the JFR sampler, and the JIT still compiling: see its line in the CPU table).
set -euo pipefail

jar=$(realpath "$1"); out=$2; shift 2
data=$(realpath "$(dirname "$0")/../../shared/data/synthea-r4")
rm -rf "$out"; mkdir -p "$out/data"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port/fhir

java -Xmx1g -XX:FlightRecorderOptions=stackdepth=1024 -jar "$jar" --server.port="$port" \
  --server.address=127.0.0.1 --fhir-anchor.data-dir="$out/data" --fhir-anchor.chain.embedded.port=0 "$@" \
  > "$out/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 600); do curl -sf -o /dev/null "$base/metadata" && break; sleep 1; done
token=$(java -jar "$jar" token --role admin --subject profile-vreads --fhir-anchor.data-dir="$out/data" | tail -n 1)

for bundle in $(ls "$data" | grep -v '^[A-Z]') $(ls "$data" | grep '^[A-Z]' | head -n 6); do
  curl -sf -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/fhir+json' \
    --data-binary @"$data/$bundle" "$base"
done
mapfile -t ids < <(curl -sf -H "Authorization: Bearer $token" "$base/Observation?_count=200&_elements=id" |
  python3 -c 'import json, sys; [print(e["resource"]["id"]) for e in json.load(sys.stdin)["entry"]]')

cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
threads() { # "name<TAB>ticks" per thread of the server and its dev chain
  for task in /proc/$pid/task/* $(for c in $(cat /proc/$pid/task/*/children 2>/dev/null); do echo /proc/$c/task/*; done); do
    python3 -c 'import sys; s = open(sys.argv[1] + "/stat").read(); r = s[s.rindex(")") + 2:].split(); print(s[s.index("(") + 1:s.rindex(")")] + "\t" + str(int(r[11]) + int(r[12])))' "$task" 2>/dev/null || true
  done
}
quiet() { # under 0.15 of a core for 3 s in a row, at most 120 s
  local calm=0
  for _ in $(seq 120); do
    local a; a=$(cpu); sleep 1
    if [ $(( $(cpu) - a )) -lt 15 ]; then calm=$((calm + 1)); [ $calm -ge 3 ] && return; else calm=0; fi
  done
}
vreads() { # $1 per curl process, 8 processes, one keep-alive connection each
  local pids=()
  for w in $(seq 8); do
    ( args=()
      for i in $(seq "$1"); do
        args+=(-o /dev/null "$base/Observation/${ids[$(( (i * 7 + w) % ${#ids[@]} ))]}/_history/1")
      done
      curl -sf -H "Authorization: Bearer $token" "${args[@]}" ) &
    pids+=($!)
  done
  wait "${pids[@]}"
}

# A first recording before the warm-up: starting JFR instruments the JDK's event classes, and the JIT compiles
# what that deoptimized during the warm-up instead of during the recorded window.
jcmd $pid JFR.start name=warm-up settings=default > /dev/null
quiet; vreads 375; quiet
jcmd $pid JFR.start name=vreads settings=default > /dev/null
threads > "$out/threads-before"; before=$(cpu); started=$(date +%s.%N)
vreads 625
ended=$(date +%s.%N)
quiet
after=$(cpu); threads > "$out/threads-after"
jcmd $pid JFR.dump name=vreads filename="$out/vreads.jfr" > /dev/null
jcmd $pid JFR.stop name=warm-up > /dev/null
jfr print --json --stack-depth 1024 --events jdk.ExecutionSample "$out/vreads.jfr" > "$out/vreads.json"
python3 -c "print('5000 vreads in %.1f s; server CPU %.2f ms per vread, deferred work included' % ($ended - $started, ($after - $before) * 10 / 5000))"
python3 - "$out/threads-before" "$out/threads-after" <<'PY'
import collections, re, sys
def read(path):
    ticks = collections.Counter()
    for line in open(path):
        name, _, n = line.rstrip("\n").rpartition("\t")
        ticks[re.sub(r"\d+", "#", name)] += int(n)
    return ticks
before, after = read(sys.argv[1]), read(sys.argv[2])
print("CPU per vread by thread group (from /proc, threads that ended in between not counted):")
for name, n in sorted(((k, after[k] - before.get(k, 0)) for k in after), key=lambda x: -x[1])[:10]:
    print(f"  {n * 10 / 5000:6.2f} ms  {name}")
PY
python3 "$(dirname "$0")/jfr-top.py" "$out/vreads.json" '.' 0 | head -n 2
