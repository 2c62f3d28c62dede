// Transactions in the page, as a person uses them: make a transactional
// producer from the producer panel, begin, send records with it, see the
// last stable offset (LSO) on the log with the open transaction that holds
// it, the cleaner's reason naming it, a read_committed fetch that stops
// there; abort, see the ABORT marker and the aborted records marked; clean,
// and see the aborted data gone. Screenshots at laptop and phone widths, and
// axe (WCAG 2.2 AA) on the page with a transaction open and on the inspector
// of an aborted record.
// Needs a built dist/ (tests/e2e/run.sh builds it first).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withSite, open, tid, act, fill, offsets, gaps, screenshot, scriptUrl, axeViolations } from './support.mjs';

let server;
let browser;

withSite((s, b) => {
  server = s;
  browser = b;
});

/** Serious or critical axe violations of the page as it is now (each printed). */
async function serious(page) {
  const violations = await axeViolations(page);
  for (const v of violations) console.log(`# ${v.text}`);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.text);
}

// One committed record, already cleaned: the checkpoint is at 1.
const START = 'topic orders cleanup.policy=compact min.cleanable.dirty.ratio=0.01\nproduce orders a:0\nroll orders\nclean orders/0\n';
const LOG = tid('records-orders-0');

async function produce(page, key, value) {
  await fill(page, tid('produce-key'), key);
  await fill(page, tid('produce-value'), value);
  await act(page, tid('produce'));
}

