#!/usr/bin/env bash
# Brings what the project needs on a fresh Debian 12 machine, then runs the given command (if any)
# with the project's Node first on PATH. Usage: bash scripts/bootstrap.sh [command args...]
# Only what the command needs is brought (see needs_of below; no command: everything): `authlab
# doctor` needs Node alone, `authlab check` a Docker engine too, the catalogue and the test run also
# Chromium. AUTHLAB_BOOTSTRAP_PLAN=1 says what the command needs and exits, installing nothing.
# Each step is skipped when its result is there, so a second run takes well under a second; what is
# installed is said on stderr, with where it goes:
#   Node >= 22        .tools/ (npm install --prefix .tools node@22; the machine's Node 20 stays)
#   Docker engine     docker.io and debootstrap via apt, dockerd started (log: /var/log/dockerd.log)
#   curl              via apt (the guide's own samples run it)
#   Chromium          Debian's chromium via apt (the browser family drives it with playwright-core)
#   docker-compose    via apt, Debian's package (the test run starts the labs' compose exports with it)
#   base image        authlab/debian:bookworm, made with debootstrap (what offline builds start FROM)
#   dependencies      node_modules/ (npm ci, when missing or not matching package-lock.json)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
say() { echo "bootstrap: $*" >&2; }
BASE_IMAGE="${AUTHLAB_BASE_IMAGE:-authlab/debian:bookworm}"

# What a command needs besides Node and node_modules: some of docker, curl, chromium, compose.
# `node bin/authlab.js <command> ...` by the command (and, for run and bisect, whether the browser
# family is in it); the scripts that only read reports need nothing; anything else everything.
needs_of() {
  local all="docker curl chromium compose"
  [ "$#" -gt 0 ] || { echo "$all"; return; }
  case "$*" in *" --help"* | *" -h"*) echo ""; return ;; esac
  # `node -- bin/authlab.js`: the scripts end node's own options first (see package.json).
  if [ "$1" = node ] && [ "${2:-}" = -- ]; then set -- node "${@:3}"; fi
  if [ "$1" = node ] && [ "${2:-}" = bin/authlab.js ]; then
    local command="${3:-}" rest="${*:4}"
    case "$command" in
      '' | help | doctor | inspect-key | diff | list | version) echo "" ;;
      lab) case " $rest " in *" list "* | *" --hints"*) echo "" ;; *) echo "docker" ;; esac ;;
      run) case " $rest " in
             *" --family"* | *" --only"*) case "$rest" in *browser*) echo "docker curl chromium" ;; *) echo "docker curl" ;; esac ;;
             *) echo "docker curl chromium" ;;
           esac ;;
      bisect) case "${4:-}" in browser.*) echo "docker curl chromium" ;; *) echo "docker curl" ;; esac ;;
      check | upgrade | images | sweep | lab-serve) echo "docker" ;;
      *) echo "" ;; # an unknown command: the CLI says so itself
    esac
    return
  fi
  case "$*" in *scripts/merge-ledgers.ts* | *scripts/rejudge.ts* | *scripts/stress.ts*) echo "" ;; *) echo "$all" ;; esac
}
needs=" $(needs_of "$@") "
need() { [[ "$needs" == *" $1 "* ]]; }
if [ -n "${AUTHLAB_BOOTSTRAP_PLAN:-}" ]; then
  read -r -a extra <<<"$needs"
  echo "bootstrap: $* needs: node${extra[*]:+ ${extra[*]}}"
  exit 0
fi

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
tools_node="$root/.tools/node_modules/.bin/node"
if [ "$(node_major "$(command -v node || echo node)")" -lt 22 ] && [ "$(node_major "$tools_node")" -lt 22 ]; then
  say "installing Node 22 into $root/.tools (npm install --prefix .tools node@22)"
  npm install --prefix .tools --no-save --no-fund --no-audit --loglevel=error node@22 >&2
fi
[ -x "$tools_node" ] && export PATH="$root/.tools/node_modules/.bin:$PATH"

apt_install() {
  [ "$(id -u)" -eq 0 ] || { say "$* missing; install it as root (apt-get install $*)"; exit 1; }
  say "installing $* via apt"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
! need curl || command -v curl >/dev/null || apt_install curl
! need chromium || [ -x "${AUTHLAB_CHROMIUM:-/usr/bin/chromium}" ] || apt_install chromium

if need docker && ! docker info >/dev/null 2>&1; then
  [ "$(id -u)" -eq 0 ] || { say "no Docker engine answers; start one, or run this as root to install and start it"; exit 1; }
  say "no Docker engine answers: installing docker.io and debootstrap via apt if missing, starting dockerd (log: /var/log/dockerd.log)"
  bash containers/host/install-engine.sh >&2
fi

# After the engine: the package recommends docker.io, which the step above installs its own way.
! need compose || command -v docker-compose >/dev/null || apt_install docker-compose

if need docker && ! docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
  command -v debootstrap >/dev/null || apt_install debootstrap
  say "making the base image $BASE_IMAGE with debootstrap (about a minute)"
  bash containers/host/base-image.sh "$BASE_IMAGE" >&2
fi

# node_modules matches package-lock.json when npm's own record of what it installed
# (node_modules/.package-lock.json) lists the same versions.
if ! node scripts/deps-current.mjs; then
  if [ -L node_modules ]; then
    say "node_modules is a link to another checkout's and does not match package-lock.json: not reinstalling it here"
  else
    say "installing the dependencies into $root/node_modules (npm ci)"
    npm ci --no-fund --no-audit >&2
  fi
fi

[ "$#" -eq 0 ] || exec "$@"
