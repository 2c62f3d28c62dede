// Kafka's files in the page, in headless Chromium, checked against the CLI
// (`cargo run --release --quiet -- export` and `dump`): the downloaded
// .tar holds byte for byte what `export FILE DIR` writes for the same
// script; the dump panel prints what `dump --files` prints; a .tar and a
// .log (one with a gzip batch, made here from the CLI's export) import with
// their offsets and gaps, undo and looking back keep working, a corrupt file
// is refused naming its byte and changes nothing; a share link's import
// line asks for its files again; files dropped on the drop zone import, with
// the site served from a sub-directory; the single-file build says the files
// support is not there; a long dump is drawn bounded; axe-core finds no
// serious violation in the panel. Saves screenshots of the panel with a dump open at laptop and
// phone widths. Needs a built dist/ (tests/e2e/run.sh builds it first).

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, readdirSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { withSite, open, tid, offsets, gaps, scriptUrl, axeViolations, SCREENSHOTS, DIST, serve } from './support.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

let server;
let browser;

withSite((s, b) => {
  server = s;
  browser = b;
});

// a:1 is cleaned away (offset 0), c keeps a gap before it; d comes after.
const SCRIPT = [
  'topic t cleanup.policy=compact segment.bytes=300',
  'produce t a:1',
  'produce t b:1',
  'produce t a:2',
  'produce t c:1',
  'produce t b:2',
  'roll t',
  'clean',
  'produce t d:1',
].join('\n');

/** The CLI's export of `script`: { dir, files: Map(path -> Buffer) }. */
function cliExport(script) {
  const work = mkdtempSync(join(tmpdir(), 'kcp-files-'));
  writeFileSync(join(work, 'script.txt'), `${script}\n`);
  const dir = join(work, 'logs');
  execFileSync('cargo', ['run', '--release', '--quiet', '--', 'export', join(work, 'script.txt'), dir], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const files = new Map();
  const walk = (d) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else files.set(relative(dir, p), readFileSync(p));
    }
  };
  walk(dir);
  return { dir, files };
}

