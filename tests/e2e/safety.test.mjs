// Safety of a person's work and of the page itself, in headless Chromium:
// links never destroy a saved session (a malformed one changes nothing, a
// good one keeps it restorable), a saved session that does not parse stays
// as a draft, hostile links keep the page answering with progress and a
// Cancel that changes nothing, a load that never finished starts safe mode,
// two tabs notice each other, the panic banner shows, and index.html from
// file:// says why it cannot start. Needs a built dist/.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { withSite, open, tid, act, fill, timed, scriptUrl, DIST } from './support.mjs';

let server;
let browser;

withSite((s, b) => {
  server = s;
  browser = b;
});

const SAVED = 'kcp.session.v1';
const MINE = 'topic mine cleanup.policy=compact\nproduce mine a:1\nproduce mine b:2\n';

/** Runs `script` from the editor (so it becomes the saved session). */
async function runScript(page, script) {
  await fill(page, tid('script-text'), script);
  await act(page, tid('run-script'));
}

const saved = (page) => page.evaluate((k) => localStorage.getItem(k), SAVED);
const editor = (page) => page.inputValue(tid('script-text'));

/** Another page of the same browser context (same localStorage). */
async function sibling(page, url) {
  const other = await page.context().newPage();
  other.errors = [];
  other.on('pageerror', (e) => other.errors.push(String(e)));
  await other.goto(url);
  await other.waitForSelector(tid('app'));
  return other;
}

test('a malformed link changes nothing: the saved session stays and reloads', async () => {
  const page = await open(browser, server.url);
  await runScript(page, MINE);
  assert.equal(await saved(page), MINE);
  // Followed in this tab, then opened afresh.
  await page.goto(`${server.url}#script=%zz`);
  await page.waitForFunction(() => /could not be read/.test(document.querySelector('[data-test-id="status-text"]')?.textContent ?? ''));
  assert.equal(await editor(page), MINE);
  const fresh = await sibling(page, `${server.url}#script=%zz`);
  assert.match(await fresh.textContent(tid('status-text')), /could not be read/);
  assert.equal(await editor(fresh), MINE);
  assert.equal(await saved(fresh), MINE);
  assert.deepEqual([...page.errors, ...fresh.errors], []);
});

test('a link does not overwrite a saved session without the person\'s say', async () => {
  const page = await open(browser, server.url);
  await runScript(page, MINE);
  // A new visit through a link: the link runs, the earlier session is kept.
  const visit = await sibling(page, scriptUrl(server.url, 'topic fromlink\n'));
  assert.equal(await editor(visit), 'topic fromlink\n');
  await visit.waitForSelector(tid('restore-previous'));
  assert.match(await visit.textContent(tid('saved-note')), /kept as your previous session/);
  await act(visit, tid('restore-previous'));
  assert.equal(await editor(visit), MINE);
  await visit.waitForFunction((k) => localStorage.getItem(k)?.startsWith('topic mine'), SAVED);
  // Restoring swapped the two: the link's session is the previous one now.
  assert.equal(await visit.evaluate(() => localStorage.getItem('kcp.session.previous.v1')), 'topic fromlink\n');
  // A link followed in the same tab keeps the session restorable too.
  await visit.goto(scriptUrl(server.url, 'topic second\n'));
  await visit.waitForSelector(tid('restore-previous'));
  await act(visit, tid('restore-previous'));
  assert.equal(await editor(visit), MINE);
  assert.deepEqual([...page.errors, ...visit.errors], []);
});

test('a saved session with one bad line is kept as a draft with its error', async () => {
  const page = await open(browser, server.url);
  const broken = 'topic t cleanup.policy=compact\nproduce t a:1\nthis is not a command\n';
  await page.evaluate(([k, v]) => localStorage.setItem(k, v), [SAVED, broken]);
  await page.reload();
  await page.waitForSelector(tid('app'));
  await page.waitForTimeout(200);
  assert.equal(await editor(page), broken);
  assert.match(await page.textContent(tid('status-text')), /saved session could not be read.*line 3: unknown command 'this'/);
  assert.equal(await saved(page), broken, 'not overwritten');
  // Fixing it and running it saves the fixed one.
  await runScript(page, 'topic t cleanup.policy=compact\nproduce t a:1\n');
  await page.waitForFunction((k) => localStorage.getItem(k) === 'topic t cleanup.policy=compact\nproduce t a:1\n', SAVED);
  assert.deepEqual(page.errors, []);
});

