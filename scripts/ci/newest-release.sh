#!/usr/bin/env bash
# The newest n8n release the npm registry serves (AUTHLAB_N8N_LINE, default latest: a line such as
# 2.x works too), and whether docs/versions has it already; written as version=... and
# published=true|false to $GITHUB_OUTPUT (stdout when unset) for the steps after.
set -euo pipefail
source "$(dirname "$(readlink -f "$0")")/lib.sh"
outputs="$(run_node --experimental-strip-types "$repo/scripts/ci/newest-release.ts" "${AUTHLAB_N8N_LINE:-latest}")"
if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "$outputs" >>"$GITHUB_OUTPUT"; else echo "$outputs"; fi
