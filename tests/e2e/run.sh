#!/usr/bin/env bash
# Builds the site (trunk build --release, wasm-opt from npm's binaryen; its
# post_build hook, .ci/post-build.mjs, adds embed.html, the loader and example
# pages, the JS API in dist/pkg/ and dist/playground-standalone.html) and
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
for f in embed.html embed.js tutorial.html api-example.html pkg/kcp.js pkg/kcp_bg.wasm playground-standalone.html; do
  [ -s "$ROOT/dist/$f" ] || { echo "dist/$f is missing: the post_build hook (.ci/post-build.mjs) did not run" >&2; exit 1; }
done
printf 'JS API: %s bytes of wasm; single file: %s bytes\n' "$(wc -c < "$ROOT/dist/pkg/kcp_bg.wasm")" "$(wc -c < "$ROOT/dist/playground-standalone.html")"

cd "$HERE"
node --test --test-concurrency=1 "$@"
