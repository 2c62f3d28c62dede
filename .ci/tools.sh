#!/usr/bin/env bash
# Installs every tool the playground's build and tests use, skipping each one
# that is already present at the right version. Sourced by .ci/serve and .ci/test
# so that a fresh machine needs nothing but the Rust toolchain, Node.js and apt.
set -euo pipefail

TRUNK_VERSION=0.21.14   # 0.22 needs a newer rustc than these machines have
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"

log() { printf '\033[1m[tools]\033[0m %s\n' "$*" >&2; }

# The wasm-bindgen CLI must match the wasm-bindgen crate in Cargo.lock exactly
# (Trunk refuses a mismatched one and would try to download another).
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

ensure_wasm_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

ensure_trunk() {
  if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
    log "installing trunk $TRUNK_VERSION (about 14 minutes on 2 cores)"
    cargo install trunk --version "$TRUNK_VERSION" --locked --force
  fi
}

ensure_wasm_bindgen() {
  local want
  want="$(wasm_bindgen_version)"
  if [ -z "$want" ]; then
    log "Cargo.lock names no wasm-bindgen; run cargo generate-lockfile"; return 1
  fi
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $want" ]; then
    log "installing wasm-bindgen-cli $want (about 8 minutes)"
    # Not --locked: one of its locked dependencies is no longer on the registry.
    cargo install wasm-bindgen-cli --version "=$want" --force
  fi
}

ensure_chromium() {
  if [ ! -x /usr/bin/chromium ]; then
    log "installing Debian's chromium"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium >/dev/null
  fi
}

# playwright-core (drives /usr/bin/chromium; never downloads a browser) and
# binaryen's wasm-opt (Debian's is too old to read current Rust output).
ensure_node_modules() {
  local dir="$ROOT/tests/e2e"
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    log "installing the end-to-end test's npm packages"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
  export PATH="$dir/node_modules/.bin:$PATH"
}

ensure_build_tools() {
  ensure_wasm_target
  ensure_trunk
  ensure_wasm_bindgen
  ensure_node_modules
}