test('a hostile link keeps the page answering, shows progress, and Cancel changes nothing', async () => {
  const page = await open(browser, server.url);
  await runScript(page, MINE);
  const hostile = `topic t partitions=1\n${'generate t count=1000 keys=50\n'.repeat(900)}`;
  assert.ok(hostile.length < 30000, 'a short link');
  await page.goto(scriptUrl(server.url, hostile));
  await page.waitForSelector(tid('progress'), { timeout: 5000 });
  assert.match(await page.textContent(tid('progress-text')), /Loading the link: line \d+ of 901/);
  // A click is answered (a note that the page is busy) within a second.
  const ms = await timed(page, tid('advance-1s'));
  assert.ok(ms < 1000, `answered in ${ms.toFixed(0)} ms`);
  assert.match(await page.textContent(tid('status-text')), /Busy running a script/);
  await act(page, tid('cancel-job'));
  assert.equal(await page.locator(tid('progress')).count(), 0);
  assert.match(await page.textContent(tid('status-text')), /Cancelled after \d+ of 901 lines: the session is as it was before/);
  assert.equal(await editor(page), MINE);
  assert.equal(await saved(page), MINE);

  // Let it run to the end: the page stays responsive all along.
  await page.goto(scriptUrl(server.url, `${hostile}# again\n`));
  await page.waitForSelector(tid('progress'));
  let worst = 0;
  while (await page.locator(tid('progress')).count()) {
    const t = await page.evaluate(() => new Promise((ok) => { const t0 = performance.now(); setTimeout(() => ok(performance.now() - t0), 0); }));
    worst = Math.max(worst, t);
    await page.waitForTimeout(50);
  }
  console.log(`longest wait for the event loop during the load: ${worst.toFixed(0)} ms`);
  assert.ok(worst < 1000, `the event loop waited ${worst.toFixed(0)} ms`);
  assert.match(await page.textContent(tid('status-text')), /Ran 901 lines/);
  // The session it replaced is restorable.
  await page.waitForSelector(tid('restore-previous'));
  assert.deepEqual(page.errors, []);
});

test('a heavy generate runs in slices with progress, and Cancel keeps the log as it was', async () => {
  const page = await open(browser, scriptUrl(server.url, 'topic big partitions=1\nproduce big a:1\n'));
  const leo = async () => (await page.textContent(tid('mark-leo'))).trim();
  assert.equal(await leo(), '1');
  await fill(page, tid('generate-count'), '400000');
  await fill(page, tid('generate-keys'), '1000');
  // The whole generate takes about a second here: watch the progress line
  // from inside the page, and press Cancel as soon as a slice has run (a
  // round trip from the test could come too late).
  await page.evaluate(() => {
    window.seen = [];
    window.cancelAt = null;
    new MutationObserver(() => {
      const text = document.querySelector('[data-test-id="progress-text"]')?.textContent;
      if (!text || window.seen.at(-1) === text) return;
      window.seen.push(text);
      const done = Number(/record (\d+) of/.exec(text)?.[1] ?? 0);
      if (window.cancelAt === null && done > 1) {
        window.cancelAt = done;
        document.querySelector('[data-test-id="cancel-job"]').click();
      }
    }).observe(document.body, { childList: true, subtree: true, characterData: true });
  });
  await page.click(tid('generate'));
  await page.waitForFunction(() => /Cancelled/.test(document.querySelector('[data-test-id="status-text"]')?.textContent ?? ''), null, { timeout: 20000 });
  const { seen, cancelAt } = await page.evaluate(() => ({ seen: window.seen, cancelAt: window.cancelAt }));
  assert.match(seen[0], /^Generating: record 1 of 400000/, 'the progress line shows at once');
  assert.ok(cancelAt > 1 && cancelAt < 400000, `cancelled midway, at record ${cancelAt}`);
  assert.equal(await page.locator(tid('progress')).count(), 0);
  assert.match(await page.textContent(tid('status-text')), /Cancelled after \d+ of 400000 records: the session is as it was before/);
  assert.equal(await leo(), '1', 'no record appended');
  assert.doesNotMatch(await editor(page), /generate/);

  // Run to the end: the page stays responsive, and the progress moves.
  await page.evaluate(() => { window.seen = []; window.cancelAt = 0; });
  await act(page, tid('generate'));
  let worst = 0;
  while (await page.locator(tid('progress')).count()) {
    const t = await page.evaluate(() => new Promise((ok) => { const t0 = performance.now(); setTimeout(() => ok(performance.now() - t0), 0); }));
    worst = Math.max(worst, t);
    await page.waitForTimeout(20);
  }
  const moved = await page.evaluate(() => window.seen);
  console.log(`longest wait for the event loop during the generate: ${worst.toFixed(0)} ms; ${moved.length} progress lines`);
  assert.ok(worst < 1000, `the event loop waited ${worst.toFixed(0)} ms`);
  assert.ok(moved.length > 2, `progress moved: ${moved.join(' | ')}`);
  assert.match(await page.textContent(tid('status-text')), /Generated 400000 records over 1000 keys on big/);
  assert.equal(await leo(), '400001');
  assert.match(await editor(page), /generate big count=400000 keys=1000/);
  assert.deepEqual(page.errors, []);
});

