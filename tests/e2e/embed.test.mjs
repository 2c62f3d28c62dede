// Embedding, sharing, saving and the JavaScript API, in headless Chromium:
// a host page with an iframe of embed.html (kcp:ready, kcp:resize, its
// messages), the loader on the example tutorial page, share links in both
// forms, a reload keeping the session, scenario files in and out, the JS API
// example, and the single-file build opened from a file:// URL.
// Needs a built dist/ (tests/e2e/run.sh builds it first).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { withSite, open, openPlain, tid, act, fill, screenshot, scriptUrl, offsets, gaps, version, DIST } from './support.mjs';

let server;
let browser;

withSite((s, b) => {
  server = s;
  browser = b;
});

const SCRIPT = 'topic t cleanup.policy=compact min.cleanable.dirty.ratio=0.01\nproduce t a:1\nproduce t b:1\nproduce t a:2\nroll t\nclean\n';

/** A host page served at /host.html (only for this page) with `body`. */
async function hostPage(body, size) {
  const page = await openPlain(browser, 'about:blank', size);
  await page.route(`${server.url}host.html`, (route) => route.fulfill({ contentType: 'text/html', body: `<!doctype html><html><body style="margin:0">${body}</body></html>` }));
  await page.goto(`${server.url}host.html`);
  return page;
}

const HOST = (src) => `
  <iframe id="f" title="playground" src="${src}" style="width:900px;height:200px;border:0"></iframe>
  <iframe id="other" title="another frame" srcdoc="<p>another frame</p>" style="width:10px;height:10px;border:0"></iframe>
  <script>
    window.events = [];
    const f = document.getElementById('f');
    addEventListener('message', (e) => {
      if (e.source !== f.contentWindow) return;
      events.push(e.data);
      if (e.data && e.data.type === 'kcp:resize') f.style.height = e.data.height + 'px';
    });
    window.send = (m) => f.contentWindow.postMessage(m, '*');
  </script>`;

const waitEvent = (page, pred) => page.waitForFunction(`window.events.some(${pred})`);

test('an iframe host page gets kcp:ready and kcp:resize, and drives the embed with messages', async () => {
  const page = await hostPage(HOST(`embed.html?panels=log,cleaner,state#script=${encodeURIComponent(SCRIPT)}`));
  await waitEvent(page, "(e) => e.type === 'kcp:ready'");
  await waitEvent(page, "(e) => e.type === 'kcp:resize' && e.height > 200");
  const ready = await page.evaluate(() => window.events.find((e) => e.type === 'kcp:ready'));
  assert.equal(ready.lines, 6);
  const frame = page.frame({ url: /embed\.html/ });
  assert.deepEqual(await offsets(frame, 't-0'), [1, 2]);
  // The iframe follows the reported height: no inner scrollbar.
  const [frameHeight, contentHeight] = await Promise.all([
    page.evaluate(() => document.getElementById('f').getBoundingClientRect().height),
    frame.evaluate(() => document.querySelector('[data-test-id="app"]').offsetHeight),
  ]);
  assert.ok(Math.abs(frameHeight - contentHeight) <= 1, `iframe ${frameHeight}px, content ${contentHeight}px`);
  // Only the chosen panels, no site chrome.
  assert.equal(await frame.locator('#producer, .sidebar, .footer, .topbar').count(), 0);
  assert.equal(await frame.locator('#log-view').count(), 1);
  await screenshot(page, 'embed-host');

  // Junk is ignored: wrong shapes, unknown types, and a message from
  // another window than the parent.
  await page.evaluate(() => {
    for (const m of [null, 42, 'kcp:reset', [], { type: 'kcp:load' }, { type: 'kcp:load', script: 42 }, { type: 'kcp:nope' }, { type: 7 }]) window.send(m);
    document.getElementById('other').contentWindow.eval("parent.frames[0].postMessage({type: 'kcp:load', script: 'topic evil'}, '*')");
  });
  await page.waitForTimeout(300);
  assert.equal(await frame.locator('[data-test-id="partition-evil-0"]').count(), 0);
  assert.deepEqual(await page.evaluate(() => window.events.filter((e) => e.type === 'kcp:state')), []);

  // Load a script for stepping, step twice, then reset.
  await page.evaluate(() => window.send({ type: 'kcp:load', script: 'topic s cleanup.policy=compact\nproduce s k:1\nproduce s k:2\n', step: true }));
  await waitEvent(page, "(e) => e.type === 'kcp:state' && e.request === 'kcp:load'");
  assert.match(await frame.textContent(tid('next-step')), /Next step \(0\/3\)/);
  await page.evaluate(() => { window.send({ type: 'kcp:step' }); window.send({ type: 'kcp:step' }); });
  await waitEvent(page, "(e) => e.type === 'kcp:state' && e.step === 2");
  await frame.waitForFunction(() => document.querySelectorAll('[data-test-id="records-s-0"] [data-test-id="record"]').length === 1);
  assert.match(await frame.textContent(tid('status-text')), /Step 2 of 3: produce s k:1/);
  await page.evaluate(() => window.send({ type: 'kcp:reset' }));
  await waitEvent(page, "(e) => e.type === 'kcp:state' && e.request === 'kcp:reset' && e.step === 0");
  // The embed's own button steps too, and tells the host.
  await frame.click(tid('next-step'));
  await waitEvent(page, "(e) => e.type === 'kcp:state' && !e.request && e.step === 1");
  // A plain load runs the whole script.
  await page.evaluate(() => window.send({ type: 'kcp:load', script: 'topic p\nproduce p x:1\nproduce p y:2\n' }));
  await frame.waitForFunction(() => document.querySelectorAll('[data-test-id="records-p-0"] [data-test-id="record"]').length === 2);
  assert.deepEqual(page.errors, []);
});

