// Speed: with 10,000 records in a partition, each interaction (from the
// click to the DOM update, style and layout included) must stay under
// 100 ms in headless Chromium. Each interaction is measured three times
// (undoing it in between); every sample is printed, the first one cold,
// and the median is held to the budget, since CI machines are shared.
// Weight and first paint (issue 13): what index.html loads (wasm, JS, CSS),
// each gzipped with gzip -9 as run.sh prints it, and the time from navigation start
// to the first render with usable controls, from the local server with no
// cache. Needs a built (release) dist/.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withSite, open, tid, fill, timed, scriptUrl, offsets, screenshot, DIST } from './support.mjs';

const BUDGET_MS = Number(process.env.KCP_BUDGET_MS ?? 100);
const RUNS = 3;

let server;
let browser;

withSite((s, b) => {
  server = s;
  browser = b;
});

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// Issue 13's budgets: wasm + JS + CSS under 300 KB gzipped (KB = 1000
// bytes), interactive under 500 ms cold. The weight is not there yet (see
// the README's "Size and speed": 529.8 KB at the end of 2026-11-27, after
// the page gained Kafka's files panel and in-page import): until it is,
// WEIGHT_GUARD holds that figure with a 1% margin, so that it cannot grow
// unnoticed; lower it as the page shrinks.
const WEIGHT_BUDGET = 300_000;
const WEIGHT_GUARD = Number(process.env.KCP_WEIGHT_GUARD ?? 535_000);
const INTERACTIVE_BUDGET_MS = Number(process.env.KCP_INTERACTIVE_BUDGET_MS ?? 500);

test('weight: the wasm, JS and CSS index.html loads, gzipped', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const loaded = [];
  page.on('response', (r) => {
    const u = new URL(r.url());
    if (u.origin === new URL(server.url).origin) loaded.push(u.pathname);
  });
  await page.goto(server.url);
  await page.waitForSelector(tid('app'));
  await page.waitForLoadState('networkidle');
  await context.close();
  const files = [...new Set(loaded)].filter((p) => /\.(wasm|js|css)$/.test(p));
  const kinds = new Set(files.map((p) => p.split('.').pop()));
  assert.deepEqual([...kinds].sort(), ['css', 'js', 'wasm'], `loaded: ${files.join(', ')}`);
  let total = 0;
  console.log('\nwhat index.html loads (bytes, and gzip -9):');
  for (const p of files) {
    const bytes = await readFile(join(DIST, decodeURIComponent(p)));
    // gzip(1) as run.sh: Node's zlib at level 9 writes about 1% more.
    const gz = execFileSync('gzip', ['-9', '-c'], { input: bytes, maxBuffer: 1 << 26 }).length;
    total += gz;
    console.log(`  ${p.padEnd(44)} ${String(bytes.length).padStart(9)} ${String(gz).padStart(8)}`);
  }
  console.log(`  total gzipped: ${total} bytes (budget ${WEIGHT_BUDGET}${WEIGHT_GUARD ? `, guard ${WEIGHT_GUARD}` : ''})`);
  assert.ok(total <= Math.max(WEIGHT_BUDGET, WEIGHT_GUARD), `${total} bytes gzipped`);
});

