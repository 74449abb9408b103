#!/usr/bin/env bash
# Creates the secret files docker/compose.yaml mounts, once: random values, never overwritten (the archive key
# and the consent key must outlive every container: back up docker/secrets/ apart from the host).
#   docker/init-secrets.sh
# The directory is owner-only (700). The files in it are readable (644) because Compose mounts them into the
# containers with the host's permissions, and the server runs as uid 10001, PostgreSQL as uid 999.
set -euo pipefail
dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/secrets"
mkdir -p "$dir"
chmod 700 "$dir"

hex() { od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'; }

create() {
  local file="$dir/$1"
  if [ -e "$file" ]; then
    echo "kept    $file"
    return
  fi
  (umask 077; printf '%s' "$2" > "$file")
  chmod 644 "$file"
  echo "created $file"
}

create postgres_password "$(hex 24)"
create consent_hmac_key "$(hex 32)"
create archive_key "$(hex 32)"
# The server's chain key: a fresh random key, funded on the dev chain by the chain-fund job. For a real network
# point CHAIN_KEY_FILE (docker/.env) at your own key or keystore instead.
create chain_private_key "0x$(hex 32)"
# Used only with an encrypted keystore (CHAIN_KEY_TARGET=chain-keystore.json): write its password here.
create chain_keystore_password ""
