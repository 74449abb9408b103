#!/usr/bin/env bash
# Loads the sample patients into a running FHIR Anchor server.
#   samples/load.sh [FHIR_BASE_URL]      (default http://127.0.0.1:8080/fhir)
# Each file is a transaction bundle that PUTs its resources under fixed ids, so loading twice
# creates no duplicates.
set -euo pipefail
base="${1:-http://127.0.0.1:8080/fhir}"
dir="$(cd "$(dirname "$0")" && pwd)"
auth=()
if [ -n "${FHIR_ANCHOR_TOKEN:-}" ]; then auth=(-H "Authorization: Bearer ${FHIR_ANCHOR_TOKEN}"); fi
for bundle in "$dir"/patients/*.json; do
  status=$(curl -sS -o /tmp/fhir-anchor-load.$$ -w '%{http_code}' -X POST "${auth[@]}" \
    -H 'Content-Type: application/fhir+json' --data-binary @"$bundle" "$base")
  if [ "$status" != "200" ]; then
    echo "$(basename "$bundle"): HTTP $status" >&2
    cat /tmp/fhir-anchor-load.$$ >&2; rm -f /tmp/fhir-anchor-load.$$
    exit 1
  fi
  echo "$(basename "$bundle"): loaded"
done
# Research consents (samples/consents), in file order: later files revoke earlier versions.
for bundle in "$dir"/consents/*.json; do
  [ -e "$bundle" ] || continue
  status=$(curl -sS -o /tmp/fhir-anchor-load.$$ -w '%{http_code}' -X POST "${auth[@]}" \
    -H 'Content-Type: application/fhir+json' --data-binary @"$bundle" "$base")
  if [ "$status" != "200" ]; then
    echo "consents/$(basename "$bundle"): HTTP $status" >&2
    cat /tmp/fhir-anchor-load.$$ >&2; rm -f /tmp/fhir-anchor-load.$$
    exit 1
  fi
  echo "consents/$(basename "$bundle"): loaded"
done
rm -f /tmp/fhir-anchor-load.$$
