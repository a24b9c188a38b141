#!/usr/bin/env bash
# One job of the catalogue matrix: `authlab run` of one shard into AUTHLAB_OUT.
#   AUTHLAB_OUT      where the reports go (required)
#   AUTHLAB_N8N      the n8n versions (default: authlab run's, the newest default version)
#   AUTHLAB_SHARD    i/n: this job's shard of the plan (empty: the whole plan)
#   AUTHLAB_FAMILY, AUTHLAB_ONLY   a narrower selection (the workflow leaves them empty: everything)
# Exits as authlab run does: 0 judged, 1 the project at fault somewhere, 2 bad input.
set -euo pipefail
source "$(dirname "$(readlink -f "$0")")/lib.sh"
args=(run --out "$(absolute "${AUTHLAB_OUT:?AUTHLAB_OUT: where the reports go}")")
[ -z "${AUTHLAB_N8N:-}" ] || args+=(--n8n "$AUTHLAB_N8N")
[ -z "${AUTHLAB_SHARD:-}" ] || args+=(--shard "$AUTHLAB_SHARD")
[ -z "${AUTHLAB_FAMILY:-}" ] || args+=(--family "$AUTHLAB_FAMILY")
[ -z "${AUTHLAB_ONLY:-}" ] || args+=(--only "$AUTHLAB_ONLY")
say "authlab ${args[*]}"
authlab "${args[@]}"
