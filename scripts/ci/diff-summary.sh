#!/usr/bin/env bash
# What changed against the published ledger, into the job's summary ($GITHUB_STEP_SUMMARY; stdout
# when unset): `authlab diff <published> <ledger>` on the versions both have (none in common: the
# newest of each). With AUTHLAB_FAMILY or AUTHLAB_ONLY set the run was narrowed, and only the
# published rows it ran are compared.
#   AUTHLAB_LEDGER      the run's ledger.json (required)
#   AUTHLAB_PUBLISHED   the published ledger (default docs/versions/ledger.json of the checkout)
# Exit 0 whether something changed or not (a finding is not a failure); 2 when a ledger cannot be read.
set -euo pipefail
source "$(dirname "$(readlink -f "$0")")/lib.sh"
ledger="$(absolute "${AUTHLAB_LEDGER:?AUTHLAB_LEDGER: the ledger of the run}")"
published="$(absolute "${AUTHLAB_PUBLISHED:-$repo/docs/versions/ledger.json}")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
if [ -n "${AUTHLAB_FAMILY:-}${AUTHLAB_ONLY:-}" ]; then
  run_node --experimental-strip-types "$repo/scripts/ci/rows-of.ts" "$published" "$ledger" >"$work/published.json"
  published="$work/published.json"
fi
status=0
authlab diff "$published" "$ledger" >"$work/diff.txt" 2>"$work/stderr.txt" || status=$?
[ "$status" -le 1 ] || { cat "$work/stderr.txt" >&2; exit "$status"; }
report() {
  echo "## What changed against the published ledger"
  echo
  echo "\`authlab diff ${AUTHLAB_PUBLISHED:-docs/versions/ledger.json} ${AUTHLAB_LEDGER}\`: $(grep -c . "$work/diff.txt" || true) change(s)"
  echo
  echo '```'
  if [ "$status" -eq 0 ]; then cat "$work/stderr.txt"; else cat "$work/diff.txt"; fi
  echo '```'
}
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then report >>"$GITHUB_STEP_SUMMARY"; else report; fi
say "authlab diff exited $status; the diff is in ${GITHUB_STEP_SUMMARY:-the output above}"
