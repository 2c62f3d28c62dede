#!/usr/bin/env node
// Trunk's post_build hook (Trunk.toml), a step of every `trunk build` and
// `trunk serve`: completes the site Trunk staged in $TRUNK_STAGING_DIR (or the
// directory given as the first argument). It sits in www/build/, which no
// data-trunk link names, so Trunk never copies it into dist/. It adds:
//
//   embed.html                    the page in its compact iframe layout: index.html
//                                 with <body data-kcp-mode="embed"> (same JS, wasm, CSS)
//   embed.js, tutorial.html,      copied from www/ as they are
//   api-example.html
//   pkg/                          the JavaScript API (src/js_api.rs): cargo build
//                                 --features js-api --profile wasm-api with wasm SIMD,
//                                 wasm-bindgen --target web, wasm-opt -O3 (for speed:
//                                 scripts of big logs)
//   playground-standalone.html    one self-contained file (CSS, JS and the wasm
//                                 inlined) that opens straight from disk (file://)
//
// Everything uses relative paths and nothing from the network.

import { readFile, writeFile, copyFile, mkdir, readdir, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, resolve, dirname, delimiter } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const OUT = resolve(process.argv[2] ?? process.env.TRUNK_STAGING_DIR ?? join(ROOT, 'dist'));
const RELEASE = (process.env.TRUNK_PROFILE ?? 'release') === 'release';
const STATIC = ['embed.js', 'tutorial.html', 'api-example.html'];
// The wasm features Rust emits by default (as in www/index.html's data-wasm-opt-params).
const WASM_FEATURES = ['--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext', '--enable-reference-types', '--enable-multivalue', '--enable-mutable-globals'];

// The JS API is built with wasm SIMD, which every current browser runs
// (Chrome and Firefox since 2021, Safari since 16.4): with it one shuffle
// byte-swaps a batch header's big-endian i64 fields, which wasm32 otherwise
// does in 22 scalar operations (`be_i64` in src/batch.rs). Measured on
// 1,000,000 records over 10,000 keys in headless Chromium, best of 12
// interleaved in one run: a cleaning took 34.2 ms with it, 38.2 without.
const API_WASM_FEATURES = [...WASM_FEATURES, '--enable-simd'];

/** `env` with `-C target-feature=+simd128` added to the rustflags cargo reads. */
function withSimd(env) {
  const flag = ['-C', 'target-feature=+simd128'];
  if (env.CARGO_ENCODED_RUSTFLAGS) return { ...env, CARGO_ENCODED_RUSTFLAGS: [env.CARGO_ENCODED_RUSTFLAGS, ...flag].join('\x1f') };
  return { ...env, RUSTFLAGS: [env.RUSTFLAGS, ...flag].filter((f) => f).join(' ') };
}

