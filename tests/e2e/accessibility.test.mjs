// WCAG 2.2 AA with axe-core (npm, pinned in package.json) on the page as a
// person uses it: a first visit, a scenario, a lesson step, the record
// inspector, an embed stepping a lesson and an embed with every panel, at
// laptop and phone widths. No serious or critical violation may remain;
// lesser ones are printed, so that they are seen.
// Needs a built dist/ (tests/e2e/run.sh builds it first).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withSite, open, tid, act, axeViolations as audit } from './support.mjs';

let server;
let browser;

withSite((s, b) => {
  server = s;
  browser = b;
});

function check(where, violations) {
  for (const v of violations) console.log(`# ${where}: ${v.text}`);
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad.map((v) => v.text), [], `${where}: serious or critical accessibility violations`);
}

const SCRIPT = 'topic t partitions=2 cleanup.policy=compact min.cleanable.dirty.ratio=0.01\nproduce t a:{"name":"Ann"}\nproduce t a:2\ntombstone t b\nroll t\nclean\nconsume t/0\n';

for (const [name, size] of [['laptop', { width: 1366, height: 900 }], ['phone', { width: 390, height: 844 }]]) {
  test(`the full page has no serious accessibility violation (${name})`, async () => {
    const page = await open(browser, server.url, size);
    check(`${name} first visit`, await audit(page));
    await page.goto(`${server.url}#script=${encodeURIComponent(SCRIPT)}`);
    await page.waitForSelector(tid('records-t-0'));
    await page.click(`${tid('records-t-0')} [data-offset="1"]`);
    await page.waitForSelector(tid('inspector'));
    check(`${name} scenario with the inspector open`, await audit(page));
    await page.goto(server.url);
    await page.waitForSelector(tid('app'));
    await act(page, tid('lesson-log-compaction-basics'));
    await act(page, tid('lesson-next'));
    await act(page, tid('lesson-next'));
    check(`${name} lesson`, await audit(page));
    assert.deepEqual(page.errors, []);
  });
}

test('embeds have no serious accessibility violation, and a main landmark and a heading', async () => {
  const all = 'clock,topics,producer,log,cleaner,consumer,state,chart,script,timeline,config';
  for (const url of [`embed.html?step#script=${encodeURIComponent(`# A lesson.\n${SCRIPT}`)}`, `embed.html?panels=${all}#script=${encodeURIComponent(SCRIPT)}`]) {
    const page = await open(browser, `${server.url}${url}`, { width: 720, height: 700 });
    const violations = await audit(page);
    check(url.slice(0, 40), violations);
    assert.deepEqual(violations.filter((v) => /landmark-one-main|page-has-heading-one/.test(v.text)).map((v) => v.text), []);
    assert.deepEqual(page.errors, []);
  }
});