test('time to interactive, cold from the local server', async () => {
  const samples = [];
  for (let i = 0; i < 3; i++) {
    // A new context each time: no HTTP or code cache (the server says
    // no-store too). Interactive: the app root is rendered, not busy, with an
    // enabled button, and the task that rendered it has ended (a timeout
    // queued then has run), so a click would be handled.
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addInitScript(() => {
      const ready = () => {
        const app = document.querySelector('[data-test-id="app"]');
        return app && app.getAttribute('aria-busy') !== 'true' && app.querySelector('button:not([disabled])');
      };
      new MutationObserver((_, observer) => {
        if (ready()) {
          observer.disconnect();
          window.kcpRendered = performance.now();
          setTimeout(() => {
            window.kcpInteractive = performance.now();
          }, 0);
        }
      }).observe(document, { subtree: true, childList: true, attributes: true });
    });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(server.url);
    await page.waitForFunction(() => window.kcpInteractive !== undefined);
    const t = await page.evaluate(() => ({
      rendered: window.kcpRendered,
      interactive: window.kcpInteractive,
      wasm: performance.getEntriesByType('resource').find((e) => e.name.endsWith('.wasm'))?.responseEnd,
    }));
    assert.deepEqual(errors, []);
    await context.close();
    samples.push(t);
  }
  console.log(`\ncold loads (ms from navigation start; budget ${INTERACTIVE_BUDGET_MS} ms on the median of interactive):`);
  for (const s of samples) {
    console.log(`  wasm loaded ${s.wasm?.toFixed(0).padStart(4)}   first render ${s.rendered.toFixed(0).padStart(4)}   interactive ${s.interactive.toFixed(0).padStart(4)}`);
  }
  const m = median(samples.map((s) => s.interactive));
  assert.ok(m < INTERACTIVE_BUDGET_MS, `median time to interactive ${m.toFixed(0)} ms`);
});

test('10,000 records and a cleaning: every interaction under the budget', async () => {
  const page = await open(browser, scriptUrl(server.url, 'topic big partitions=1 cleanup.policy=compact segment.bytes=16384\nproduce big key-1:hello\nproduce big key-2:world\n'));
  await fill(page, tid('generate-count'), '10000');
  await fill(page, tid('generate-keys'), '100');
  const samples = {};
  const record = (name, ms) => (samples[name] ??= []).push(ms);
  // Measures an action RUNS times, undoing it after all but the last run
  // (the undo is measured too: it replays the whole session).
  const measure = async (name, selector) => {
    for (let i = 0; i < RUNS; i++) {
      record(name, await timed(page, selector));
      if (i + 1 < RUNS) record('undo (replays the session)', await timed(page, tid('undo')));
    }
  };

  await measure('generate 10,000 records', tid('generate'));
  assert.match(await page.textContent(tid('stats-big-0')), /10\u202f002 records/);
  await measure('advance the clock (+1 min)', tid('advance-1min'));
  await measure('roll the segment', tid('roll-big-0'));
  await measure('run the cleaner', tid('run-cleaner'));
  assert.match(await page.textContent(tid('cleaner-report')), /Beginning cleaning of log big-0/);
  assert.match(await page.textContent(tid('stats-big-0')), /^100 records/);
  await fill(page, tid('produce-key'), 'key-7');
  await fill(page, tid('produce-value'), 'hello');
  await measure('produce one record', tid('produce'));
  await measure('fetch 20 records', tid('consume'));
  await measure('clean this partition now', tid('clean-big-0'));
  for (const p of ['next-page-big-0', 'last-page-big-0']) {
    if (await page.locator(`${tid(p)}:not([disabled])`).count()) record('page through the log', await timed(page, tid(p), { watch: tid('records-big-0') }));
  }
  await screenshot(page, 'performance-10k');

  console.log(`\ninteraction times with 10,000 records, click to DOM update and layout (ms; first sample cold; budget ${BUDGET_MS} ms on the median):`);
  for (const [name, xs] of Object.entries(samples)) {
    console.log(`  ${name.padEnd(30)} median ${median(xs).toFixed(1).padStart(6)}   samples ${xs.map((x) => x.toFixed(1)).join(', ')}`);
  }
  for (const [name, xs] of Object.entries(samples)) {
    assert.ok(median(xs) < BUDGET_MS, `${name}: median ${median(xs).toFixed(1)} ms (samples ${xs.map((x) => x.toFixed(1)).join(', ')}; budget ${BUDGET_MS} ms)`);
  }
  assert.ok((await offsets(page, 'big-0')).length <= 100, 'one page of records at most');
  assert.deepEqual(page.errors, []);
});
