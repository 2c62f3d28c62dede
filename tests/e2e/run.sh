#!/usr/bin/env bash
# Builds the site (trunk build --release; its post_build hook,
# www/build/post-build.mjs, adds embed.html, the loader and example pages, the
# JS API in dist/pkg/ and dist/playground-standalone.html) and runs the
# end-to-end tests in headless Chromium. Usage: tests/e2e/run.sh
# [node --test args]. Needs what .ci/tools.sh installs: trunk, the wasm32
# target, wasm-bindgen (matching Cargo.lock) and wasm-opt on PATH,
# /usr/bin/chromium, and `npm ci` in tests/e2e.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"

if [ ! -d "$HERE/node_modules" ]; then
  (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error)
fi

(cd "$ROOT" && trunk build --release)
wasm="$(ls "$ROOT"/dist/*.wasm)"
printf 'wasm: %s bytes, %s bytes gzipped\n' "$(wc -c < "$wasm")" "$(gzip -9 -c "$wasm" | wc -c)"
for f in embed.html embed.js tutorial.html api-example.html pkg/kcp.js pkg/kcp_bg.wasm playground-standalone.html; do
  [ -s "$ROOT/dist/$f" ] || { echo "dist/$f is missing: the post_build hook (www/build/post-build.mjs) did not run" >&2; exit 1; }
done
if [ -e "$ROOT/dist/build" ] || [ -e "$ROOT/dist/post-build.mjs" ]; then
  echo "dist/ holds the build's own scripts (www/build/): Trunk must not copy them" >&2; exit 1
fi
printf 'JS API: %s bytes of wasm; single file: %s bytes\n' "$(wc -c < "$ROOT/dist/pkg/kcp_bg.wasm")" "$(wc -c < "$ROOT/dist/playground-standalone.html")"

cd "$HERE"
node --test --test-concurrency=1 "$@"