test('a heavy line shows a busy sign before it runs', async () => {
  const page = await open(browser, scriptUrl(server.url, 'topic big\n'));
  await fill(page, tid('generate-count'), '200000');
  await fill(page, tid('generate-keys'), '1000');
  // Record what the page draws between the click and the result.
  await page.evaluate(() => {
    window.seen = [];
    new MutationObserver(() => {
      const busy = document.querySelector('[data-test-id="progress-text"]')?.textContent;
      if (busy) window.seen.push(busy);
    }).observe(document.body, { childList: true, subtree: true, characterData: true });
  });
  const ms = await timed(page, tid('generate'));
  assert.ok(ms < 1000, `busy sign after ${ms.toFixed(0)} ms`);
  await page.waitForFunction(() => /Generated|200\u202f000|200,000/.test(document.querySelector('[data-test-id="status-text"]')?.textContent ?? ''), null, { timeout: 20000 });
  const seen = await page.evaluate(() => window.seen);
  assert.ok(seen.some((t) => /Generating: record \d+ of 200000/.test(t)), `a busy sign was drawn: ${seen.join(' | ')}`);
  assert.deepEqual(page.errors, []);
});

test('a load that did not finish last time starts in safe mode', async () => {
  const page = await open(browser, server.url);
  await runScript(page, MINE);
  // What a tab that died mid-load leaves behind.
  await page.evaluate(() => localStorage.setItem('kcp.session.loading.v1', '1'));
  await page.reload();
  await page.waitForSelector(tid('safe-load'));
  assert.match(await page.textContent(tid('saved-note')), /Safe mode/);
  assert.equal(await page.locator(tid('timeline-entry')).count(), 0, 'nothing replayed');
  assert.equal(await editor(page), MINE, 'offered in the editor');
  assert.equal(await saved(page), MINE);
  await act(page, tid('safe-load'));
  assert.equal(await page.locator(tid('timeline-entry')).count(), 3);
  assert.deepEqual(page.errors, []);
});

test('two tabs notice each other', async () => {
  const a = await open(browser, server.url);
  await runScript(a, MINE);
  const b = await sibling(a, server.url);
  assert.equal(await editor(b), MINE);
  await runScript(b, `${MINE}produce mine c:3\n`);
  // Tab a hears of it and may load it.
  await a.waitForSelector(tid('other-tab-load'));
  assert.match(await a.textContent(tid('saved-note')), /Another tab saved a different session \(4 lines\)/);
  await act(a, tid('other-tab-load'));
  assert.equal(await editor(a), `${MINE}produce mine c:3\n`);
  // Or keep its own: the other one stays restorable.
  await runScript(b, 'topic only-b\n');
  await a.waitForSelector(tid('other-tab-keep'));
  await act(a, tid('other-tab-keep'));
  await a.waitForFunction((k) => localStorage.getItem(k)?.endsWith('produce mine c:3\n'), SAVED);
  assert.equal(await a.evaluate(() => localStorage.getItem('kcp.session.previous.v1')), 'topic only-b\n');
  assert.deepEqual([...a.errors, ...b.errors], []);
});

test('the panic banner appears and offers the session', async () => {
  const page = await open(browser, `${server.url}?kcp-test-panic${'#script=' + encodeURIComponent('topic p\n')}`);
  await page.waitForSelector('#panic-banner:not([hidden])', { timeout: 5000 });
  assert.match(await page.textContent('#panic-banner'), /internal error/);
  assert.match(await page.getAttribute(tid('panic-reload'), 'href'), /#script=topic%20p/);
  assert.ok(page.errors.some((e) => /kcp-test-panic/.test(e)), 'the panic reached the console');
});

test('index.html opened from disk says why and points to the single-file build', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(pathToFileURL(join(DIST, 'index.html')).href);
  await page.waitForSelector(tid('load-failed'), { timeout: 10000 });
  assert.match(await page.textContent(tid('load-failed')), /cannot start from a file on disk/);
  assert.equal(await page.getAttribute(`${tid('load-failed')} a`, 'href'), 'playground-standalone.html');
  await context.close();
});
