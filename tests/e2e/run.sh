#!/usr/bin/env bash
# Builds the page (trunk build --release, wasm-opt from npm's binaryen) and
# runs the end-to-end tests in headless Chromium. Usage: tests/e2e/run.sh
# [node --test args]. Needs trunk, the wasm32 target, wasm-bindgen (matching
# Cargo.lock), /usr/bin/chromium and `npm ci` in tests/e2e (.ci/tools.sh
# installs them all).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"

if [ ! -d "$HERE/node_modules" ]; then
  (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error)
fi
export PATH="$HERE/node_modules/.bin:$PATH"

(cd "$ROOT" && trunk build --release)
wasm="$(ls "$ROOT"/dist/*.wasm)"
printf 'wasm: %s bytes, %s bytes gzipped\n' "$(wc -c < "$wasm")" "$(gzip -9 -c "$wasm" | wc -c)"

cd "$HERE"
node --test --test-concurrency=1 "$@"