/** `cargo run -- dump --files PATH OPTIONS...`'s stdout. */
function cliDump(path, options) {
  return execFileSync('cargo', ['run', '--release', '--quiet', '--', 'dump', '--files', path, ...options], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
}

/** The regular files of a tar (ustar, with pax `path` records): Map(path -> Buffer). */
function untar(buf) {
  const files = new Map();
  let at = 0;
  let paxPath = null;
  const str = (b) => b.toString('latin1').replace(/\0.*$/s, '');
  while (at + 512 <= buf.length) {
    const h = buf.subarray(at, at + 512);
    if (h.every((b) => b === 0)) break;
    const size = parseInt(str(h.subarray(124, 136)).trim() || '0', 8);
    const type = String.fromCharCode(h[156] || 48);
    const prefix = str(h.subarray(345, 500));
    const name = prefix ? `${prefix}/${str(h.subarray(0, 100))}` : str(h.subarray(0, 100));
    // The header's checksum: the sum of its bytes with the field as spaces.
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : h[i];
    assert.equal(parseInt(str(h.subarray(148, 156)).trim(), 8), sum, `tar header checksum of ${name}`);
    const data = buf.subarray(at + 512, at + 512 + size);
    if (type === 'x') {
      const m = /\d+ path=([^\n]*)\n/.exec(data.toString('utf8'));
      paxPath = m ? m[1] : null;
    } else if (type === '0') {
      files.set(paxPath ?? name, Buffer.from(data));
      paxPath = null;
    }
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

/** CRC-32C (Castagnoli), as a record batch's checksum. */
function crc32c(bytes) {
  let crc = ~0;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return ~crc >>> 0;
}

/** `log` with its first batch's records gzip-compressed (codec 1), its length and CRC made anew. */
function gzipFirstBatch(log) {
  const length = log.readInt32BE(8);
  const batch = log.subarray(0, 12 + length);
  const compressed = gzipSync(batch.subarray(61));
  const out = Buffer.concat([Buffer.from(batch.subarray(0, 61)), compressed]);
  out.writeInt32BE(out.length - 12, 8);
  out.writeInt16BE((out.readInt16BE(21) & ~7) | 1, 21);
  out.writeUInt32BE(crc32c(out.subarray(21)), 17);
  return Buffer.concat([out, log.subarray(12 + length)]);
}

const statusText = (page) => page.textContent(tid('status-text'));
const waitStatus = (page, re) =>
  page.waitForFunction((src) => new RegExp(src).test(document.querySelector('[data-test-id="status-text"]')?.textContent ?? ''), re.source);

/** Picks `files` ([{ name, buffer }]) in the import fold and imports them into `target` (an option's value). */
async function importFiles(page, files, target) {
  if ((await page.getAttribute(tid('import-fold'), 'open')) === null) await page.click(`${tid('import-fold')} > summary`);
  await page.setInputFiles(tid('import-files'), files.map(({ name, buffer }) => ({ name, mimeType: 'application/octet-stream', buffer })));
  await page.waitForSelector(`${tid('import-form')}, ${tid('import-message')}`, { timeout: 60_000 });
  if (target === undefined) return;
  await page.selectOption(tid('import-target'), target);
  await page.click(tid('import-run'));
}

/** A ustar archive of `files` ([path, Buffer] pairs), as `tar -cf` writes one. */
function tarOf(files) {
  const parts = [];
  for (const [path, bytes] of files) {
    const h = Buffer.alloc(512);
    h.write(path, 0, 'utf8');
    h.write('0000644\0', 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    h.write(`${bytes.length.toString(8).padStart(11, '0')}\0`, 124);
    h.write('00000000000\0', 136);
    h.write('        ', 148);
    h.write('0', 156);
    h.write('ustar\x0000', 257);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    parts.push(h, bytes, Buffer.alloc((512 - (bytes.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

let cli;
before(() => {
  cli = cliExport(SCRIPT);
});

test('the download is the CLI export, byte for byte, and the dump is the CLI dump', async () => {
  const page = await open(browser, scriptUrl(server.url, SCRIPT), { width: 1280, height: 900, acceptDownloads: true });
  await waitStatus(page, /Ran 9 lines/);
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.click(tid('files-download'))]);
  assert.equal(download.suggestedFilename(), 'kafka-logs-2024-01-01T00-00-00Z.tar');
  const tar = untar(readFileSync(await download.path()));
  assert.deepEqual([...tar.keys()].sort(), [...cli.files.keys()].sort(), 'the same files');
  for (const [path, bytes] of cli.files) assert.ok(tar.get(path).equals(bytes), `${path}: the same bytes`);
  assert.ok([...tar.keys()].some((p) => p.startsWith('t-0/') && p.endsWith('.log')));
  assert.match(await page.textContent(tid('files-message')), /Downloaded kafka-logs-.*\.tar .*the session now/);

  // The dump, for every file of t-0 and every option, is the CLI's.
  await page.click(`${tid('dump-fold')} > summary`);
  await page.waitForSelector(`${tid('dump-file')} option`, { state: 'attached', timeout: 60_000 });
  const files = await page.$$eval(`${tid('dump-file')} option`, (os) => os.map((o) => o.value));
  assert.ok(files.some((f) => f.endsWith('.index')) && files.some((f) => f.endsWith('.timeindex')), files.join());
  const cases = [
    [files.find((f) => f.endsWith('.log')), ['--print-data-log']],
    [files.find((f) => f.endsWith('.log')), ['--deep-iteration']],
    [files.find((f) => f.endsWith('.index')), ['--index-sanity-check']],
    [files.find((f) => f.endsWith('.timeindex')), []],
  ];
  for (const [file, options] of cases) {
    await page.selectOption(tid('dump-file'), file);
    for (const [id, flag] of [['dump-print-data-log', '--print-data-log'], ['dump-deep-iteration', '--deep-iteration'], ['dump-index-sanity-check', '--index-sanity-check']]) {
      await page.setChecked(tid(id), options.includes(flag));
    }
    const before = await page.$eval(tid('dump-result'), (e) => e.textContent).catch(() => '');
    await page.click(tid('dump-run'));
    await page.waitForFunction(
      (before) => (document.querySelector('[data-test-id="dump-result"]')?.textContent ?? '') !== before,
      before,
    );
    const command = await page.textContent(tid('dump-command'));
    assert.equal(command, `$ kafka-dump-log.sh --files ${file}${options.map((o) => ` ${o}`).join('')}`);
    const theirs = cliDump(join(cli.dir, file), options).replaceAll(join(cli.dir, file), file);
    const ours = await page.textContent(tid('dump-stdout'));
    assert.equal(ours, theirs.replace(/\n$/, ''), `${file} ${options.join(' ')}`);
  }
  assert.deepEqual(page.errors, []);
});

test('a .tar and a .log (with a gzip batch) import with their gaps; undo and looking back work; a corrupt file changes nothing', async () => {
  const page = await open(browser, scriptUrl(server.url, 'topic u cleanup.policy=compact\ntopic c'), { width: 1280, height: 900 });
  await waitStatus(page, /Ran 2 lines/);
  const want = [...cli.files.keys()].filter((p) => p.startsWith('t-0/')).sort();

  const tar = tarOf([...cli.files].filter(([p]) => p.startsWith('t-0/') || !p.includes('/')));
  await importFiles(page, [{ name: 'logs.tar', buffer: tar }], 'u/0');
  await waitStatus(page, /Imported t-0 into u-0/);
  const imported = await offsets(page, 'u-0');
  assert.ok(imported.length > 0);
  assert.ok(imported.some((o, i) => i > 0 && o - imported[i - 1] > 1) || imported[0] > 0, `a gap: ${imported}`);
  assert.ok((await gaps(page, 'u-0')).length > 0, 'the strip shows the gap');
  assert.match(await page.inputValue(tid('script-text')), /^import u\/0 t-0$/m);
  assert.ok(want.length > 0);

  // The same archive again, into the new topic it offers (t-0 -> t).
  await importFiles(page, [{ name: 'logs.tar', buffer: tar }]);
  assert.equal(await page.inputValue(tid('import-target')), 'new:t/0', 'a new topic named after the directory comes first');
  await page.click(tid('import-run'));
  await waitStatus(page, /Imported t-0 into t-0/);
  assert.match(await page.inputValue(tid('script-text')), /^topic t partitions=1 cleanup.policy=compact\nimport t\/0 t-0$/m);
  await page.click(tid('undo'));
  await waitStatus(page, /Undid/);
  await page.click(tid('undo'));
  await waitStatus(page, /Undid/);

  // The text of kafka-dump-log.sh --print-data-log imports as the file would.
  const logPath0 = [...cli.files.keys()].find((p) => p.startsWith('t-0/') && p.endsWith('.log'));
  const dumpText = cliDump(join(cli.dir, logPath0), ['--print-data-log']);
  await importFiles(page, [{ name: 'dump.txt', buffer: Buffer.from(dumpText) }], 'c/0');
  await waitStatus(page, /Imported dump\.txt into c-0/);
  await page.click(tid('undo'));
  await waitStatus(page, /Undid/);

  // A .log alone, its first batch gzip-compressed, into c/0.
  const logPath = [...cli.files.keys()].find((p) => p.startsWith('t-0/') && p.endsWith('.log'));
  const gz = gzipFirstBatch(cli.files.get(logPath));
  await importFiles(page, [{ name: '00000000000000000000.log', buffer: gz }], 'c/0');
  await waitStatus(page, /Imported 00000000000000000000\.log into c-0/);
  assert.match(await page.inputValue(tid('script-text')), /^import c\/0 00000000000000000000\.log$/m);

  // Undo drops the import; the partition is empty again.
  await page.click(tid('undo'));
  await waitStatus(page, /Undid/);
  assert.doesNotMatch(await page.inputValue(tid('script-text')), /import c\/0/);

  // A corrupt file: the message names the file and the byte; nothing changes.
  const script = await page.inputValue(tid('script-text'));
  const bad = Buffer.from(gz);
  bad[bad.length - 3] ^= 0xff;
  await importFiles(page, [{ name: '00000000000000000000.log', buffer: bad }], 'c/0');
  await page.waitForSelector(tid('import-message'));
  assert.match(await page.textContent(tid('import-message')), /^cannot import 00000000000000000000\.log at byte \d+: /);
  assert.equal(await page.inputValue(tid('script-text')), script, 'nothing added');

  // Not a Kafka file.
  await importFiles(page, [{ name: 'notes.txt', buffer: Buffer.from('hello\n') }], 'c/0');
  await page.waitForSelector(tid('import-message'));
  assert.match(await page.textContent(tid('import-message')), /^cannot import /);

  // A record after the import, then looking back at the import line: the
  // imported partition as it was (a replay of the lines, files and all).
  await page.click(tid('topic-tab-u'));
  await page.fill(tid('produce-key'), 'later');
  await page.fill(tid('produce-value'), 'x');
  await page.click(tid('produce'));
  await waitStatus(page, /Record/);
  const after = await offsets(page, 'u-0');
  assert.deepEqual(after, [...imported, imported[imported.length - 1] + 1]);
  await page.click(`${tid('timeline-look')}:text-is("#3")`);
  await page.waitForSelector(tid('history-bar'));
  await page.click(tid('topic-tab-u'));
  await page.waitForSelector(tid('records-u-0'));
  assert.equal(await page.textContent(tid('files-download')), 'Download the log directory (.tar) (the past shown: after line 3)');
  assert.deepEqual(await offsets(page, 'u-0'), imported);
  await page.click(tid('back-to-now'));
  await page.waitForFunction(() => !document.querySelector('[data-test-id="history-bar"]'));
  assert.deepEqual(page.errors, []);
});

test("a link's import line asks for its files, and picking them again imports", async () => {
  const page = await open(browser, scriptUrl(server.url, 'topic t cleanup.policy=compact\nimport t/0 t-0\nproduce t z:1'), { width: 1280, height: 900 });
  await waitStatus(page, /Ran 3 lines; 1 rejected/);
  assert.match(await statusText(page), /cannot import t-0 at byte 0: this page does not have the files .*pick them again/);
  await page.waitForSelector(tid('files-missing'));
  const files = [...cli.files].filter(([p]) => p.startsWith('t-0/')).map(([p, buffer]) => ({ name: p.slice(4), mimeType: 'application/octet-stream', buffer }));
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.click(tid('files-repick'))]);
  await chooser.setFiles(files);
  await page.waitForFunction(() => !document.querySelector('[data-test-id="files-missing"]'), null, { timeout: 60_000 });
  await waitStatus(page, /Ran 3 lines\.$/);
  const got = await offsets(page, 't-0');
  assert.equal(got[got.length - 1], got[got.length - 2] + 1, 'z:1 follows the imported records');
  assert.deepEqual(page.errors, []);
});

for (const [name, size] of [['laptop', { width: 1280, height: 900 }], ['phone', { width: 390, height: 844 }]]) {
  test(`the files panel with a dump open: no serious accessibility violation, screenshot (${name})`, async () => {
    const page = await open(browser, scriptUrl(server.url, SCRIPT), size);
    await waitStatus(page, /Ran 9 lines/);
    await page.click(`${tid('dump-fold')} > summary`);
    await page.waitForSelector(`${tid('dump-file')} option`, { state: 'attached', timeout: 60_000 });
    await page.click(tid('dump-run'));
    await page.waitForSelector(tid('dump-stdout'));
    // An archive of two partition directories asks which one.
    const two = [...cli.files, ...[...cli.files].filter(([p]) => p.startsWith('t-0/')).map(([p, b]) => [`orders-3/${p.slice(4)}`, b])];
    await importFiles(page, [{ name: 'logs.tar', buffer: tarOf(two) }]);
    assert.deepEqual(await page.$$eval(`${tid('import-group')} option`, (os) => os.map((o) => o.textContent)), ['t-0', 'orders-3']);
    await page.selectOption(tid('import-group'), '1');
    await page.waitForSelector(`${tid('import-target')} option[value="new:orders/3"]`, { state: 'attached' });
    const bad = (await axeViolations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(bad.map((v) => v.text), []);
    const panel = page.locator('#files');
    await panel.scrollIntoViewIfNeeded();
    await panel.screenshot({ path: join(SCREENSHOTS, `files-panel-${name}.png`) });
    assert.deepEqual(page.errors, []);
  });
}

test('the single-file build, opened from disk, says the files support is not there, and the page works on', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${pathToFileURL(join(DIST, 'playground-standalone.html')).href}#script=${encodeURIComponent(SCRIPT)}`);
  await page.waitForSelector(tid('app'));
  await waitStatus(page, /Ran 9 lines/);
  await page.click(tid('files-download'));
  await page.waitForFunction(() => /could not be loaded/.test(document.querySelector('[data-test-id="files-message"]')?.textContent ?? ''));
  assert.match(await page.textContent(tid('files-message')), /^Kafka's files support could not be loaded from file:.*pkg\/kcp\.js: .*The single-file playground does not include Kafka's files support/);
  await page.click(`${tid('dump-fold')} > summary`);
  await page.waitForSelector(tid('files-load-failed'));
  // The rest of the page works on.
  const before = (await offsets(page, 't-0')).length;
  await page.click(tid('undo'));
  await page.waitForFunction((n) => document.querySelectorAll('[data-test-id="records-t-0"] [data-test-id="record"]').length === n - 1, before);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a long dump draws a bounded part and says how much more there is', async () => {
  const page = await open(browser, scriptUrl(server.url, 'topic big segment.bytes=10000000\ngenerate big count=3000 keys=3000'), { width: 1280, height: 900 });
  await waitStatus(page, /Ran 2 lines/);
  await page.click(`${tid('dump-fold')} > summary`);
  await page.waitForSelector(`${tid('dump-file')} option`, { state: 'attached', timeout: 60_000 });
  await page.setChecked(tid('dump-deep-iteration'), true);
  await page.click(tid('dump-run'));
  await page.waitForSelector(tid('dump-more'));
  const drawn = (await page.textContent(tid('dump-stdout'))).split('\n').length;
  assert.equal(drawn, 1000);
  assert.match(await page.textContent(tid('dump-more')), /^… 5\s002 more lines not shown \(6\s002 lines in all\); Copy copies them all\.$/);
  assert.deepEqual(page.errors, []);
});

test('files dropped on the drop zone import; the site works from a sub-directory', async () => {
  // The site one folder down (pkg/ is found beside the page, wherever it is).
  const root = mkdtempSync(join(tmpdir(), 'kcp-site-'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>host</title>');
  symlinkSync(DIST, join(root, 'sub'));
  const site = await serve(root);
  try {
    const page = await open(browser, scriptUrl(`${site.url}sub/`, 'topic d'), { width: 1280, height: 900 });
    await waitStatus(page, /Ran 1 line/);
    await page.click(`${tid('import-fold')} > summary`);
    // The fold's contents are drawn once it has opened (its toggle event).
    await page.waitForSelector(tid('import-drop'));
    const log = [...cli.files].find(([p]) => p.startsWith('t-0/') && p.endsWith('.log'));
    await page.evaluate(([name, bytes]) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(bytes)], name));
      const zone = document.querySelector('[data-test-id="import-drop"]');
      zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, [log[0].slice(4), [...log[1]]]);
    await page.waitForSelector(tid('import-form'), { timeout: 60_000 });
    await page.selectOption(tid('import-target'), 'd/0');
    await page.click(tid('import-run'));
    await waitStatus(page, /Imported 00000000000000000000\.log into d-0/);
    assert.ok((await offsets(page, 'd-0')).length > 0);
    assert.deepEqual(page.errors, []);
  } finally {
    await site.close();
  }
});
