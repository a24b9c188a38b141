#!/bin/sh
# Installs n8n from ./package.json inside the image build, reusing what earlier builds downloaded:
# npm's cache (/root/.npm) and NATIVE_CACHE are cache mounts every version's build shares.
# Usage: install.sh REGISTRY NATIVE_CACHE
set -eu
registry="$1"
native_cache="$2"

# The tree was resolved on the host (package-lock.json, with every tarball's address and integrity):
# npm installs it without building the tree again from package documents, and takes a tarball an
# earlier build cached from the cache by its integrity. Not `npm ci`: the host's npm may be newer
# than the image's, whose stricter check of the lockfile refuses what the host's npm wrote.
# Install scripts are skipped: newer releases ship native modules whose scripts download sources
# from outside the registry. --loglevel=http: a line per request, which the host sums up as progress.
npm_config_cafile=/etc/ssl/certs/ca-certificates.crt npm_config_nodedir=/opt/node \
  npm install --omit=dev --ignore-scripts --prefer-offline --no-fund --no-audit --no-update-notifier \
    --registry="$registry" --loglevel=http

# sqlite3 is the one native module n8n needs to start: compile its binding once per sqlite3
# version and Node ABI, and copy it from the cache when another version's build compiled it.
version="$(node -p "require('./node_modules/sqlite3/package.json').version")"
key="sqlite3-$version-abi$(node -p process.versions.modules)-$(uname -m)"
if [ -d "$native_cache/$key/build" ]; then
  echo "sqlite3 $version: binding from the shared cache ($key)"
  rm -rf node_modules/sqlite3/build && cp -a "$native_cache/$key/build" node_modules/sqlite3/build
else
  echo "sqlite3 $version: compiling its binding ($key)"
  npm_config_nodedir=/opt/node npm rebuild sqlite3 --loglevel=error
  rm -rf "$native_cache/$key.tmp" && mkdir -p "$native_cache/$key.tmp"
  cp -a node_modules/sqlite3/build "$native_cache/$key.tmp/build" && mv -T "$native_cache/$key.tmp" "$native_cache/$key" 2>/dev/null || true
fi
node -e "require('sqlite3')"
