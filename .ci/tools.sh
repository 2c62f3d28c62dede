#!/usr/bin/env bash
# Installs the tools the playground's build and tests use, each only when it is
# missing or at another version than the repository asks for, so that a second
# run starts at once. Sourced by .ci/serve and .ci/test: a fresh machine needs
# nothing but the Rust toolchain (rustup), Node.js and apt.
#
# Everything lands where a fresh login shell finds it, not only these scripts:
# the README's plain `trunk serve` and `trunk build --release` must work too.
# Trunk, the wasm-bindgen CLI and a wasm-opt wrapper go to ~/.cargo/bin, which
# rustup puts on PATH. Trunk.toml sets `offline = true`, and Trunk 0.21 then
# takes wasm-opt and wasm-bindgen from PATH only, at exactly the versions in
# Trunk.toml's [tools] (it never looks in its download cache when offline).
set -euo pipefail

TRUNK_VERSION=0.21.14   # 0.22 needs a newer rustc than these machines have
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
# Outside the repository: CI runs in a fresh clone, and the wasm-opt wrapper in
# ~/.cargo/bin must outlive any one checkout.
TOOLS_HOME="${XDG_DATA_HOME:-$HOME/.local/share}/kafka-compaction-playground"
export PATH="$CARGO_BIN:$PATH"

log() { printf '\033[1m[tools]\033[0m %s\n' "$*" >&2; }

# A [tools] version from Trunk.toml, e.g. `trunk_tool wasm_opt` -> version_132.
trunk_tool() {
  sed -n "s/^$1 *= *\"\\([^\"]*\\)\".*/\\1/p" "$ROOT/Trunk.toml"
}

# The wasm-bindgen CLI must match the wasm-bindgen crate in Cargo.lock exactly.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

# rustfmt and clippy come with rustup's default profile, but not its minimal one.
ensure_rust_components() {
  local missing=()
  cargo fmt --version >/dev/null 2>&1 || missing+=(rustfmt)
  cargo clippy --version >/dev/null 2>&1 || missing+=(clippy)
  if [ "${#missing[@]}" -gt 0 ]; then
    log "adding the ${missing[*]} rustup components"
    rustup component add "${missing[@]}"
  fi
}

ensure_wasm_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

ensure_trunk() {
  if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
    log "installing trunk $TRUNK_VERSION (about 14 minutes on 2 cores, once)"
    cargo install trunk --version "$TRUNK_VERSION" --locked --force
  fi
}

ensure_wasm_bindgen() {
  local want
  want="$(wasm_bindgen_version)"
  if [ -z "$want" ]; then
    log "Cargo.lock names no wasm-bindgen; run cargo generate-lockfile"; return 1
  fi
  if [ "$(trunk_tool wasm_bindgen)" != "$want" ]; then
    log "Trunk.toml's [tools] wasm_bindgen ($(trunk_tool wasm_bindgen)) differs from Cargo.lock's wasm-bindgen ($want): make them one"
    return 1
  fi
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $want" ]; then
    log "installing wasm-bindgen-cli $want (about 8 minutes, once)"
    # Not --locked: one of its locked dependencies is no longer on the registry.
    cargo install wasm-bindgen-cli --version "=$want" --force
  fi
}

# The version `wasm-opt --version` reports, in Trunk's spelling: Trunk reads
# "wasm-opt version 132 (version_132)" as version_132.
wasm_opt_version() {
  local out words
  out="$("$1" --version 2>/dev/null)" || return 0
  read -r -a words <<<"$out"
  if [ -n "${words[2]:-}" ]; then printf 'version_%s' "${words[2]}"; fi
}

# wasm-opt from npm's binaryen (Debian's is too old to read current Rust
# output), pinned by www/build/package-lock.json, installed under TOOLS_HOME
# with a small wrapper in ~/.cargo/bin where Trunk and the post-build hook find it.
ensure_wasm_opt() {
  local want dir wrapper="$CARGO_BIN/wasm-opt"
  want="$(trunk_tool wasm_opt)"
  if [ "$(wasm_opt_version "$wrapper")" != "$want" ]; then
    dir="$TOOLS_HOME/binaryen"
    log "installing wasm-opt $want (npm binaryen) in $dir, run by $wrapper"
    rm -rf "$dir"
    mkdir -p "$dir" "$CARGO_BIN"
    cp "$ROOT/www/build/package.json" "$ROOT/www/build/package-lock.json" "$dir/"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    cat >"$wrapper" <<EOF
#!/bin/sh
# wasm-opt of npm's binaryen, put on PATH for Trunk by the Kafka compaction
# playground's .ci/tools.sh (bash .ci/serve or .ci/test reinstalls it).
exec node "$dir/node_modules/binaryen/bin/wasm-opt" "\$@"
EOF
    chmod +x "$wrapper"
    local got
    got="$(wasm_opt_version "$wrapper")"
    if [ "$got" != "$want" ]; then
      log "www/build/package.json's binaryen is wasm-opt ${got:-?}, Trunk.toml asks for $want: make them one"
      return 1
    fi
  fi
  local found
  found="$(command -v wasm-opt || true)"
  if [ "$found" != "$wrapper" ]; then
    log "warning: $found comes before $wrapper on PATH; Trunk will run that one"
  fi
}