const log = (msg) => console.error(`[post-build] ${msg}`);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], ...opts });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status}`);
}

/** A program on PATH (the one Trunk itself found: .ci/tools.sh puts wasm-opt in ~/.cargo/bin). */
function which(name) {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter((d) => d);
  return dirs.map((d) => join(d, name)).find((p) => existsSync(p));
}

async function embedPage(index) {
  const html = index
    .replace('<body>', '<body data-kcp-mode="embed" class="embed-body">')
    .replace(/<title>[^<]*<\/title>/, '<title>Kafka compaction playground (embedded)</title>')
    .replace(/<meta name="color-scheme" content="light" \/>/, '<meta name="color-scheme" content="light dark" />');
  if (!html.includes('data-kcp-mode="embed"')) throw new Error('index.html has no <body> to mark as the embed');
  await writeFile(join(OUT, 'embed.html'), html);
}

async function copyStatic() {
  for (const f of STATIC) await copyFile(join(ROOT, 'www', f), join(OUT, f));
}

/** dist/pkg: the wasm-bindgen JS API. */
async function jsApi() {
  // Optimised for speed, not size (see the profile in Cargo.toml).
  const profile = 'wasm-api';
  run('cargo', ['build', '--offline', '--lib', '--profile', profile, '--target', 'wasm32-unknown-unknown', '--features', 'js-api'], { env: withSimd(process.env) });
  const targetDir = process.env.CARGO_TARGET_DIR ? resolve(ROOT, process.env.CARGO_TARGET_DIR) : join(ROOT, 'target');
  const wasm = join(targetDir, 'wasm32-unknown-unknown', profile, 'kcp.wasm');
  const pkg = join(OUT, 'pkg');
  await mkdir(pkg, { recursive: true });
  run(which('wasm-bindgen') ?? 'wasm-bindgen', ['--target', 'web', '--out-dir', pkg, wasm]);
  const opt = which('wasm-opt');
  const out = join(pkg, 'kcp_bg.wasm');
  if (!RELEASE) {
    log('debug build: pkg/kcp_bg.wasm left unoptimised');
  } else if (opt) {
    run(opt, ['-O3', ...API_WASM_FEATURES, out, '-o', out]);
  } else {
    log('wasm-opt not found on PATH (bash .ci/serve or .ci/test installs it): pkg/kcp_bg.wasm left unoptimised');
  }
  log(`pkg/kcp_bg.wasm: ${(await stat(out)).size} bytes`);
}

/** One HTML file with the CSS, the JS and the wasm (base64) inlined. */
async function standalone(index) {
  const files = await readdir(OUT);
  const js = files.find((f) => /^playground-ui-[0-9a-f]+\.js$/.test(f) || f === 'playground-ui.js');
  const wasm = files.find((f) => /^playground-ui-[0-9a-f]+_bg\.wasm$/.test(f) || f === 'playground-ui_bg.wasm');
  const css = files.find((f) => /^style(-[0-9a-f]+)?\.css$/.test(f));
  if (!js || !wasm || !css) throw new Error(`cannot find the page's js, wasm and css in ${OUT}: ${files.join(', ')}`);
  const [jsText, wasmBytes, cssText] = await Promise.all([readFile(join(OUT, js), 'utf8'), readFile(join(OUT, wasm)), readFile(join(OUT, css), 'utf8')]);
  // An inline module: no import, no fetch (Chromium refuses module scripts
  // and fetches from file:// URLs); the wasm bytes go to the init function.
  const module = jsText
    .replace(/^export \{[^}]*\};?\s*$/m, '')
    .replace(/^export (function|class|const|let|async function) /gm, '$1 ')
    .replaceAll('</script', '<\\/script');
  if (/^\s*(import|export)\b/m.test(module)) throw new Error(`${js} still has an import or export the inline script cannot keep`);
  const boot = `
const wasmBase64 = "${wasmBytes.toString('base64')}";
const bytes = Uint8Array.from(atob(wasmBase64), (c) => c.charCodeAt(0));
await __wbg_init({ module_or_path: bytes });
`;
  let html = index
    // Drop Trunk's loader, its preloads and the stylesheet link.
    .replace(/<script type="module">[\s\S]*?<\/script>/, '')
    .replace(/<link rel="(modulepreload|preload)"[^>]*>/g, '')
    .replace(/<link rel="stylesheet"[^>]*>/, () => `<style>\n${cssText.replaceAll('</style', '<\\/style')}\n</style>`)
    .replace(/<title>[^<]*<\/title>/, '<title>Kafka compaction playground (single file)</title>')
    .replace('</body>', () => `<script type="module">\n${module}\n${boot}</script>\n</body>`);
  if (/<link rel="(stylesheet|modulepreload|preload)"/.test(html) || /src="\.\//.test(html)) throw new Error('the standalone page still refers to another file');
  await writeFile(join(OUT, 'playground-standalone.html'), html);
  log(`playground-standalone.html: ${html.length} bytes`);
}

try {
  const index = await readFile(join(OUT, 'index.html'), 'utf8');
  await embedPage(index);
  await copyStatic();
  await standalone(index);
  await jsApi();
  log(`done in ${OUT}`);
} catch (e) {
  log(`failed: ${e.message}`);
  process.exit(1);
}