test('embed options: read-only hides and refuses changes; a bad link shows a message', async () => {
  const page = await open(browser, `${server.url}embed.html?readonly&panels=log,cleaner,script&theme=dark#script=${encodeURIComponent(SCRIPT)}`, { width: 720, height: 700 });
  assert.equal(await page.locator(tid('run-cleaner')).count(), 0);
  assert.equal(await page.isVisible(tid('roll-t-0')), false);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  assert.deepEqual(await offsets(page, 't-0'), [1, 2]);
  // Read-only keeps the before/after view of the cleaning.
  assert.equal(await page.isVisible(tid('clean-compare')), true);
  await screenshot(page, 'embed-readonly-dark');
  // Running the script editor is a whole script: allowed; a click is not.
  await page.keyboard.press('c');
  assert.deepEqual(await offsets(page, 't-0'), [1, 2]);

  const bad = await open(browser, `${server.url}embed.html#z=v1.!!!!`);
  assert.match(await bad.textContent(tid('status-text')), /not valid base64url/);
  assert.deepEqual([...page.errors, ...bad.errors], []);
});

test('the embed on a phone: every panel fits, every control is labelled and reachable', async () => {
  const all = 'clock,topics,producer,log,cleaner,consumer,state,chart,script,timeline,config';
  const page = await open(browser, `${server.url}embed.html?panels=${all}#script=${encodeURIComponent(SCRIPT)}`, { width: 390, height: 800 });
  for (const id of ['topics', 'produce', 'log-view', 'cleaner', 'consumer', 'state', 'chart', 'script', 'timeline', 'topic-config']) {
    assert.equal(await page.locator(`#${id}`).count(), 1, `panel #${id}`);
  }
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `embed is ${overflow}px wider than a phone`);
  const unlabelled = await page.evaluate(() => {
    const out = [];
    for (const el of document.querySelectorAll('input, select, textarea, button, a[href]')) {
      const name = el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') ||
        (el.id && document.querySelector(`label[for="${el.id}"]`)?.textContent.trim()) ||
        el.closest('label')?.textContent.trim() || ((el.tagName === 'BUTTON' || el.tagName === 'A') && el.textContent.trim());
      if (!name) out.push(el.outerHTML.slice(0, 120));
    }
    return out;
  });
  assert.deepEqual(unlabelled, []);
  // Tab reaches the embed's own actions first.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testId), 'run-cleaner');
  const v = await version(page);
  await page.keyboard.press('Enter');
  await page.waitForFunction((v) => document.querySelector('[data-test-id="app"]').dataset.version !== v, v);
  assert.match(await page.inputValue(tid('script-text')), /\nclean\nclean\n$/);
  await screenshot(page, 'embed-phone', { fullPage: false });
  assert.deepEqual(page.errors, []);
});