# The Kafka oracle tests (tests/kafka/) run Kafka's own classes: a JDK 17 and
# Maven. These machines ship both; a machine without them gets Debian's.
ensure_java_and_maven() {
  if ! java -version 2>&1 | grep -q 'version "17' || ! command -v mvn >/dev/null; then
    log "installing a JDK 17 and Maven (Debian's) for the Kafka oracle tests"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq openjdk-17-jdk-headless maven >/dev/null
  fi
}

# The record-format oracles of ../shared/oracles/record-format (kafka-python
# in a venv, kafkajs from npm, the Rust kafka-protocol oracle), which
# tests/engine/log_files.rs runs on every export and which must run in CI.
# Installed under TOOLS_HOME/record-format (where the test looks by default),
# never into shared/, which CI lays read-only: the npm packages and the Rust
# oracle's sources are copied out first. Each part is redone only when its
# stamp (a hash of the requirements, package.json or Cargo.toml and sources it
# was made from) differs, or when it no longer runs.
ensure_record_format_oracles() {
  local src="${KCP_RECORD_FORMAT_ORACLES:-$ROOT/../shared/oracles/record-format}"
  local home="$TOOLS_HOME/record-format"
  if [ ! -f "$src/requirements.txt" ]; then
    log "no record-format oracles at $src (../shared beside the repository); their test will say so"
    return 0
  fi
  mkdir -p "$home"
  local want
  # kafka-python and its optional codecs, in a venv.
  want="$(sha256sum <"$src/requirements.txt" | cut -d" " -f1)"
  if [ "$(cat "$home/venv.stamp" 2>/dev/null)" != "$want" ] ||
    ! "$home/venv/bin/python" -c 'import kafka.record' 2>/dev/null; then
    log "installing kafka-python (the record-format oracle) in $home/venv"
    rm -rf "$home/venv" "$home/venv.stamp"
    if ! python3 -m venv "$home/venv" 2>/dev/null; then
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq
      apt-get install -y -qq python3-venv >/dev/null
      python3 -m venv "$home/venv"
    fi
    "$home/venv/bin/pip" install --quiet --disable-pip-version-check -r "$src/requirements.txt"
    echo "$want" >"$home/venv.stamp"
  fi
  # kafkajs and its codecs, with the oracle's package.json, outside shared/.
  want="$(sha256sum <"$src/package.json" | cut -d" " -f1)"
  if [ "$(cat "$home/node.stamp" 2>/dev/null)" != "$want" ] || [ ! -d "$home/node/node_modules/kafkajs" ]; then
    log "installing kafkajs (the record-format oracle) in $home/node"
    rm -rf "$home/node" "$home/node.stamp"
    mkdir -p "$home/node"
    cp "$src/package.json" "$home/node/"
    npm install --prefix "$home/node" --no-audit --no-fund --loglevel=error >/dev/null
    echo "$want" >"$home/node.stamp"
  fi
  # The Rust kafka-protocol oracle (about 2 minutes once), built from a copy:
  # cargo writes a Cargo.lock beside the manifest.
  local crate="$src/rust-kafka-protocol-oracle"
  if [ -f "$crate/Cargo.toml" ]; then
    want="$(cat "$crate/Cargo.toml" "$crate"/src/*.rs | sha256sum | cut -d' ' -f1)"
    if [ "$(cat "$home/rust-oracle.stamp" 2>/dev/null)" != "$want" ] || [ ! -x "$home/rust-oracle/bin/kp-rust-oracle" ]; then
      log "building the kafka-protocol record-format oracle in $home/rust-oracle"
      rm -rf "$home/rust-oracle" "$home/rust-oracle.stamp" "$home/rust-oracle-src"
      mkdir -p "$home/rust-oracle-src" "$home/rust-oracle/bin"
      cp -r "$crate/Cargo.toml" "$crate/src" "$home/rust-oracle-src/"
      chmod -R u+w "$home/rust-oracle-src"
      CARGO_TARGET_DIR="$home/rust-oracle-target" cargo build --quiet --release \
        --manifest-path "$home/rust-oracle-src/Cargo.toml"
      cp "$home/rust-oracle-target/release/kp-rust-oracle" "$home/rust-oracle/bin/"
      echo "$want" >"$home/rust-oracle.stamp"
    fi
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

# playwright-core, which drives /usr/bin/chromium and never downloads a browser.
ensure_e2e_packages() {
  local dir="$ROOT/tests/e2e"
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    log "installing the end-to-end tests' npm packages"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

# What `trunk build` and `trunk serve` need.
ensure_build_tools() {
  ensure_wasm_target
  ensure_trunk
  ensure_wasm_bindgen
  ensure_wasm_opt
}

# What the end-to-end tests need besides the build.
ensure_browser_tools() {
  ensure_chromium
  ensure_e2e_packages
}
