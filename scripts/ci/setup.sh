#!/usr/bin/env bash
# A runner made ready for the jobs (scripts/bootstrap.sh: Node 22, the Docker engine, curl,
# Chromium, docker-compose, the base image, node_modules), each step skipped when it is there.
# It installs as root: through passwordless sudo where the job does not run as root (GitHub's).
# `setup.sh node`: only Node and node_modules (a job that reads and writes ledgers).
set -euo pipefail
source "$(dirname "$(readlink -f "$0")")/lib.sh"
# A command that needs nothing but Node stands for such a job (see needs_of in bootstrap.sh).
only=()
[ "${1:-}" != node ] || only=(node -- bin/authlab.js list --help)
if [ "$(id -u)" -eq 0 ] || ! sudo -n true 2>/dev/null; then
  bash "$repo/scripts/bootstrap.sh" "${only[@]}" >/dev/null
else
  sudo -E env "PATH=$PATH" bash "$repo/scripts/bootstrap.sh" "${only[@]}" >/dev/null
  # npm ci ran as root: the job's own user writes there later (vitest's cache).
  sudo chown -R "$(id -u):$(id -g)" "$repo/node_modules" "$repo/.tools" 2>/dev/null || true
  # The engine's socket, for the job's user.
  sudo chmod a+rw /var/run/docker.sock 2>/dev/null || true
fi
