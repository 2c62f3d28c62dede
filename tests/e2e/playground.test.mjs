// The playground page in headless Chromium: produce, tombstone, advance the
// clock, roll, clean, and check what the page shows (surviving offsets,
// gaps, the cleaner's report, the state view), plus configs, the consumer,
// scripts from the URL and the editor, keyboard use, and screenshots.
// Needs a built dist/ (tests/e2e/run.sh builds it first).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withSite, open, tid, act, fill, screenshot, scriptUrl, offsets, gaps, version } from './support.mjs';

let server;
let browser;

withSite((s, b) => {
  server = s;
  browser = b;
});

const DEMO = 'topic demo partitions=1 cleanup.policy=compact min.cleanable.dirty.ratio=0.01 delete.retention.ms=3600000\n';

async function produce(page, key, value) {
  await fill(page, tid('produce-key'), key);
  await fill(page, tid('produce-value'), value);
  await act(page, tid('produce'));
}

const text = (page, id) => page.textContent(tid(id));

test('produce, tombstone, advance, roll and clean: offsets survive with gaps', async () => {
  const page = await open(browser, scriptUrl(server.url, DEMO));
  assert.match(await text(page, 'status-text'), /Ran 1 line/);

  // Where the key goes, before sending.
  await fill(page, tid('produce-key'), 'k1');
  assert.equal((await text(page, 'explain-partition')).trim(), '0');
  assert.match(await text(page, 'partition-explain'), /murmur2/);

  await produce(page, 'k1', 'v1');
  await produce(page, 'k2', 'v1');
  await produce(page, 'k1', 'v2');
  await produce(page, 'k1', '{\n  "n": 3\n}');
  assert.match(await text(page, 'status-text'), /offset 3/);
  await fill(page, tid('produce-key'), 'k2');
  await act(page, tid('tombstone'));
  assert.deepEqual(await offsets(page, 'demo-0'), [0, 1, 2, 3, 4]);
  assert.match(await page.textContent(`${tid('records-demo-0')} [data-offset="4"]`), /tombstone/);
  assert.match(await page.textContent(`${tid('records-demo-0')} [data-offset="3"]`), /\{"n":3\}/, 'pretty JSON is sent on one line');

  // Nothing is cleanable while everything is in the active segment.
  assert.match(await text(page, 'ratio-demo-0'), /not eligible/);
  assert.match(await page.textContent(`${tid('ratio-demo-0')} ${tid('ratio-reason')}`), /active segment/);

  await act(page, tid('advance-1h'));
  assert.equal((await text(page, 'clock')).trim(), '2024-01-01 01:00:00Z');
  await act(page, tid('roll-demo-0'));
  assert.equal(await page.locator(`${tid('partition-demo-0')} ${tid('segment')}`).count(), 2);
  assert.match(await text(page, 'ratio-demo-0'), /next to clean/);
  assert.match(await page.textContent(`${tid('ratio-demo-0')} ${tid('ratio-reason')}`), /dirty ratio 1\.00 > min\.cleanable\.dirty\.ratio 0\.01/);
  await screenshot(page, 'desktop-before-clean');

  await act(page, tid('run-cleaner'));
  const report = await text(page, 'cleaner-report');
  assert.match(report, /Beginning cleaning of log demo-0/);
  assert.match(report, /size reduction/);
  // Offsets never change: 3 (k1's latest) and 4 (k2's tombstone) survive.
  assert.deepEqual(await offsets(page, 'demo-0'), [3, 4]);
  assert.deepEqual(await gaps(page, 'demo-0'), ['offsets 0–2 removed']);
  assert.match(await page.textContent(`${tid('records-demo-0')} [data-offset="4"]`), /horizon/);
  assert.equal((await text(page, 'mark-first-dirty')).trim(), '5');
  assert.match(await text(page, 'state-unchanged'), /identical/);
  assert.match(await text(page, 'clean-compare'), /offsets 0–2 removed/);
  // The state view: k1's latest value only; the tombstone deleted k2.
  const state = await page.$$eval(tid('state-row'), (rows) => rows.map((r) => [r.dataset.key, r.querySelector('[data-test-id="state-value"]').textContent]));
  assert.deepEqual(state, [['k1', '{"n":3}']]);
  await screenshot(page, 'desktop-after-clean');

  // A consumer fetching a removed offset lands on the next survivor.
  await fill(page, tid('consume-from'), '1');
  await act(page, tid('consume'));
  assert.match(await text(page, 'consume-note'), /offset 1 is no longer in the log.*offset 3/);
  assert.deepEqual(await page.$$eval(tid('consumed-record'), (rs) => rs.map((r) => Number(r.dataset.offset))), [3, 4]);

  // Past the delete horizon a later cleaning removes the tombstone.
  await fill(page, tid('advance-custom'), '2d');
  await act(page, tid('advance-custom-go'));
  await produce(page, 'k3', 'x');
  await act(page, tid('roll-demo-0'));
  await act(page, tid('clean-demo-0'));
  assert.deepEqual(await offsets(page, 'demo-0'), [3, 5]);
  assert.deepEqual(await gaps(page, 'demo-0'), ['offsets 0–2 removed', 'offset 4 removed']);

  // Undo replays the session without the last line.
  await act(page, tid('undo'));
  assert.deepEqual(await offsets(page, 'demo-0'), [3, 4, 5]);
  const script = await page.inputValue(tid('script-text'));
  assert.match(script, /^topic demo partitions=1/);
  assert.match(script, /tombstone demo k2\n/);
  assert.match(script, /roll demo\/0\n$/);

  const kinds = await page.$$eval(tid('timeline-entry'), (rows) => rows.map((r) => r.dataset.kind));
  for (const k of ['produce', 'tombstone', 'roll', 'cleaner', 'clock']) assert.ok(kinds.includes(k), `timeline shows ${k}`);
  assert.deepEqual(page.errors, []);
});

