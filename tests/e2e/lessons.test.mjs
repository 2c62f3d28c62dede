// Lessons in headless Chromium, as a learner uses them: a first visit
// offers the lessons ("Start here"), a lesson steps forward and back with
// its narration, its "Watch for" notes, what each step did and its
// questions; keyboard n / p step; an embed steps a narrated scenario.
// Needs a built dist/ (tests/e2e/run.sh builds it first).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withSite, open, tid, act, offsets, screenshot } from './support.mjs';

let server;
let browser;

withSite((s, b) => {
  server = s;
  browser = b;
});

const narration = (page) => page.textContent(tid('lesson-narration'));
const position = (page) => page.textContent(tid('lesson-position'));

test('a first visit offers the lessons; one steps forward and back with its narration', async () => {
  const page = await open(browser, server.url, { width: 1366, height: 900 });
  await page.waitForSelector(tid('start-here'));
  // Each group a learner comes from, each lesson with its length.
  const start = await page.textContent(tid('start-here'));
  for (const words of ['From a tutorial', 'The classic surprises', 'The broker in time', 'Free play']) assert.ok(start.includes(words), words);
  assert.match(await page.textContent(tid('start-log-compaction-basics')), /6 steps · about \d+ min/);
  await screenshot(page, 'lessons-start-here');

  await act(page, tid('start-log-compaction-basics'));
  await page.waitForSelector(tid('lesson'));
  assert.equal(await page.locator(tid('start-here')).count(), 0, 'Start here steps aside');
  assert.match(await position(page), /6 steps · about \d+ min/);
  assert.match(await narration(page), /a producer sends five updates for the key user1/);
  assert.equal(await page.locator(tid('timeline-entry')).count(), 0, 'nothing ran yet');
  assert.equal(await page.isDisabled(tid('lesson-back')), true);

  // Step 1: the topic. Step 2: five records, with what to watch for.
  await act(page, tid('lesson-next'));
  assert.match(await position(page), /Step 1 of 6/);
  await act(page, tid('lesson-next'));
  assert.match(await narration(page), /Watch for: all five land in compacted-topic-0, at offsets 0 to 4/);
  assert.deepEqual(await offsets(page, 'compacted-topic-0'), [0, 1, 2, 3, 4]);
  assert.equal((await page.$$(`${tid('lesson-changes')} li`)).length, 5);
  // The step's new records are highlighted on the log.
  assert.equal(await page.locator('.rec-new').count(), 5);
  // Step 3: the cleaner finds nothing; what the step did says why.
  await act(page, tid('lesson-next'));
  assert.match(await page.textContent(tid('lesson-changes')), /no log is eligible/);
  assert.equal(await page.locator('.rec-new').count(), 0);
  // Step 4: roll and clean: offsets 0-3 go.
  await act(page, tid('lesson-next'));
  assert.deepEqual(await offsets(page, 'compacted-topic-0'), [4]);
  // Back (keyboard p): the log as it was after step 3.
  await page.keyboard.press('p');
  await page.waitForFunction(() => /Step 3 of 6/.test(document.querySelector('[data-test-id="lesson-position"]').textContent));
  assert.deepEqual(await offsets(page, 'compacted-topic-0'), [0, 1, 2, 3, 4]);
  // Forward to the end (keyboard n): the questions, answers behind a click.
  await page.keyboard.press('n');
  await page.waitForFunction(() => /Step 4 of 6/.test(document.querySelector('[data-test-id="lesson-position"]').textContent));
  await act(page, tid('lesson-next'));
  assert.match(await narration(page), /update-4 keeps its offset, 4/);
  await act(page, tid('lesson-next'));
  assert.match(await position(page), /Step 6 of 6/);
  const questions = page.locator(tid('lesson-question'));
  assert.equal(await questions.count(), 2);
  assert.match(await questions.first().textContent(), /new consumer reading compacted-topic from the beginning/);
  assert.equal(await questions.first().locator('p').isVisible(), false, 'the answer waits for a click');
  await questions.first().locator('summary').click();
  assert.match(await questions.first().locator('p').textContent(), /One record, user1:update-4 at offset 4/);
  assert.equal(await page.isDisabled(tid('lesson-next')), true);
  await screenshot(page, 'lessons-end');

  // A change of one's own is noticed; leaving keeps the session.
  await page.keyboard.press('c');
  await page.waitForSelector(tid('lesson-diverged'));
  await act(page, tid('lesson-leave'));
  assert.equal(await page.locator(tid('lesson')).count(), 0);
  assert.ok((await page.locator(tid('timeline-entry')).count()) >= 9);
  assert.deepEqual(page.errors, []);
});

test('free play starts an empty compacted topic; a built-in is a lesson from the scenarios too', async () => {
  const page = await open(browser, server.url, { width: 390, height: 844 });
  await act(page, tid('free-play'));
  await page.waitForSelector(tid('partition-demo-0'));
  assert.equal(await page.locator(tid('start-here')).count(), 0);
  await act(page, tid('lesson-tombstone-lingers'));
  await page.waitForSelector(tid('lesson'));
  assert.match(await narration(page), /Tombstones are removed in two phases/);
  await screenshot(page, 'lessons-phone');
  assert.deepEqual(page.errors, []);
});