for (const [name, size] of [['laptop', { width: 1366, height: 900 }], ['phone', { width: 390, height: 844 }]]) {
  test(`a transaction from the page: begin, LSO, read_committed, abort, clean (${name})`, async () => {
    const page = await open(browser, scriptUrl(server.url, START), size);
    await page.waitForSelector(LOG);
    assert.deepEqual(await offsets(page, 'orders-0'), [0]);

    // A transactional producer from the form; it becomes the sender.
    await page.click(`.clients > summary`);
    await fill(page, tid('producer-name'), 'tx');
    await fill(page, tid('producer-tid'), 'orders-tx');
    await act(page, tid('producer-create'));
    const client = page.locator(`${tid('producer-client')}[data-name="tx"]`);
    assert.match(await client.textContent(), /transactional\.id=orders-tx · producer id 0 · epoch 0/);
    assert.equal(await client.locator(tid('producer-state')).textContent(), 'READY');
    assert.equal(await page.inputValue(tid('produce-sender')), 'tx');
    assert.equal(await client.locator(tid('txn-commit')).isDisabled(), true);

    await act(page, `${tid('producer-client')}[data-name="tx"] ${tid('txn-begin')}`);
    await produce(page, 'a', '1');
    await produce(page, 'b', '2');
    assert.equal(await client.locator(tid('producer-state')).textContent(), 'IN_TRANSACTION since offset 1 on orders-0');
    // The script holds every action as a line.
    const lines = await page.$$eval(tid('timeline-entry'), (els) => els.map((e) => e.textContent));
    for (const l of ['producer tx transactional.id=orders-tx', 'begin tx', 'produce orders producer=tx a:1']) {
      assert.ok(lines.some((t) => t.includes(l)), `${l} in ${lines.join(' | ')}`);
    }

    // The records carry the producer's fields; the LSO marker says why it is there.
    assert.deepEqual(await offsets(page, 'orders-0'), [0, 1, 2]);
    const rec1 = page.locator(`${LOG} [data-offset="1"]`);
    assert.match(await rec1.getAttribute('title'), /producer id 0 · epoch 0 · base sequence 0 · transactional, open transaction/);
    assert.equal(await rec1.locator(tid('txn-badge')).textContent(), 'txn open');
    const lso = page.locator(`${LOG} ${tid('marker-lso')}`);
    assert.match(await lso.textContent(), /last stable offset \(LSO\)\s*LSO\s*1\s*transaction of producer 0 open since offset 1/);
    assert.match(await page.textContent(tid('mark-lso')), /1 \(transaction of producer 0 open since offset 1\)/);

    // Rolled, the transaction's records are still not cleanable: the cleaner says why.
    await act(page, tid('roll-orders-0'));
    assert.match(await page.textContent(tid('ratio-reason')), /transaction of producer 0 is open since offset 1/);
    if (name === 'laptop') await screenshot(page, 'transactions-open-laptop');
    else await screenshot(page, 'transactions-open-phone');
    assert.deepEqual(await serious(page), [], 'a transaction open');

    // read_committed stops at the LSO: only offset 0.
    await page.check(tid('isolation-committed'));
    await act(page, tid('consume'));
    assert.deepEqual(await page.$$eval(tid('consumed-record'), (els) => els.map((e) => Number(e.dataset.offset))), [0]);
    assert.match(await page.textContent('.consume-result'), /consume orders\/0 max=20 isolation=read_committed/);
    await page.check(tid('isolation-uncommitted'));
    await act(page, tid('consume'));
    assert.deepEqual(await page.$$eval(tid('consumed-record'), (els) => els.map((e) => Number(e.dataset.offset))), [0, 1, 2]);

    // Abort: an ABORT marker after the records, which are marked aborted; the LSO marker goes.
    await act(page, `${tid('producer-client')}[data-name="tx"] ${tid('txn-abort')}`);
    assert.equal(await client.locator(tid('producer-state')).textContent(), 'READY');
    const marker = page.locator(`${LOG} ${tid('control-marker')}`);
    assert.equal(await marker.count(), 1);
    assert.equal(await marker.getAttribute('data-type'), 'ABORT');
    assert.equal(await marker.getAttribute('data-offset'), '3');
    assert.match(await marker.textContent(), /ABORT marker\s*producer 0\s*3/);
    assert.equal(await page.locator(`${LOG} ${tid('marker-lso')}`).count(), 0);
    assert.equal(await page.locator(tid('mark-lso')).count(), 0);
    for (const o of [1, 2]) {
      const r = page.locator(`${LOG} [data-offset="${o}"]`);
      assert.match(await r.getAttribute('class'), /rec-aborted/);
      assert.equal(await r.locator(tid('txn-badge')).textContent(), '✗ aborted');
    }
    assert.doesNotMatch(await page.locator(`${LOG} [data-offset="0"]`).getAttribute('class'), /rec-aborted/);
    // The inspector says what an aborted record is.
    await page.click(`${LOG} [data-offset="2"]`);
    await page.waitForSelector(tid('inspector'));
    assert.match(await page.textContent(tid('inspector-producer')), /producer id 0 · epoch 0 · base sequence 1 · transactional, aborted: an ABORT marker ended its transaction/);
    if (name === 'laptop') await screenshot(page, 'transactions-aborted-laptop');
    else await screenshot(page, 'transactions-aborted-phone');
    assert.deepEqual(await serious(page), [], 'aborted records and the inspector');
    await page.click(tid('inspector-close'));

    // Clean: the aborted data goes (offsets 1-2 become a gap); the marker,
    // in the active segment, stays.
    await act(page, tid('clean-orders-0'));
    assert.deepEqual(await offsets(page, 'orders-0'), [0]);
    assert.deepEqual(await gaps(page, 'orders-0'), ['offsets 1–2 removed']);
    assert.equal(await page.locator(`${LOG} ${tid('control-marker')}`).count(), 1);
    assert.deepEqual(page.errors, []);
  });
}

test('the Transactions lessons are offered and step', async () => {
  const page = await open(browser, server.url, { width: 1366, height: 900 });
  await page.waitForSelector(tid('start-here'));
  assert.ok((await page.textContent(tid('start-here'))).includes('Transactions'));
  await act(page, tid('start-hanging-transaction'));
  await page.waitForSelector(tid('lesson'));
  // Step until the first clean: the open transaction holds the LSO at 0.
  for (let i = 0; i < 40 && !(await page.locator(`${tid('records-balances-0')} ${tid('marker-lso')}`).count()); i++) {
    await act(page, tid('lesson-next'));
  }
  assert.match(await page.textContent(`${tid('records-balances-0')} ${tid('marker-lso')}`), /transaction of producer 0 open since offset 0/);
  assert.deepEqual(page.errors, []);
});
