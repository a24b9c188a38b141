#!/usr/bin/env bash
# One job of the sharded test command: `npm test -- --shard <i/n>` (the suites' sequencer spreads the
# files by their measured seconds). Usage: test-shard.sh 2/3
set -euo pipefail
source "$(dirname "$(readlink -f "$0")")/lib.sh"
shard="${1:?usage: test-shard.sh <i/n>}"
cd "$repo"
npm test -- --shard "$shard"
