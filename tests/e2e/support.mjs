// Shared helpers of the end-to-end tests: a tiny static server for the
// already built dist/ on 127.0.0.1 (random port), headless Debian Chromium
// through playwright-core, and helpers that act on the page and time it.
// Nothing here builds anything: run.sh (or CI) runs `trunk build --release`.

import { createServer } from 'node:http';
import { readFile, mkdir, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const DIST = resolve(here, '../../dist');
export const SCREENSHOTS = resolve(here, 'screenshots');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

/** Serves `root` on 127.0.0.1 at a random port; resolves to { url, close }. */
export async function serve(root = DIST) {
  try {
    await stat(join(root, 'index.html'));
  } catch {
    throw new Error(`${root}/index.html is missing: run \`trunk build --release\` from the repository root first (tests/e2e/run.sh does)`);
  }
  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
      if (!file.startsWith(root)) {
        res.writeHead(403).end();
        return;
      }
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((ok) => server.close(ok)) };
}

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** Headless Debian Chromium (never a downloaded browser). */
export function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/**
 * A new page at `url`, with console errors and page errors collected in
 * `page.errors`, waiting until the app has rendered.
 */
export async function open(browser, url, size = {}) {
  const page = await openPlain(browser, url, size);
  await page.waitForSelector('[data-test-id="app"]');
  // Let the page warm its engine (it does so 40 ms after the first render).
  await page.waitForTimeout(150);
  return page;
}

/**
 * A new page at `url` (any page of the site: a host page, the tutorial),
 * with errors collected in `page.errors` and the network limited to our
 * server; it does not wait for the app.
 */
export async function openPlain(browser, url, { width = 1280, height = 800, acceptDownloads = false } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1, acceptDownloads });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') page.errors.push(m.text());
  });
  // The page must never reach the network beyond our server.
  await page.route('**/*', (route) => {
    const u = route.request().url();
    if (u.startsWith('http://127.0.0.1:') || u.startsWith('data:')) return route.continue();
    page.errors.push(`blocked request to ${u}`);
    return route.abort();
  });
  await page.goto(url);
  return page;
}

/** `[data-test-id="id"]`. */
export const tid = (id) => `[data-test-id="${id}"]`;

/** The app's render version (changes with every action). */
export const version = (page) => page.getAttribute(tid('app'), 'data-version');

/**
 * Clicks an element (or submits a form) and measures, in the page, the time
 * from the event to the DOM update that follows (the app root's
 * data-version changes), including the style and layout it causes.
 * With `watch`, any change inside that element counts instead (for
 * controls that change only a component's own state). With `settle`, the
 * update counts only once no job's progress line or busy sign is left (a
 * heavy action first paints its busy sign, then runs: the first update is
 * not the end of the work). Resolves to ms.
 */
export async function timed(page, selector, { press, watch, settle } = {}) {
  return page.evaluate(
    ({ selector, press, watch, settle }) =>
      new Promise((ok, fail) => {
        const root = document.querySelector('[data-test-id="app"]');
        const el = document.querySelector(selector);
        if (!root || !el) return fail(new Error(`no element ${selector}`));
        const before = root.getAttribute('data-version');
        const t0 = performance.now();
        const done = () => {
          // Include the style and layout work the update causes.
          void document.body.offsetHeight;
          const t1 = performance.now();
          observer.disconnect();
          ok(t1 - t0);
        };
        // Page-local state (paging) does not change the version: then any
        // change inside `watch` counts.
        const busy = () => settle && document.querySelector('[data-test-id="progress"]');
        const observer = new MutationObserver(() => {
          if (watch || (root.getAttribute('data-version') !== before && !busy())) done();
        });
        if (watch) observer.observe(document.querySelector(watch), { childList: true, subtree: true, characterData: true, attributes: true });
        else observer.observe(root, { attributes: true, attributeFilter: ['data-version'] });
        if (press) {
          el.requestSubmit ? el.requestSubmit() : el.dispatchEvent(new Event('submit', { cancelable: true, bubbles: true }));
        } else {
          el.click();
        }
        setTimeout(() => fail(new Error(`no update within 10 s after ${selector}`)), 10000);
      }),
    { selector, press, watch, settle },
  );
}

/** Clicks and waits for the app to re-render. */
export async function act(page, selector) {
  const before = await version(page);
  await page.click(selector);
  await page.waitForFunction((v) => document.querySelector('[data-test-id="app"]')?.getAttribute('data-version') !== v, before);
}

/** Fills an input (replacing its text) so that Yew sees `input` events. */
export async function fill(page, selector, text) {
  await page.fill(selector, text);
}

/** Saves a full-page screenshot to tests/e2e/screenshots/NAME.png. */
export async function screenshot(page, name, { fullPage = true } = {}) {
  await mkdir(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  // A full-page capture draws the sticky header where the page is
  // scrolled to: capture from the top.
  if (fullPage) await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path, fullPage });
  return path;
}

/** A URL that loads `script` from the fragment. */
export const scriptUrl = (base, script) => `${base}#script=${encodeURIComponent(script)}`;

/** Offsets of the records drawn in a partition's strip. */
export function offsets(page, partitionId) {
  return page.$$eval(`${tid(`records-${partitionId}`)} ${tid('record')}`, (els) => els.map((e) => Number(e.dataset.offset)));
}

/** Texts of the gap chips in a partition's strip. */
export function gaps(page, partitionId) {
  return page.$$eval(`${tid(`records-${partitionId}`)} ${tid('gap')}`, (els) => els.map((e) => e.textContent.replace(/^\W+/, '').trim()));
}

/**
 * Registers a test file's hooks: before its tests, serve dist/ and launch
 * Chromium and hand both to `use(server, browser)`; after them, close both.
 */
export function withSite(use) {
  let server;
  let browser;
  before(async () => {
    server = await serve();
    browser = await launch();
    use(server, browser);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
}

/**
 * A page in a context of its own whose long tasks (over 50 ms, the
 * browser's own measure) are recorded from the very start in
 * `window.longTasks`, at `url`, with errors collected in `page.errors`.
 * `settle` ms are waited after the app first renders.
 */
export async function watched(browser, url, viewport = { width: 1366, height: 900 }, settle = 0) {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  await context.addInitScript(() => {
    window.longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') page.errors.push(m.text());
  });
  await page.goto(url);
  await page.waitForSelector('[data-test-id="app"]');
  if (settle) await page.waitForTimeout(settle);
  return page;
}

/**
 * axe-core's violations of WCAG 2.2 AA rules (and its best practices) on the
 * page as it is now, each as `{impact, text}` with its first targets; the
 * accessibility and transaction tests assert there is no serious or
 * critical one.
 */
export async function axeViolations(page) {
  const { readFileSync } = await import('node:fs');
  const { createRequire } = await import('node:module');
  const axe = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
  await page.addScriptTag({ content: axe });
  const result = await page.evaluate(async (tags) => await window.axe.run(document, { runOnly: tags }), tags);
  return result.violations.map((v) => ({
    impact: v.impact,
    text: `${v.impact} ${v.id} (${v.nodes.length}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`,
  }));
}
