// Looking back through the session in headless Chromium, as a person does:
// a timeline line's number shows the broker as it was after that line (the
// log view, the banner saying what the line did and changed), changes are
// refused with a message while the page shows the past, the scrubber moves
// by keyboard, the browser's Back and Forward move through what was looked
// at, and Back to now returns, with nothing lost. A share link's fragment
// is left alone, and Back onto an entry made while looking back is not
// taken for the link followed anew. Saves screenshots at a laptop and a
// phone size. Needs a built dist/.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withSite, open, tid, act, offsets, scriptUrl, screenshot } from './support.mjs';

let server;
let browser;

withSite((s, b) => {
  server = s;
  browser = b;
});

const SCRIPT = [
  'topic t cleanup.policy=compact segment.bytes=200',
  'produce t a:1',
  'produce t a:2',
  'produce t b:1',
  'roll t',
  'clean',
  'produce t c:1',
].join('\n');

const head = (page) => page.textContent(tid('history-head'));
const status = (page) => page.textContent(tid('status-text'));
const lines = async (page) => (await page.inputValue(tid('script-text'))).trim().split('\n');
const showing = (page, k) =>
  page.waitForFunction((k) => new RegExp(`#${k} of`).test(document.querySelector('[data-test-id="history-head"]')?.textContent ?? ''), k);
const atNow = (page) => page.waitForFunction(() => !document.querySelector('[data-test-id="history-bar"]'));
const look = (page, k) => page.click(`${tid('timeline-look')}:text-is("#${k}")`);

for (const [name, size] of [
  ['laptop', { width: 1366, height: 900 }],
  ['phone', { width: 390, height: 844 }],
]) {
  test(`looking back at a line, by timeline, scrubber and the browser's Back and Forward, then back to now (${name})`, async () => {
    const page = await open(browser, scriptUrl(server.url, SCRIPT), size);
    await page.waitForFunction(() => /Ran 7 lines/.test(document.querySelector('[data-test-id="status-text"]')?.textContent ?? ''));
    const link = await page.evaluate(() => location.href);
    assert.deepEqual(await offsets(page, 't-0'), [1, 2, 3], 'now: a:1 cleaned away, c:1 appended');
    assert.equal(await page.locator(tid('history-bar')).count(), 0);

    // The timeline's #3: the broker after `produce t a:2`.
    await look(page, 3);
    await showing(page, 3);
    assert.match(await head(page), /Viewing the past · #3 of 7 · .* · produce t a:2/);
    assert.match(await page.textContent(tid('history-did')), /offset 1/);
    assert.match(await page.textContent(tid('history-changes')), /t: 1 → 2 records/);
    assert.deepEqual(await offsets(page, 't-0'), [0, 1]);
    assert.equal(await page.getAttribute(tid('app'), 'data-past'), 'true');
    assert.equal(await page.evaluate(() => location.href), link, 'the address (the link) stays');
    assert.equal(await page.getAttribute(`${tid('timeline-entry')}[aria-current="step"] ${tid('timeline-look')}`, 'aria-label'), '#3: show the broker as it was after this line');
    if (name === 'laptop') {
      await page.evaluate(() => window.scrollTo(0, 0));
      await screenshot(page, 'look-back-laptop', { fullPage: false });
    }

    // A change is refused with a message; nothing after #3 is lost.
    await act(page, tid('run-cleaner'));
    assert.match(await status(page), /You are looking back at #3 of 7.*Back to now first; nothing after #3 is lost/);
    assert.equal((await lines(page)).length, 7);
    assert.deepEqual(await offsets(page, 't-0'), [0, 1]);

    // The scrubber, by keyboard: three steps later is the cleaning (#6).
    const scrubber = tid('history-scrubber');
    assert.equal(await page.getAttribute(scrubber, 'aria-valuetext'), '#3 of 7: produce t a:2');
    assert.equal(await page.textContent(`label[for="history-scrubber"]`), 'Look back');
    await page.focus(scrubber);
    for (let i = 0; i < 3; i += 1) await page.keyboard.press('ArrowRight');
    await showing(page, 6);
    assert.match(await page.textContent(tid('history-changes')), /t: 3 → 2 records/);
    assert.deepEqual(await offsets(page, 't-0'), [1, 2]);
    if (name === 'phone') {
      // Scrolled to the log: the banner sticks to the top.
      await page.locator(tid('partition-t-0')).scrollIntoViewIfNeeded();
      await screenshot(page, 'look-back-phone', { fullPage: false });
    }

    // The browser's Back and Forward move through what was looked at.
    await page.goBack();
    await showing(page, 5);
    assert.deepEqual(await offsets(page, 't-0'), [0, 1, 2]);
    await page.goBack();
    await showing(page, 4);
    await page.goForward();
    await showing(page, 5);
    await page.goForward();
    await showing(page, 6);

    // Back to now: the present, with every line.
    await page.click(tid('back-to-now'));
    await atNow(page);
    assert.deepEqual(await offsets(page, 't-0'), [1, 2, 3]);
    assert.equal(await page.getAttribute(tid('app'), 'data-past'), null);
    assert.equal((await lines(page)).length, 7);
    // Back returns to the past once more, Forward to now.
    await page.goBack();
    await showing(page, 6);
    await page.goForward();
    await atNow(page);

    // A change now: the link leaves the address (as before); Back onto an
    // entry made while looking back shows the past of this session, not
    // the link loaded anew.
    await act(page, tid('run-cleaner'));
    assert.equal((await lines(page)).length, 8);
    await page.waitForFunction(() => !location.hash);
    await page.goBack();
    await showing(page, 6);
    assert.match(await head(page), /#6 of 8/);
    assert.equal(await page.evaluate(() => location.hash), '', 'no stale link in the address');
    await page.goBack();
    await showing(page, 5);
    assert.equal((await lines(page)).length, 8, 'the session is kept');
    await page.click(tid('back-to-now'));
    await atNow(page);
    assert.equal((await lines(page)).length, 8);
    assert.deepEqual(page.errors ?? [], []);
    await page.context().close();
  });
}

test('inside a run line: each of its cleanings shows the broker right after it, and the whole line again', async () => {
  const script = [
    'topic t cleanup.policy=compact segment.bytes=400 min.cleanable.dirty.ratio=0.1',
    'load t rate=10/s keys=5 for=1m seed=3',
    'run 2m',
    'produce t a:1',
  ].join('\n');
  const page = await open(browser, scriptUrl(server.url, script), { width: 1366, height: 900 });
  const records = async () => (await page.textContent(tid('stats-t-0'))).trim();
  await look(page, 3);
  await showing(page, 3);
  const whole = await records();
  const cleanings = page.locator(tid('history-cleaning'));
  assert.ok((await cleanings.count()) > 1, 'the run cleaned more than once');
  // The first cleaning: the broker at that instant, with fewer records appended than by the end.
  const first = (await cleanings.first().textContent()).trim();
  await cleanings.first().click();
  await page.waitForSelector(tid('history-within'));
  const then = await records();
  assert.notEqual(then, whole);
  assert.match(await page.textContent(tid('history-within')), /Inside this line, at 2024-01-01 00:00:\d\d/);
  assert.equal(await cleanings.first().getAttribute('aria-pressed'), 'true');
  assert.match(first, /cleaned t-0/);
  // The whole line again.
  await page.click(tid('history-whole-line'));
  await page.waitForFunction(() => !document.querySelector('[data-test-id="history-within"]'));
  assert.equal(await records(), whole);
  await page.click(tid('back-to-now'));
  await atNow(page);
  assert.deepEqual(page.errors ?? [], []);
});