test('an embed steps a narrated scenario with its words, forward and back', async () => {
  const script = '# Two values for one key.\n## Watch for: offsets 0 and 1.\ntopic t cleanup.policy=compact\nproduce t k:1\nproduce t k:2\n# Roll and clean: offset 0 goes.\nroll t\nclean\n';
  const page = await open(browser, `${server.url}embed.html?step#script=${encodeURIComponent(script)}`, { width: 720, height: 700 });
  assert.match(await page.textContent(tid('next-step')), /Next step \(0\/2\)/);
  assert.match(await narration(page), /Two values for one key\..*Watch for: offsets 0 and 1\./s);
  await act(page, tid('next-step'));
  assert.deepEqual(await offsets(page, 't-0'), [0, 1]);
  await act(page, tid('next-step'));
  assert.match(await narration(page), /Roll and clean: offset 0 goes\./);
  assert.deepEqual(await offsets(page, 't-0'), [1]);
  await act(page, tid('back-step'));
  assert.deepEqual(await offsets(page, 't-0'), [0, 1]);
  assert.equal(await page.locator(tid('lesson-leave')).count(), 0, 'the embed is the lesson');
  assert.deepEqual(page.errors, []);
});

test('topic creation as kafka-topics --create: the seed\'s configs in one go, durations in ms, nothing pre-filled', async () => {
  const page = await open(browser, server.url, { width: 1366, height: 900 });
  assert.equal(await page.inputValue(tid('new-topic-name')), '');
  assert.equal(await page.inputValue(tid('new-topic-partitions')), '');
  assert.match(await page.textContent(tid('create-topic-preview')), /Give the topic a name/);
  await page.fill(tid('new-topic-name'), 'user-profiles');
  await page.fill(tid('new-topic-partitions'), '3');
  await page.fill(tid('new-topic-configs'), '--config min.cleanable.dirty.ratio=0.01 \\\n  --config segment.ms=10s --config delete.retention.ms=100');
  const line = 'topic user-profiles partitions=3 cleanup.policy=compact min.cleanable.dirty.ratio=0.01 segment.ms=10000 delete.retention.ms=100';
  assert.equal((await page.textContent(tid('create-topic-preview'))).trim(), `Runs ${line}`);
  await act(page, tid('create-topic'));
  assert.equal(await page.inputValue(tid('script-text')), `${line}\n`);
  // A bad value is Kafka's to refuse, with its words, and nothing is created.
  await page.click('.create-topic summary');
  await page.fill(tid('new-topic-name'), 'other');
  await page.fill(tid('new-topic-configs'), 'segment.ms=soon');
  await act(page, tid('create-topic'));
  assert.match(await page.textContent(tid('create-topic-message')), /Invalid value soon for configuration segment.ms/);
  assert.equal(await page.locator(tid('topic-tab-other')).count(), 0);
  assert.deepEqual(page.errors, []);
});

test('a record opens in full: key, pretty JSON value, batch and the cleanings that kept it; Escape gives focus back', async () => {
  const script = 'topic t cleanup.policy=compact min.cleanable.dirty.ratio=0.01\nproduce t user-1:{"userId":"user-1","name":"Alice Smith","email":"alice.smith@example.com","age":27}\nproduce t user-2:{"userId":"user-2"}\nproduce t user-2:{"userId":"user-2","v":2}\nroll t\nclean\n';
  const page = await open(browser, `${server.url}#script=${encodeURIComponent(script)}`, { width: 1366, height: 900 });
  const record = `${tid('records-t-0')} [data-offset="0"]`;
  await page.focus(record);
  await page.keyboard.press('Enter');
  await page.waitForSelector(tid('inspector'));
  assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'H4', 'focus moves to the inspector');
  assert.equal(await page.textContent(tid('inspector-key')), 'user-1');
  assert.equal(await page.textContent(tid('inspector-value')),
    '{\n  "userId": "user-1",\n  "name": "Alice Smith",\n  "email": "alice.smith@example.com",\n  "age": 27\n}');
  assert.match(await page.textContent(tid('inspector-batch')), /offsets 0–0, 1 record, \d+ bytes, producer id -1/);
  assert.match(await page.textContent(tid('inspector-fate')), /Step #6 .*the cleaning of the log below offset 3 \(its dirty range 0–2\) kept it/);
  await screenshot(page, 'record-inspector', { fullPage: false });
  await page.keyboard.press('Escape');
  await page.waitForSelector(tid('inspector'), { state: 'detached' });
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.offset), '0', 'focus is back on the record');
  assert.deepEqual(page.errors, []);
});