test('a rejected config edit shows Kafka\'s message and changes nothing', async () => {
  const page = await open(browser, scriptUrl(server.url, DEMO));
  const scriptBefore = await page.inputValue(tid('script-text'));
  await fill(page, tid('config-input-segment.bytes'), '-1');
  await act(page, tid('config-set-segment.bytes'));
  assert.equal((await text(page, 'config-message-segment.bytes')).replace(/^\W+Rejected: /, ''), 'Invalid value -1 for configuration segment.bytes: Value must be at least 14 InvalidConfigurationException');
  // Kafka's exception name goes beside the message.
  assert.equal(await page.textContent(`${tid('config-message-segment.bytes')} ${tid('error-name')}`), 'InvalidConfigurationException');
  assert.equal(await page.inputValue(tid('script-text')), scriptBefore);
  // The Kafka 4.1 departure is noted beside the key.
  assert.match(await text(page, 'config-segment.bytes'), /4\.1\+ requires at least 1048576/);

  await fill(page, tid('config-input-segment.bytes'), '2048');
  await act(page, tid('config-set-segment.bytes'));
  assert.match(await text(page, 'config-segment.bytes'), /set on topic/);
  assert.match(await page.inputValue(tid('script-text')), /alter demo segment\.bytes=2048\n$/);

  // A null key on a compacted topic: the broker's own words.
  await page.check(tid('produce-null-key'));
  await act(page, tid('produce'));
  assert.match(await text(page, 'produce-message'), /Compacted topic cannot accept message without key in topic partition demo-0/);

  // Broker cleaner settings have their own place.
  await page.click('#broker-config > summary');
  await fill(page, tid('config-input-log.cleaner.dedupe.buffer.size'), '48');
  await act(page, tid('config-set-log.cleaner.dedupe.buffer.size'));
  assert.match(await text(page, 'max-keys-per-pass'), /Now: 1 key per pass/);
  assert.deepEqual(page.errors, []);
});

