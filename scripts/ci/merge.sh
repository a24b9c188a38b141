#!/usr/bin/env bash
# The last job's merge: every ledger.json under AUTHLAB_SHARDS (the downloaded artifacts, one folder
# each) into one ledger in AUTHLAB_MERGED (npm run merge-ledgers: refuses the same shard twice or
# shards that overlap, warns of a missing one).
set -euo pipefail
source "$(dirname "$(readlink -f "$0")")/lib.sh"
shards="$(absolute "${AUTHLAB_SHARDS:?AUTHLAB_SHARDS: the folder of the downloaded shard reports}")"
merged="$(absolute "${AUTHLAB_MERGED:?AUTHLAB_MERGED: where the merged ledger goes}")"
mapfile -t ledgers < <(find "$shards" -name ledger.json | sort)
[ "${#ledgers[@]}" -gt 0 ] || { say "no ledger.json under $shards"; exit 2; }
say "merging ${#ledgers[@]} ledger(s) into $merged"
run_node --experimental-strip-types "$repo/scripts/merge-ledgers.ts" --out "$merged" "${ledgers[@]}"