test('the tutorial page: the loader turns inline scenarios into working, sized embeds', async () => {
  const page = await openPlain(browser, `${server.url}tutorial.html`, { width: 1100, height: 900 });
  const boxes = page.locator('.kafka-playground');
  assert.equal(await boxes.count(), 3);
  // The first is in view: it loads and reports ready; the click-to-load one waits.
  await page.waitForSelector('#pg-keys[data-kcp-state="ready"]');
  assert.equal(await page.locator('#pg-tombstones iframe').count(), 0);
  assert.match(await page.textContent('#pg-tombstones .kcp-placeholder pre'), /tombstone users u2/);
  const keys = page.frame({ url: /embed\.html\?panels=producer%2Clog/ });
  assert.deepEqual(await offsets(keys, 'orders-0'), [0, 1, 2, 3, 4]);
  assert.deepEqual(await offsets(keys, 'orders-2'), [0]);
  // Sized to its content.
  await page.waitForFunction(() => {
    const f = document.querySelector('#pg-keys iframe');
    const inner = f.contentDocument?.querySelector('[data-test-id="app"]');
    return inner && Math.abs(f.getBoundingClientRect().height - inner.offsetHeight) <= 1;
  });
  await screenshot(page, 'tutorial-top', { fullPage: false });

  // The second (a <script type="text/plain"> child) loads when scrolled to.
  await page.locator('#pg-gaps').scrollIntoViewIfNeeded();
  await page.waitForSelector('#pg-gaps[data-kcp-state="ready"]');
  const gapsFrame = page.frame({ url: /embed\.html\?panels=log%2Ccleaner%2Cconsumer/ });
  assert.deepEqual(await offsets(gapsFrame, 'prices-0'), [3, 4, 5]);
  assert.deepEqual(await gaps(gapsFrame, 'prices-0'), ['offsets 0–2 removed']);
  assert.match(await gapsFrame.textContent(tid('consume-note')), /offset 1 is no longer in the log/);

  // The third loads on click, and the page's own buttons step through it.
  await page.locator('#pg-tombstones').scrollIntoViewIfNeeded();
  await page.click('#pg-tombstones .kcp-load');
  await page.waitForSelector('#pg-tombstones[data-kcp-state="ready"]');
  await page.waitForFunction(() => /Step 0 of 5/.test(document.getElementById('progress').textContent));
  const tomb = page.frame({ url: /embed\.html\?panels=clock%2Clog/ });
  for (let i = 1; i <= 3; i++) {
    await page.click(tid('tutorial-next'));
    await page.waitForFunction((n) => document.getElementById('progress').textContent === `Step ${n} of 5`, i);
  }
  // Each step shows the author's words.
  assert.match(await tomb.textContent(tid('lesson-narration')), /The first cleaning keeps the tombstone.*Watch for: u2's value goes/s);
  // After the first cleaning the tombstone is kept, with its horizon.
  await tomb.waitForFunction(() => document.querySelector('[data-test-id="records-users-0"] [data-offset="2"]'));
  assert.deepEqual(await offsets(tomb, 'users-0'), [0, 2]);
  assert.match(await tomb.textContent(`${tid('records-users-0')} [data-offset="2"]`), /horizon/);
  await screenshot(page, 'tutorial-stepping', { fullPage: false });
  for (let i = 4; i <= 5; i++) await page.click(tid('tutorial-next'));
  await page.waitForFunction(() => document.getElementById('progress').textContent === 'Step 5 of 5');
  assert.equal(await page.isDisabled(tid('tutorial-next')), true);
  await tomb.waitForFunction(() => !document.querySelector('[data-test-id="records-users-0"] [data-offset="2"]'));
  assert.deepEqual(await offsets(tomb, 'users-0'), [0, 3]);
  await page.click(tid('tutorial-restart'));
  await page.waitForFunction(() => document.getElementById('progress').textContent === 'Step 0 of 5');
  await screenshot(page, 'tutorial-full');
  assert.deepEqual(page.errors, []);
});

test('share links round-trip in both forms; malformed ones are refused with a message', async () => {
  const page = await open(browser, scriptUrl(server.url, SCRIPT));
  // Short: the readable #script= form.
  await act(page, tid('share'));
  assert.match(page.url(), /#script=topic%20t%20cleanup\.policy%3Dcompact/);
  const short = await open(browser, page.url());
  assert.equal(await short.inputValue(tid('script-text')), SCRIPT);

  // Long: the compressed #z=v1. form.
  const long = `topic big cleanup.policy=compact\n${Array.from({ length: 120 }, (_, i) => `produce big key-${i % 9}:{"n": ${i}, "note": "an update of key ${i % 9}"}\n`).join('')}`;
  await fill(page, tid('script-text'), long);
  await act(page, tid('run-script'));
  await act(page, tid('share'));
  const url = page.url();
  assert.match(url, /#z=v1\.[A-Za-z0-9_-]+$/);
  assert.ok(url.length < long.length / 2, `compressed: ${url.length} vs ${long.length}`);
  assert.match(await page.textContent(tid('status-text')), /compressed/);
  const again = await open(browser, url);
  assert.equal(await again.inputValue(tid('script-text')), long);
  assert.equal(await again.locator(tid('timeline-entry')).count(), 121);

  // Malformed, oversized and hostile links: a clear message, nothing run, no markup injected.
  for (const [fragment, message] of [
    ['z=v1.!!!!', /not valid base64url/],
    ['z=v1.AAAA', /does not decompress/],
    ['z=v9.AAAA', /another version/],
    ['script=%E0%A4%A', /bad escape|not UTF-8/],
    [`script=${'a'.repeat(600 * 1024)}`, /too long/],
  ]) {
    const bad = await open(browser, `${server.url}#${fragment}`);
    assert.match(await bad.textContent(tid('status-text')), message, fragment.slice(0, 20));
    assert.deepEqual(bad.errors, []);
    await bad.context().close();
  }
  const hostile = await open(browser, scriptUrl(server.url, '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>'));
  assert.match(await hostile.textContent(tid('status-text')), /line 1: unknown command/);
  assert.equal(await hostile.evaluate(() => window.pwned), undefined);
  assert.equal(await hostile.locator('img[src=x]').count(), 0);
  assert.deepEqual([...page.errors, ...short.errors, ...again.errors, ...hostile.errors], []);
});

test('the session survives a reload; a link wins over it; it can be forgotten', async () => {
  const page = await open(browser, server.url);
  await fill(page, tid('script-text'), 'topic kept cleanup.policy=compact\nproduce kept a:1\n');
  await act(page, tid('run-script'));
  await page.reload();
  await page.waitForSelector(tid('app'));
  assert.equal(await page.inputValue(tid('script-text')), 'topic kept cleanup.policy=compact\nproduce kept a:1\n');
  assert.match(await page.textContent(tid('status-text')), /Restored your session/);

  // A link in the address wins over the saved session...
  await page.goto(scriptUrl(server.url, 'topic linked\n'));
  await page.reload();
  await page.waitForSelector(tid('app'));
  assert.equal(await page.inputValue(tid('script-text')), 'topic linked\n');
  // ...until the session changes: then the link leaves the address and a reload keeps the change.
  await act(page, tid('advance-1h'));
  assert.doesNotMatch(page.url(), /#/);
  await page.reload();
  await page.waitForSelector(tid('app'));
  assert.equal(await page.inputValue(tid('script-text')), 'topic linked\nadvance 1h\n');

  await act(page, tid('forget-session'));
  assert.match(await page.textContent(tid('status-text')), /Forgot the saved session/);
  await page.reload();
  await page.waitForSelector(tid('app'));
  // Nothing restored: a first visit again, with the lessons to choose from.
  await page.waitForSelector(tid('start-here'));
  assert.equal(await page.inputValue(tid('script-text')), '');
  assert.equal(await page.evaluate(() => localStorage.getItem('kcp.session.v1')), null);
  assert.deepEqual(page.errors, []);
});

test('a scenario downloads as a file and loads from one', async () => {
  const page = await openPlain(browser, scriptUrl(server.url, SCRIPT), { acceptDownloads: true });
  await page.waitForSelector(tid('app'));
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(tid('download-script'))]);
  assert.equal(download.suggestedFilename(), 'kafka-scenario.txt');
  assert.equal(await readFile(await download.path(), 'utf8'), SCRIPT);

  await page.setInputFiles(tid('open-script-file'), { name: 'mine.txt', mimeType: 'text/plain', buffer: Buffer.from('topic fromfile\nproduce fromfile k:v\n') });
  await page.waitForFunction(() => document.querySelector('[data-test-id="script-text"]').value === 'topic fromfile\nproduce fromfile k:v\n');
  // A file with a syntax error lands in the editor, runs nothing.
  await page.setInputFiles(tid('open-script-file'), { name: 'bad.txt', mimeType: 'text/plain', buffer: Buffer.from('topic x\nfrobnicate\n') });
  await page.waitForFunction(() => /bad\.txt: line 2/.test(document.querySelector('[data-test-id="script-message"]')?.textContent ?? ''));
  assert.equal(await page.locator(tid('timeline-entry')).count(), 2);
  // Too big: refused before reading.
  await page.setInputFiles(tid('open-script-file'), { name: 'huge.txt', mimeType: 'text/plain', buffer: Buffer.alloc(300 * 1024, 'a') });
  await page.waitForFunction(() => /at most/.test(document.querySelector('[data-test-id="script-message"]')?.textContent ?? ''));
  assert.deepEqual(page.errors, []);
});

test('a topic config\'s Default button removes the override (unset)', async () => {
  const page = await open(browser, scriptUrl(server.url, 'topic t cleanup.policy=compact segment.bytes=2048\n'));
  await act(page, tid('config-default-segment.bytes'));
  assert.match(await page.inputValue(tid('script-text')), /\nunset t segment\.bytes\n$/);
  assert.equal(await page.inputValue(tid('config-input-segment.bytes')), '1073741824');
  assert.deepEqual(page.errors, []);
});

test('the JavaScript API example runs in the browser', async () => {
  const page = await openPlain(browser, `${server.url}api-example.html`);
  await page.waitForSelector('body[data-done]');
  assert.equal(await page.getAttribute('body', 'data-done'), 'true', await page.textContent(tid('api-output')));
  const out = await page.textContent(tid('api-output'));
  assert.match(out, /produce K1:V3 -> offset 4/);
  assert.match(out, /rejected: Compacted topic cannot accept message without key in topic partition t-0 \(InvalidRecordException\)/);
  assert.match(out, /wrong type: TypeError: produce: key must be a string, null or undefined, got a number/);
  assert.match(out, /Beginning cleaning of log t-0/);
  assert.match(out, /state: \{"K1":"V3","K3":"V1"\}/);
  assert.match(out, /share link: #script=topic%20t/);
  const rows = await page.$$eval('#records tbody tr', (trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
  assert.deepEqual(rows.map((r) => r[0]), ['3', '4', '5']);
  // The code is editable: a change runs as written; a mistake is shown, not thrown.
  await page.fill(tid('api-code'), (await page.inputValue(tid('api-code'))).replace('["K3", "V1"]', '["K9", "V7"]'));
  await page.click(tid('api-run'));
  await page.waitForFunction(() => /state: \{"K1":"V3","K9":"V7"\}/.test(document.querySelector('[data-test-id="api-output"]').textContent));
  await page.fill(tid('api-code'), 'print("before"); undefinedThing();');
  await page.click(tid('api-run'));
  await page.waitForFunction(() => /Error: undefinedThing is not defined/.test(document.querySelector('[data-test-id="api-output"]').textContent));
  await page.click(tid('api-reset'));
  await page.waitForFunction(() => /state: \{"K1":"V3","K3":"V1"\}/.test(document.querySelector('[data-test-id="api-output"]').textContent));
  assert.deepEqual(page.errors, []);
});

test('the single-file build works opened from a file:// URL', async () => {
  const file = pathToFileURL(join(DIST, 'playground-standalone.html')).href;
  const html = await readFile(join(DIST, 'playground-standalone.html'), 'utf8');
  assert.doesNotMatch(html, /<link rel="stylesheet"|<script[^>]+src=|modulepreload/);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  const requests = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(`${file}#script=${encodeURIComponent(SCRIPT)}`);
  await page.waitForSelector(tid('app'));
  assert.deepEqual(await offsets(page, 't-0'), [1, 2]);
  await page.click(tid('undo'));
  await page.waitForFunction(() => document.querySelectorAll('[data-test-id="records-t-0"] [data-test-id="record"]').length === 3);
  await screenshot(page, 'standalone', { fullPage: false });
  assert.deepEqual(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:')), []);
  assert.deepEqual(errors, []);
  await context.close();
});

/** A host page that loads the loader (`<script src="embed.js">` after `body`), with the site's other origin (localhost) reachable. */
async function loaderHost(body, { scriptAttrs = '', routes = {} } = {}) {
  const other = server.url.replace('127.0.0.1', 'localhost');
  const page = await openPlain(browser, 'about:blank');
  // The same server under another origin (openPlain blocks everything but
  // 127.0.0.1, and Chromium's local network checks would block a frame of
  // localhost in a page of 127.0.0.1): answered by `routes`, or fetched
  // from the server by the test itself.
  await page.route((u) => u.href.startsWith(other), async (route) => {
    const path = route.request().url().slice(other.length);
    if (path in routes) return route.fulfill({ contentType: 'text/html', body: routes[path] });
    return route.fulfill({ response: await route.fetch({ url: server.url + path }) });
  });
  const html = `<!doctype html><html><body style="margin:0">${body.replaceAll('OTHER/', other)}
    <script>
      window.events = [];
      for (const el of document.querySelectorAll('.kafka-playground')) {
        for (const type of ['kcp:ready', 'kcp:state']) el.addEventListener(type, (e) => events.push({ id: el.id, type, detail: e.detail }));
      }
    </script>
    <script src="embed.js" ${scriptAttrs.replaceAll('OTHER/', other)}></script></body></html>`;
  await page.route(`${server.url}host.html`, (route) => route.fulfill({ contentType: 'text/html', body: html }));
  await page.goto(`${server.url}host.html`);
  return { page, other };
}

test('embed.js frames only http(s) pages of its own origin: javascript:, data: and other origins are refused', async () => {
  const { page } = await loaderHost(`
    <div class="kafka-playground" id="js" data-load="eager" data-src="javascript:top.pwned=1//" data-script="topic t"></div>
    <div class="kafka-playground" id="js-case" data-load="eager" data-src=" JaVa&#9;ScRiPt:top.pwned=2//" data-script="topic t"></div>
    <div class="kafka-playground" id="data" data-load="eager" data-script="topic t"
         data-src="data:text/html,&lt;script&gt;parent.postMessage({type:'kcp:ready',steps:1},'*');parent.postMessage({type:'kcp:resize',height:3333},'*')&lt;/script&gt;"></div>
    <div class="kafka-playground" id="blob" data-load="click" data-src="blob:${server.url}x" data-script="topic t"></div>
    <div class="kafka-playground" id="foreign" data-load="eager" data-src="OTHER/embed.html" data-allow-origins="OTHER/" data-script="topic t"></div>
    <div class="kafka-playground" id="good" data-load="eager" data-src="embed.html" data-script="topic t"></div>`);
  await page.waitForSelector('#good[data-kcp-state="ready"]');
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  for (const id of ['js', 'js-case', 'data', 'blob', 'foreign']) {
    assert.equal(await page.getAttribute(`#${id}`, 'data-kcp-state'), 'error', id);
    assert.equal(await page.locator(`#${id} iframe`).count(), 0, id);
    // Refused elements say why; send() and load() do nothing with them.
    assert.equal(await page.evaluate((id) => [KafkaPlayground.send(document.getElementById(id), { type: 'kcp:step' }), KafkaPlayground.load(document.getElementById(id))], id).then(String), 'false,', id);
  }
  assert.match(await page.textContent('#js'), /must be an http: or https: address, not javascript:/);
  assert.match(await page.textContent('#data'), /not data:/);
  assert.match(await page.textContent('#foreign'), /is on http:\/\/localhost:\d+, and embed.js only frames http:\/\/127\.0\.0\.1:\d+ \(list more origins in data-allow-origins/);
  assert.deepEqual(await page.evaluate(() => events.filter((e) => e.id !== 'good')), []);
  assert.deepEqual(page.errors, []);
});

test('embed.js frames another origin only when its own script tag lists it', async () => {
  const { page, other } = await loaderHost(
    `<div class="kafka-playground" id="elsewhere" data-load="eager" data-src="OTHER/embed.html" data-script="topic t cleanup.policy=compact
produce t k:v"></div>`,
    { scriptAttrs: 'data-allow-origins="javascript:alert(1) OTHER/"' },
  );
  await page.waitForSelector('#elsewhere[data-kcp-state="ready"]');
  assert.equal(await page.getAttribute('#elsewhere iframe', 'src').then((s) => s.startsWith(`${other}embed.html#script=`)), true);
  // Messages go to, and come from, that origin.
  await page.evaluate(() => KafkaPlayground.send(document.getElementById('elsewhere'), { type: 'kcp:reset' }));
  await page.waitForFunction(() => events.some((e) => e.type === 'kcp:state' && e.detail.request === 'kcp:reset'));
  assert.deepEqual(page.errors, []);
});

test('the host listener ignores the embed frame once it shows another origin, and never posts to it', async () => {
  const evil = `<!doctype html><html><body><script>
    window.got = [];
    addEventListener('message', (e) => got.push(e.data));
    for (const m of [{ type: 'kcp:resize', height: 3333 }, { type: 'kcp:ready', steps: 99 }, { type: 'kcp:state', step: 99, steps: 99 }]) parent.postMessage(m, '*');
    document.body.dataset.posted = 'true';
  </script></body></html>`;
  const { page } = await loaderHost(`<div class="kafka-playground" id="pg" data-load="eager" data-height="300" data-script="topic t"></div>`, { routes: { 'evil.html': evil } });
  await page.waitForSelector('#pg[data-kcp-state="ready"]');
  await page.waitForFunction(() => parseInt(document.querySelector('#pg iframe').style.height, 10) !== 300);
  const height = await page.evaluate(() => document.querySelector('#pg iframe').style.height);
  // The frame navigates away (a link in it, a script): same window, another origin.
  await page.evaluate((url) => { document.querySelector('#pg iframe').contentWindow.location.href = url; }, `${server.url.replace('127.0.0.1', 'localhost')}evil.html`);
  await page.frameLocator('#pg iframe').locator('body[data-posted]').waitFor({ state: 'attached' });
  await page.waitForTimeout(200);
  assert.equal(await page.evaluate(() => document.querySelector('#pg iframe').style.height), height);
  assert.deepEqual(await page.evaluate(() => events.filter((e) => e.detail.steps === 99)), []);
  // A message for the embed is addressed to the embed's origin: the browser drops it.
  await page.evaluate(() => KafkaPlayground.send(document.getElementById('pg'), { type: 'kcp:load', script: 'topic secret\n' }));
  await page.waitForTimeout(300);
  const evilFrame = page.frames().find((f) => f.url().endsWith('/evil.html'));
  assert.deepEqual(await evilFrame.evaluate(() => window.got), []);
  assert.deepEqual(page.errors, []);
});

test('named elements cannot redirect or disable the loader (DOM clobbering)', async () => {
  const { page } = await loaderHost(
    `<img name="currentScript" src="OTHER/x/" alt="" style="display:none"><div id="KafkaPlayground"></div>
     <div class="kafka-playground" id="pg" data-load="eager" data-script="topic t"></div>`,
    { routes: { 'x/': '' } },
  );
  await page.waitForSelector('#pg[data-kcp-state="ready"]');
  // The premise: the img does shadow document.currentScript.
  assert.equal(await page.evaluate(() => document.currentScript?.tagName), 'IMG');
  assert.equal(await page.getAttribute('#pg iframe', 'src').then((s) => s.startsWith(`${server.url}embed.html#`)), true);
  assert.deepEqual(page.errors, []);
});

test('the tutorial opened from a file:// URL says why it cannot run instead of hanging', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(pathToFileURL(join(DIST, 'tutorial.html')).href);
  for (const id of ['pg-keys', 'pg-gaps', 'pg-tombstones']) {
    await page.waitForSelector(`#${id}[data-kcp-state="error"]`);
    assert.match(await page.textContent(`#${id}`), /cannot run from a file:\/\/ page.*playground-standalone\.html/);
  }
  assert.equal(await page.locator('iframe').count(), 0);
  assert.equal(await page.isDisabled(tid('tutorial-next')), true);
  assert.match(await page.textContent(tid('tutorial-progress')), /cannot load here/);
  assert.deepEqual(errors, []);
  await context.close();
});

/**
 * A host page at 127.0.0.1 framing `src` (OTHER/ is the site under its other
 * origin, localhost) that records every message from the frame with its
 * origin. With `spy` (a same-origin frame only) it wraps its own postMessage
 * instead, which the embed calls as `parent.postMessage`, and records each
 * message with the targetOrigin the embed chose (the browser then reports
 * the wrapper's realm, the host, as the sender: the listener can't tell).
 */
async function originHost(src, { spy = false } = {}) {
  const other = server.url.replace('127.0.0.1', 'localhost');
  const page = await openPlain(browser, 'about:blank');
  await page.route((u) => u.href.startsWith(other), async (route) => {
    return route.fulfill({ response: await route.fetch({ url: server.url + route.request().url().slice(other.length) }) });
  });
  const record = spy
    ? `const post = window.postMessage;
       window.postMessage = function (m, t) {
         if (m && typeof m.type === 'string') events.push({ ...m, target: typeof t === 'string' ? t : t && t.targetOrigin });
         return post.apply(this, arguments);
       };`
    : `addEventListener('message', (e) => {
         if (e.source === document.getElementById('f').contentWindow) events.push({ ...e.data, origin: e.origin });
       });`;
  const html = `<!doctype html><html><body style="margin:0">
    <script>
      window.events = [];
      ${record}
      window.send = (m, to) => document.getElementById('f').contentWindow.postMessage(m, to);
    </script>
    <iframe id="f" title="playground" src="${src.replaceAll('OTHER/', other)}" style="width:900px;height:300px;border:0"></iframe>
    </body></html>`;
  await page.route(`${server.url}host.html`, (route) => route.fulfill({ contentType: 'text/html', body: html }));
  await page.goto(`${server.url}host.html`);
  return { page, other: other.replace(/\/$/, ''), own: server.url.replace(/\/$/, '') };
}

test('the embed addresses every post to its host page\'s origin, never "*"', async () => {
  const { page, own } = await originHost(`embed.html?step#script=${encodeURIComponent(SCRIPT)}`, { spy: true });
  await waitEvent(page, "(e) => e.type === 'kcp:ready'");
  await page.evaluate((own) => window.send({ type: 'kcp:step' }, own), own);
  await waitEvent(page, "(e) => e.type === 'kcp:state' && e.request === 'kcp:step' && e.step === 1");
  // The reader's own button: the same address.
  const frame = page.frame({ url: /embed\.html/ });
  await frame.click(tid('next-step'));
  await waitEvent(page, "(e) => e.type === 'kcp:state' && !e.request && e.step === 2");
  await waitEvent(page, "(e) => e.type === 'kcp:resize'");
  const events = await page.evaluate(() => window.events);
  assert.deepEqual(events.filter((e) => e.target !== own), []);
  assert.deepEqual(page.errors, []);
});

test('an embed on another origin than its host: posts reach the host, from the embed\'s origin, and answer its messages', async () => {
  const { page, other } = await originHost(`OTHER/embed.html?step#script=${encodeURIComponent(SCRIPT)}`);
  await waitEvent(page, "(e) => e.type === 'kcp:ready'");
  // Cross-origin: the embed addressed the host by the origin its browser
  // reports for its parent (location.ancestorOrigins), or nothing would arrive.
  await page.evaluate((other) => window.send({ type: 'kcp:load', script: 'topic s\nproduce s k:1\n', step: true }, other), other);
  await waitEvent(page, "(e) => e.type === 'kcp:state' && e.request === 'kcp:load' && e.ok && e.step === 0");
  await page.evaluate((other) => window.send({ type: 'kcp:step' }, other), other);
  await waitEvent(page, "(e) => e.type === 'kcp:state' && e.request === 'kcp:step' && e.step === 1");
  const frame = page.frame({ url: /embed\.html/ });
  await frame.click(tid('next-step'));
  await waitEvent(page, "(e) => e.type === 'kcp:state' && !e.request && e.step === 2");
  const origins = await page.evaluate(() => [...new Set(window.events.map((e) => e.origin))]);
  assert.deepEqual(origins, [other]);
  assert.deepEqual(page.errors, []);
});

test('embeds are compact: a producer and six records in about 600 px, two records alone in about 300; no status bar unless asked', async () => {
  const six = 'topic t cleanup.policy=compact\nproduce t a:1\nproduce t b:1\nproduce t a:2\nproduce t c:1\nproduce t b:2\nproduce t a:3\n';
  const two = 'topic t cleanup.policy=compact\nproduce t a:1\nproduce t a:2\n';
  const height = (page) => page.evaluate(() => document.querySelector('[data-test-id="app"]').offsetHeight);
  const laptop = await open(browser, `${server.url}embed.html?panels=producer,log#script=${encodeURIComponent(six)}`, { width: 900, height: 900 });
  const h1 = await height(laptop);
  assert.ok(h1 <= 660, `producer and six records: ${h1} px`);
  // Done messages stay out of the way; the markers are on the log.
  assert.equal(await laptop.locator(tid('status')).count(), 0);
  assert.equal(await laptop.isVisible(tid('marker-leo')), true);
  const phone = await open(browser, `${server.url}embed.html?panels=producer,log#script=${encodeURIComponent(six)}`, { width: 390, height: 900 });
  const h2 = await height(phone);
  assert.ok(h2 <= 1050, `on a phone: ${h2} px`);
  const logOnly = await open(browser, `${server.url}embed.html?panels=log#script=${encodeURIComponent(two)}`, { width: 900, height: 900 });
  const h3 = await height(logOnly);
  assert.ok(h3 <= 340, `two records alone: ${h3} px`);
  console.log(`# embed heights: producer + six records ${h1} px (phone ${h2} px), two records alone ${h3} px`);
  // Asked for, the status bar is there.
  const asked = await open(browser, `${server.url}embed.html?panels=log,status#script=${encodeURIComponent(two)}`, { width: 900, height: 900 });
  assert.match(await asked.textContent(tid('status-text')), /Ran 3 lines/);
  await screenshot(phone, 'embed-compact-phone');
  assert.deepEqual([...laptop.errors, ...phone.errors, ...logOnly.errors, ...asked.errors], []);
});