test('#script= runs on load; syntax errors name their line and run nothing', async () => {
  const script = 'topic t partitions=2 cleanup.policy=compact segment.bytes=200\nproduce t a:1\nproduce t b:1\nproduce t c:1\nproduce t a:2\n';
  const page = await open(browser, scriptUrl(server.url, script));
  assert.equal(await page.locator(tid('timeline-entry')).count(), 5);
  assert.equal(await page.locator('[data-test-id^="partition-t-"]').count(), 2);

  // A new #script= in the address (same page) replaces the session.
  await page.goto(scriptUrl(server.url, 'topic u\nbogus line\n'));
  await page.waitForFunction(() => /line 2: unknown command 'bogus'/.test(document.querySelector('[data-test-id="status-text"]')?.textContent ?? ''));
  assert.equal(await page.locator(tid('timeline-entry')).count(), 5, 'nothing ran');

  // The editor: a syntax error shows line N and runs nothing.
  await fill(page, tid('script-text'), 'topic x\nproduce x k:v\nadvance soon\n');
  await act(page, tid('run-script'));
  assert.equal((await text(page, 'script-message')).replace(/^\W+Rejected: /, ''), "line 3: 'soon' is not a duration: use an integer with ms, s, m, h or d (e.g. 500ms, 10s, 1h, 7d)");
  assert.equal(await page.locator(tid('timeline-entry')).count(), 5);
  // The caret goes to the offending line.
  assert.equal(await page.evaluate(() => { const t = document.activeElement; return t.value.slice(t.selectionStart, t.selectionEnd); }), 'advance soon');

  await fill(page, tid('script-text'), 'topic x\nproduce x k:v\nadvance 1m\n');
  await act(page, tid('run-script'));
  assert.equal(await page.locator(tid('timeline-entry')).count(), 3);
  assert.equal((await text(page, 'clock')).trim(), '2024-01-01 00:01:00Z');

  // Share puts the session in the address; opening it replays it.
  await act(page, tid('share'));
  const shared = page.url();
  assert.match(shared, /#script=topic%20x%0Aproduce%20x%20k%3Av%0Aadvance%201m/);
  const again = await open(browser, shared);
  assert.equal(await again.inputValue(tid('script-text')), 'topic x\nproduce x k:v\nadvance 1m\n');
  assert.deepEqual([...page.errors, ...again.errors], []);
});

test('built-in scenarios load; a first visit starts with the lessons to choose from', async () => {
  const page = await open(browser, server.url);
  assert.equal(await page.locator(tid('timeline-entry')).count(), 0, 'a first visit runs nothing');
  await page.waitForSelector(tid('start-here'));
  const ids = await page.$$eval('[data-test-id^="load-"]', (bs) => bs.filter((b) => !b.disabled).map((b) => b.dataset.testId.slice(5)));
  assert.ok(ids.length > 0);
  for (const id of ids) {
    await act(page, tid(`load-${id}`));
    assert.ok((await page.locator(tid('timeline-entry')).count()) > 0, `${id} ran`);
  }
  assert.deepEqual(page.errors, []);
});

test('keyboard: shortcuts work, and every control has a label', async () => {
  const page = await open(browser, scriptUrl(server.url, `${DEMO}produce demo a:1\nproduce demo a:2\nroll demo\n`));
  await page.keyboard.press('c');
  await page.waitForFunction(() => document.querySelector('[data-test-id="cleaner-report"]'));
  assert.deepEqual(await offsets(page, 'demo-0'), [1]);
  await page.keyboard.press('u');
  await page.waitForFunction(() => !document.querySelector('[data-test-id="cleaner-report"]'));
  await page.keyboard.press('/');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'produce-key');
  // Typing in a field does not trigger shortcuts.
  const v = await version(page);
  await page.keyboard.type('cu');
  assert.equal(await version(page), v);

  const unlabelled = await page.evaluate(() => {
    const out = [];
    for (const el of document.querySelectorAll('input, select, textarea, button')) {
      const name = el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') ||
        (el.id && document.querySelector(`label[for="${el.id}"]`)?.textContent.trim()) ||
        el.closest('label')?.textContent.trim() || (el.tagName === 'BUTTON' && el.textContent.trim());
      if (!name) out.push(el.outerHTML.slice(0, 120));
    }
    return out;
  });
  assert.deepEqual(unlabelled, []);
  assert.deepEqual(page.errors, []);

  // On a fresh page, Tab first reaches the skip link, which jumps to the log.
  const fresh = await open(browser, scriptUrl(server.url, DEMO));
  await fresh.keyboard.press('Tab');
  assert.equal(await fresh.evaluate(() => document.activeElement?.className), 'skip-link');
  await fresh.keyboard.press('Enter');
  assert.equal(await fresh.evaluate(() => document.activeElement?.id), 'main');
});

test('screenshots on a laptop and a phone', async () => {
  for (const [name, size] of [['desktop', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]]) {
    const page = await open(browser, server.url, size);
    await screenshot(page, `${name}-start`);
    await screenshot(page, `${name}-start-viewport`, { fullPage: false });
    await act(page, tid('run-cleaner'));
    await page.locator('#cleaner').scrollIntoViewIfNeeded();
    await screenshot(page, `${name}-cleaned-viewport`, { fullPage: false });
    // Nothing may stick out sideways.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${name}: page is ${overflow}px wider than the viewport`);
    assert.deepEqual(page.errors, []);
  }
});

test('random clicks and nasty input never kill the page', async () => {
  const page = await open(browser, scriptUrl(server.url, `${DEMO}produce demo a:1\nroll demo\n`));
  await page.click('#broker-config > summary');
  let seed = 12345;
  const rand = (n) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const nasty = ['', '-1', '0', 'abc', '99999999999999999999999', '1e3', 'a:b', 'NULL', '{', '🙂 ünï', '  x  ', 'ts=5', 'compact, delete', '9223372036854775807', '0.5', '10s', '-5m', '%E0%A4%A'];
  for (let step = 0; step < 150; step++) {
    const controls = await page.$$('button:not([disabled]), input:not([disabled]):not([type=checkbox]), textarea');
    if (controls.length === 0) break;
    const el = controls[rand(controls.length)];
    const tag = await el.evaluate((e) => e.tagName + (e.dataset.testId ? `:${e.dataset.testId}` : ''));
    try {
      if (tag.startsWith('BUTTON')) {
        // Keep the session small: the bulk generator is measured elsewhere.
        if (tag.includes('generate') || tag.includes('share') || tag.includes('copy') || tag.includes('load-') || tag.includes('download') || tag.includes('open-script') || tag.includes('forget')) continue;
        await el.click({ timeout: 2000 });
      } else {
        await el.fill(nasty[rand(nasty.length)], { timeout: 2000 });
        if (rand(2) === 0) await el.press('Enter', { timeout: 2000 });
      }
    } catch {
      // An element that went away or is off screen: try another.
    }
  }
  // Still alive and responsive (from now: a click on a timeline line's
  // number looks back, where changes wait for Back to now).
  if (await page.$(tid('back-to-now'))) await act(page, tid('back-to-now'));
  const before = await text(page, 'clock');
  await act(page, tid('advance-1s'));
  assert.notEqual(await text(page, 'clock'), before);
  assert.deepEqual(page.errors, []);
});
