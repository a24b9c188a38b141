#!/bin/sh
# Compiles sqlite3's native binding, or copies it from CACHE_DIR when this sqlite3 version was
# already compiled for this Node ABI (by another n8n version's build sharing the cache mount).
# Usage: sqlite3-binding.sh CACHE_DIR   (run in the folder holding node_modules/sqlite3)
set -eu
cache="$1"
version="$(node -p "require('./node_modules/sqlite3/package.json').version")"
key="sqlite3-$version-abi$(node -p process.versions.modules)-$(uname -m)"
if [ -d "$cache/$key/build" ]; then
  echo "sqlite3 $version: binding from the shared cache ($key)"
  rm -rf node_modules/sqlite3/build && cp -a "$cache/$key/build" node_modules/sqlite3/build
else
  echo "sqlite3 $version: compiling its binding ($key)"
  npm_config_nodedir=/opt/node npm rebuild sqlite3 --loglevel=error
  mkdir -p "$cache/$key.tmp" && rm -rf "$cache/$key.tmp/build"
  cp -a node_modules/sqlite3/build "$cache/$key.tmp/build" && mv "$cache/$key.tmp" "$cache/$key" 2>/dev/null || true
fi
