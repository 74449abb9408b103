#!/usr/bin/env bash
# How long one reader's requests wait for their audit record's commit: starts the server jar on a free loopback
# port with a scratch data directory, loads the organization bundles and three Synthea patients, sends N vreads one
# at a time over one keep-alive connection, and prints the client's p50/p99 and the server's own timer
# fhir_anchor.audit.commit.wait (mean over the second half) and records per commit. Stops the server.
#
#   scripts/audit-commit-wait.sh JAR OUTDIR [N] [server arguments...]
#
# With --fhir-anchor.audit.enabled=false it prints the client's figures only (no audit, no timer). Needs curl,
# python3 and a JDK; FHIR_ANCHOR_ANVIL as for the benchmark.
set -euo pipefail
jar=$(realpath "$1"); out=$2; n=${3:-4000}
shift $(( $# < 3 ? $# : 3 ))
data=$(realpath "$(dirname "$0")/../../shared/data/synthea-r4")
rm -rf "$out"; mkdir -p "$out/data"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port/fhir
java -Xmx1g -jar "$jar" --server.port="$port" --server.address=127.0.0.1 --fhir-anchor.data-dir="$out/data" \
  --fhir-anchor.chain.embedded.port=0 "$@" > "$out/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 600); do curl -sf -o /dev/null "$base/metadata" && break; sleep 1; done
token=$(java -jar "$jar" token --role admin --subject audit-commit-wait --fhir-anchor.data-dir="$out/data" | tail -n 1)
for bundle in $(ls "$data" | grep -v '^[A-Z]') $(ls "$data" | grep '^[A-Z]' | head -n 3); do
  curl -sf -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/fhir+json' \
    --data-binary @"$data/$bundle" "$base"
done
python3 - "$port" "$token" "$n" <<'PY'
import http.client, json, sys, time
port, token, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
c = http.client.HTTPConnection("127.0.0.1", port)
h = {"Authorization": "Bearer " + token}
c.request("GET", "/fhir/Observation?_count=200&_elements=id", headers=h); ids = [e["resource"]["id"] for e in json.loads(c.getresponse().read())["entry"]]
def metric(name):
    c.request("GET", "/actuator/metrics/" + name, headers=h); r = c.getresponse(); b = r.read()
    return json.loads(b) if r.status == 200 else {"status": r.status}
lat = []
for i in range(n):
    t = time.perf_counter()
    c.request("GET", "/fhir/Observation/%s/_history/1" % ids[i % len(ids)], headers=h); r = c.getresponse(); r.read()
    lat.append(time.perf_counter() - t)
    if i == n // 2:
        before = metric("fhir_anchor.audit.commit.wait")
lat = sorted(lat[n // 2:])
print("client p50 %.2f ms p99 %.2f ms over the second half" % (lat[len(lat) // 2] * 1e3, lat[int(len(lat) * .99)] * 1e3))
after = metric("fhir_anchor.audit.commit.wait")
def stat(m, k): return next((x["value"] for x in m.get("measurements", []) if x["statistic"] == k), 0)
cnt = stat(after, "COUNT") - stat(before, "COUNT"); tot = stat(after, "TOTAL_TIME") - stat(before, "TOTAL_TIME")
if cnt:
    print("audit commit wait: %d waits, mean %.3f ms (second half)" % (cnt, 1e3 * tot / cnt))
    group = metric("fhir_anchor.audit.commit.group")
    print("audit records per commit: mean %.2f, max %d (whole run)" % (
        stat(group, "TOTAL") / max(stat(group, "COUNT"), 1), stat(group, "MAX")))
else:
    print("no audit commit timer (audit off)")
PY