test('embed code builder: options make the snippet, and the live preview shows the session as the embed will', async () => {
  const script = 'topic t cleanup.policy=compact\nproduce t a:1\nproduce t a:2\n';
  const page = await open(browser, `${server.url}#script=${encodeURIComponent(script)}`, { width: 1366, height: 900 });
  await page.click(`${tid('embed-builder')} > summary`);
  await page.waitForSelector(tid('embed-code'));
  const code = () => page.inputValue(tid('embed-code'));
  assert.match(await code(), /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/embed\.html\?panels=clock%2Cproducer%2Clog%2Ccleaner%2Cstate#script=topic%20t/);
  await page.click(tid('embed-step'));
  await page.click(tid('embed-panel-producer'));
  assert.match(await code(), /embed\.html\?panels=clock%2Clog%2Ccleaner%2Cstate&amp;step#/);
  await page.getByLabel('loader, script child').check();
  assert.match(await code(), /<div class="kafka-playground" data-panels="clock,log,cleaner,state" data-step data-height="600">\n<script type="text\/plain">\n  topic t cleanup.policy=compact\n/);
  assert.match(await code(), /<script src="http:\/\/127\.0\.0\.1:\d+\/embed\.js" defer><\/script>$/);
  // The preview is the embed itself, stepping through the session.
  const preview = page.frame({ url: /embed\.html\?panels=clock%2Clog/ });
  await preview.waitForSelector(tid('next-step'));
  assert.match(await preview.textContent(tid('next-step')), /Next step \(0\/3\)/);
  await page.click(tid('embed-copy'));
  assert.deepEqual(page.errors, []);
});

test('the seed 004 flow: the whole topic from the beginning gives the tutorial\'s counts (8, 13, then 10), and the state a consumer builds does not change with cleaning', async () => {
  const page = await open(browser, server.url, { width: 1366, height: 900 });
  await act(page, tid('start-user-profiles-state-store'));
  const count = async () => {
    await page.click(tid('console-read'));
    return (await page.textContent(tid('console-total'))).trim();
  };
  for (let i = 0; i < 3; i++) await act(page, tid('lesson-next'));
  await page.fill(tid('console-separator'), ' => ');
  assert.equal(await count(), 'Processed a total of 8 messages');
  assert.match(await page.textContent(tid('console-out')), /Partition:\d => user-1 => \{"userId": "user-1", "name": "Alice Smith", "email": "alice.smith@example.com", "age": 27, "version": 3\}/);
  await act(page, tid('lesson-next'));
  assert.equal(await count(), 'Processed a total of 13 messages');
  const before = await page.textContent(tid('state-view'));
  await act(page, tid('lesson-next'));
  assert.equal(await count(), 'Processed a total of 10 messages');
  assert.equal(await page.textContent(tid('state-view')), before, 'the state a consumer builds is the same after cleaning');
  assert.deepEqual(page.errors, []);
});

test("'What will the cleaner do to my partition?' imports its sample partition, in the page and in an embed", async () => {
  const page = await open(browser, server.url, { width: 1366, height: 900 });
  await page.waitForSelector(tid('start-here'));
  assert.match(await page.textContent(tid('start-here')), /Kafka's files/);
  await page.click(tid('start-what-will-the-cleaner-do'));
  // The files module loads and makes the sample, then the lesson starts.
  await page.waitForSelector(tid('lesson'), { timeout: 30000 });
  await act(page, tid('lesson-next'));
  assert.match(await position(page), /Step 1 of/);
  await act(page, tid('lesson-next'));
  assert.match(await narration(page), /Import the partition's files/);
  // The import kept the offsets as stored: the first records of the log.
  assert.deepEqual((await offsets(page, 'user-profiles-0')).slice(0, 3), [0, 1, 2]);
  assert.equal(await page.locator(`${tid('timeline-entry')}.entry-error, ${tid('files-missing')}`).count(), 0, 'nothing refused');
  // The cleaning: one record per user left, at their original offsets.
  await act(page, tid('lesson-next'));
  await act(page, tid('lesson-next'));
  const after = await offsets(page, 'user-profiles-0');
  assert.ok(after.length > 0 && after[0] > 100, `gaps after cleaning: ${after.slice(0, 5)}`);
  // Back: the imported log again, its files still there.
  await act(page, tid('lesson-back'));
  assert.deepEqual((await offsets(page, 'user-profiles-0')).slice(0, 3), [0, 1, 2]);
  assert.deepEqual(page.errors, []);

  // The lesson's script in an embed brings its sample too.
  const { builtin } = await page.evaluate(async () => {
    const m = await import('./pkg/kcp.js');
    await m.default();
    return { builtin: m.builtinScenarios().find((b) => b.id === 'what-will-the-cleaner-do') };
  });
  assert.deepEqual(builtin.imports, [['user-profiles-0', 'user-profiles-partition']]);
  const embed = await open(browser, `${server.url}embed.html?step#script=${encodeURIComponent(builtin.script)}`, { width: 900, height: 800 });
  await embed.waitForFunction(() => /Next step/.test(document.querySelector('[data-test-id="next-step"]')?.textContent ?? ''));
  for (let i = 0; i < 2; i++) await act(embed, tid('next-step'));
  await embed.waitForFunction(() => document.querySelectorAll('[data-test-id="records-user-profiles-0"] [data-test-id="record"]').length > 0, null, { timeout: 30000 });
  assert.deepEqual((await offsets(embed, 'user-profiles-0')).slice(0, 3), [0, 1, 2]);
  assert.deepEqual(embed.errors, []);
});
