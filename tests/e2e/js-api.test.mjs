// The JavaScript API (dist/pkg/kcp.js) given what a careless or hostile
// caller passes: wrong types, objects where strings belong, cyclic, deep,
// huge and booby-trapped config objects. Each call must throw a TypeError
// or a RangeError (or re-throw the caller's own exception) before anything
// reaches the engine, a broker rejection must throw an Error named after
// Kafka's exception, and after any of them the module must still work,
// `new Playground()` included (a wasm trap used to poison it for good).
// Needs a built dist/ (tests/e2e/run.sh builds it first).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { withSite, openPlain, DIST } from './support.mjs';

let server;
let browser;

withSite((s, b) => {
  server = s;
  browser = b;
});

/** A page at the site's root that imports the API as `window.kcp`. */
async function apiPage() {
  const page = await openPlain(browser, 'about:blank');
  await page.route(`${server.url}api-host.html`, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html><body><script type="module">
        import init, * as kcp from './pkg/kcp.js';
        await init();
        window.kcp = kcp;
        // Runs f and says how it ended: {ok} or {name, message, isError}.
        window.attempt = (f) => {
          try {
            f();
            return { ok: true };
          } catch (e) {
            return { name: e?.name, message: String(e?.message ?? e), isError: e instanceof Error };
          }
        };
        // The module still works: a fresh broker and one on a compacted topic.
        window.healthy = () => {
          const p = new kcp.Playground();
          p.createTopic('ok', 1, { 'cleanup.policy': 'compact' });
          return p.produce('ok', 'k', 'v').offset === 0 && kcp.murmur2('k') === kcp.murmur2('k');
        };
        document.body.dataset.ready = 'true';
      </script></body></html>`,
    }),
  );
  await page.goto(`${server.url}api-host.html`);
  await page.waitForSelector('body[data-ready]', { state: 'attached' });
  return page;
}

test('wrong argument types throw a TypeError and leave the module usable', async () => {
  const page = await apiPage();
  const cases = await page.evaluate(() => {
    const { Playground } = window.kcp;
    const p = new Playground();
    p.createTopic('t', 2, { 'cleanup.policy': 'compact' });
    const cyclic = { 'cleanup.policy': 'compact' };
    cyclic.self = cyclic;
    let deep = {};
    for (let i = 0; i < 100000; i++) deep = { nested: deep };
    const calls = {
      'produce(t, 42, v)': () => p.produce('t', 42, 'v'),
      'produce(t, k, {object})': () => p.produce('t', 'k', { a: 1 }),
      'produce(t, k, [array])': () => p.produce('t', 'k', ['v']),
      'produce(42, k, v)': () => p.produce(42, 'k', 'v'),
      'produce(undefined, k, v)': () => p.produce(undefined, 'k', 'v'),
      'produce() no arguments': () => p.produce(),
      'produce(t, k, v, "0")': () => p.produce('t', 'k', 'v', '0'),
      'produce(t, k, v, 0.5)': () => p.produce('t', 'k', 'v', 0.5),
      'produce(t, k, v, 0, NaN)': () => p.produce('t', 'k', 'v', 0, NaN),
      'produce(t, k, v, 0, 10n)': () => p.produce('t', 'k', 'v', 0, 10n),
      'produce(t, Symbol, v)': () => p.produce('t', Symbol('k'), 'v'),
      'tombstone(t, null)': () => p.tombstone('t', null),
      'createTopic(t2, "1")': () => p.createTopic('t2', '1'),
      'createTopic(t2, 1.5)': () => p.createTopic('t2', 1.5),
      'createTopic({}, 1)': () => p.createTopic({}, 1),
      'createTopic(cyclic configs)': () => p.createTopic('t2', 1, cyclic),
      'createTopic(deep configs)': () => p.createTopic('t2', 1, deep),
      'createTopic(configs as a string)': () => p.createTopic('t2', 1, 'cleanup.policy=compact'),
      'createTopic(configs as an array)': () => p.createTopic('t2', 1, ['cleanup.policy', 'compact']),
      'createTopic(config value undefined)': () => p.createTopic('t2', 1, { 'cleanup.policy': undefined }),
      'createTopic(config value null)': () => p.createTopic('t2', 1, { 'cleanup.policy': null }),
      'createTopic(config value Infinity)': () => p.createTopic('t2', 1, { 'segment.bytes': Infinity }),
      'createTopic(config value a function)': () => p.createTopic('t2', 1, { 'segment.bytes': () => 1 }),
      'alterTopic(t, 42)': () => p.alterTopic('t', 42),
      'alterBroker(cyclic)': () => p.alterBroker(cyclic),
      'unsetTopicConfigs(t, "segment.bytes")': () => p.unsetTopicConfigs('t', 'segment.bytes'),
      'unsetTopicConfigs(t, [42])': () => p.unsetTopicConfigs('t', [42]),
      'unsetTopicConfigs(t, {length: 1})': () => p.unsetTopicConfigs('t', { length: 1, 0: 'x' }),
      'advance("1h")': () => p.advance('1h'),
      'advance(undefined)': () => p.advance(),
      'advance(0.5)': () => p.advance(0.5),
      'roll(t, {})': () => p.roll('t', {}),
      'cleanPartition(t, "0")': () => p.cleanPartition('t', '0'),
      'consume(t, 0, "x")': () => p.consume('t', 0, 'x'),
      'consume(t, undefined)': () => p.consume('t'),
      'state(42, 0)': () => p.state(42, 0),
      'run(42)': () => p.run(42),
      'run({})': () => p.run({ toString: () => 'topic x' }),
      'runScenario(undefined)': () => window.kcp.runScenario(),
      'murmur2(42)': () => window.kcp.murmur2(42),
      'explainPartition(k, "3")': () => window.kcp.explainPartition('k', '3'),
      'encodeShareFragment(null)': () => window.kcp.encodeShareFragment(null),
      'decodeShareFragment({})': () => window.kcp.decodeShareFragment({}),
    };
    const out = {};
    for (const [name, f] of Object.entries(calls)) {
      out[name] = window.attempt(f);
      out[name].healthy = window.healthy();
    }
    // Nothing of all that reached the broker: t is as it was.
    out.untouched = JSON.stringify(p.snapshot().topics.map((t) => [t.name, t.partitions.map((x) => x.log_end_offset)]));
    out.produced = p.produce('t', 'k', 'v', 1).offset;
    return out;
  });
  const { untouched, produced, ...calls } = cases;
  for (const [name, r] of Object.entries(calls)) {
    assert.equal(r.name, 'TypeError', `${name}: ${JSON.stringify(r)}`);
    assert.equal(r.healthy, true, `${name} left the module broken`);
  }
  assert.match(calls['produce(t, 42, v)'].message, /^produce: key must be a string, null or undefined, got a number$/);
  assert.match(calls['createTopic(cyclic configs)'].message, /configs\["self"\] must be a string, a number or a boolean, got an object/);
  assert.match(calls['createTopic(deep configs)'].message, /configs\["nested"\]/);
  assert.match(calls['consume(t, 0, "x")'].message, /consume: from must be a number, got a string/);
  assert.equal(untouched, '[["t",[0,0]]]');
  assert.equal(produced, 0);
  assert.deepEqual(page.errors, []);
});

test('out-of-range numbers and oversized arguments throw a RangeError', async () => {
  const page = await apiPage();
  const cases = await page.evaluate(() => {
    const { Playground, explainPartition } = window.kcp;
    const p = new Playground();
    p.createTopic('t', 1);
    const many = {};
    for (let i = 0; i < 5000; i++) many[`c${i}`] = 'x';
    const huge = 'x'.repeat(9 * 1024 * 1024);
    const out = {};
    for (const [name, f] of Object.entries({
      'produce(t, k, v, -1)': () => p.produce('t', 'k', 'v', -1),
      'consume(t, 0, 0, -1)': () => p.consume('t', 0, 0, -1),
      'explainPartition(k, 0)': () => explainPartition('k', 0),
      'createTopic(5000 configs)': () => p.createTopic('t2', 1, many),
      'produce(t, k, 9 MiB)': () => p.produce('t', 'k', huge),
      'createTopic(a 9 MiB name)': () => p.createTopic(huge),
      'unsetTopicConfigs(t, 5000 names)': () => p.unsetTopicConfigs('t', Object.keys(many)),
    })) {
      out[name] = window.attempt(f);
      out[name].healthy = window.healthy();
    }
    return out;
  });
  for (const [name, r] of Object.entries(cases)) {
    assert.equal(r.name, 'RangeError', `${name}: ${JSON.stringify(r)}`);
    assert.equal(r.healthy, true, `${name} left the module broken`);
  }
  assert.match(cases['produce(t, k, v, -1)'].message, /produce: partition must be between 0 and 2147483647, got -1/);
  assert.deepEqual(page.errors, []);
});

test('getters and proxies in configs: their own exceptions surface, re-entry is refused, nothing breaks', async () => {
  const page = await apiPage();
  const r = await page.evaluate(() => {
    const { Playground } = window.kcp;
    const p = new Playground();
    const out = {};
    const throwing = { get 'cleanup.policy'() { throw new SyntaxError('from a getter'); } };
    out.getter = window.attempt(() => p.createTopic('a', 1, throwing));
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    out.revoked = window.attempt(() => p.createTopic('b', 1, proxy));
    const trap = new Proxy({}, { ownKeys() { throw new EvalError('from ownKeys'); } });
    out.ownKeys = window.attempt(() => p.alterBroker(trap));
    // A getter that calls back into the same broker mid-call: wasm-bindgen
    // refuses the re-entry; the outer call goes on with what the getter returns.
    let inner;
    const reentrant = { get 'cleanup.policy'() { inner = window.attempt(() => p.produce('c', 'k', 'v')); return 'compact'; } };
    out.reentrant = window.attempt(() => p.createTopic('c', 1, reentrant));
    out.inner = inner;
    out.topics = p.snapshot().topics.map((t) => [t.name, t.overrides['cleanup.policy'] ?? null]);
    out.healthy = window.healthy();
    out.after = p.produce('c', 'k', 'v').offset;
    return out;
  });
  assert.deepEqual(r.getter, { name: 'SyntaxError', message: 'from a getter', isError: true });
  assert.equal(r.revoked.name, 'TypeError');
  assert.deepEqual(r.ownKeys, { name: 'EvalError', message: 'from ownKeys', isError: true });
  assert.deepEqual(r.reentrant, { ok: true });
  assert.equal(r.inner.ok, undefined, 'the re-entrant call must be refused');
  assert.deepEqual(r.topics, [['c', 'compact']]);
  assert.equal(r.healthy, true);
  assert.equal(r.after, 0);
  assert.deepEqual(page.errors, []);
});

test('a broker rejection throws an Error named after Kafka\'s exception; good calls still work', async () => {
  const page = await apiPage();
  const r = await page.evaluate(() => {
    const { Playground, runScenario } = window.kcp;
    const p = new Playground();
    // Numbers and booleans are fine config values.
    p.createTopic('t', 1, { 'cleanup.policy': 'compact', 'segment.bytes': 490, 'min.cleanable.dirty.ratio': 0.01, preallocate: false });
    const configs = p.snapshot().topics[0].overrides;
    const out = {
      nullKey: window.attempt(() => p.produce('t', null, 'x')),
      exists: window.attempt(() => p.createTopic('t', 1)),
      unknownConfig: window.attempt(() => p.alterTopic('t', { 'no.such.config': 1 })),
      unknownPartition: window.attempt(() => p.state('t', 7)),
      syntax: window.attempt(() => p.run('frobnicate')),
      link: window.attempt(() => window.kcp.decodeShareFragment('z=v1.!!!!')),
    };
    out.configs = configs;
    out.tombstone = p.produce('t', 'k').offset;
    out.produced = p.produce('t', 'k', 'v', null, null).offset;
    out.steps = runScenario('topic u\nproduce u a:1\n').steps.length;
    return out;
  });
  assert.deepEqual(r.nullKey, { name: 'InvalidRecordException', message: 'Compacted topic cannot accept message without key in topic partition t-0', isError: true });
  assert.equal(r.exists.name, 'TopicExistsException');
  assert.equal(r.exists.message, "Topic 't' already exists.");
  assert.equal(r.unknownConfig.name, 'InvalidConfigurationException');
  assert.equal(r.unknownPartition.name, 'UnknownTopicOrPartitionException');
  assert.equal(r.syntax.name, 'Error');
  assert.match(r.syntax.message, /^line 1: /);
  assert.equal(r.link.name, 'Error');
  assert.match(r.link.message, /base64url/);
  assert.deepEqual(r.configs, { 'cleanup.policy': 'compact', 'segment.bytes': '490', 'min.cleanable.dirty.ratio': '0.01', preallocate: 'false' });
  assert.equal(r.tombstone, 0);
  assert.equal(r.produced, 1);
  assert.equal(r.steps, 2);
  assert.deepEqual(page.errors, []);
});

test('load and run are script lines; outlook() and dryRun() answer as plain objects', async () => {
  const page = await apiPage();
  const r = await page.evaluate(() => {
    const { Playground } = window.kcp;
    const p = new Playground();
    const steps = p.run('topic t cleanup.policy=compact segment.bytes=400 min.cleanable.dirty.ratio=0.1\nload t rate=10/s keys=5 for=1m seed=3\nrun 2m');
    const outlook = p.outlook('t', 0);
    p.run('produce t key-1:x\nroll t');
    const dry = p.dryRun('t', 0);
    return {
      ok: steps.map((s) => s.ok),
      appended: steps[2].appended,
      cleanings: steps[2].cleanings.length,
      outlookKeys: Object.keys(outlook).sort(),
      waitKinds: outlook.waits_for.map((w) => w.kind),
      dry: { kept: dry.kept, removed: dry.removed, first: dry.removed_records[0], keys: Object.keys(dry).sort() },
      unchanged: p.snapshot().topics[0].partitions[0].log_end_offset,
      notCompacted: (p.createTopic('d', 1), window.attempt(() => p.dryRun('d', 0))),
      badPartition: window.attempt(() => p.outlook('t', -1)),
    };
  });
  assert.deepEqual(r.ok, [true, true, true]);
  assert.equal(r.appended, 599);
  assert.ok(r.cleanings > 0, 'the cleaner threads cleaned during the run');
  assert.deepEqual(r.outlookKeys, ['cleaning_at_ms', 'eligible_at_ms', 'more_tombstones', 'now', 'now_ms', 'partition', 'tombstones', 'topic', 'waits_for']);
  assert.ok(r.waitKinds.includes('active_segment_roll'), JSON.stringify(r.waitKinds));
  assert.ok(r.dry.removed > 0 && r.dry.kept > 0, JSON.stringify(r.dry));
  assert.equal(r.dry.first.why.kind, 'superseded');
  assert.deepEqual(r.dry.keys, ['cleaning', 'decision', 'kept', 'now_ms', 'partition', 'removed', 'removed_records', 'topic']);
  assert.equal(r.unchanged, 601, 'a dry run changes nothing');
  assert.equal(r.notCompacted.name, 'InvalidRequestException');
  assert.equal(r.badPartition.name, 'RangeError');
  assert.deepEqual(page.errors, []);
});

test('run takes the producer and transaction lines; snapshots carry producer fields and the last stable offset', async () => {
  const page = await apiPage();
  const r = await page.evaluate(() => {
    const { Playground } = window.kcp;
    const p = new Playground();
    const steps = p.run([
      'topic t cleanup.policy=compact',
      'producer app transactional.id=app-1',
      'begin app',
      'produce t/0 producer=app k:1',
      'consume t/0 isolation=read_committed',
      'commit app',
      'begin app',
      'produce t/0 producer=app k:2',
      'commit nobody',
    ].join('\n'));
    const part = p.snapshot().topics[0].partitions[0];
    const batches = part.segments.flatMap((s) => s.batches);
    return {
      ok: steps.map((s) => s.ok),
      committedBefore: steps[4].records.length,
      markers: steps[5].markers,
      lso: part.last_stable_offset,
      hw: part.high_watermark,
      first: batches[0],
      marker: batches[1],
      producers: p.snapshot().producers.map((x) => [x.name, x.producer_id, x.state]),
    };
  });
  assert.deepEqual(r.ok, [true, true, true, true, true, true, true, true, false]);
  assert.equal(r.committedBefore, 0);
  assert.deepEqual(r.markers, [{ topic: 't', partition: 0, offset: 1 }]);
  assert.equal(r.lso, 2);
  assert.equal(r.hw, 3);
  assert.equal(r.first.producer_id, 0);
  assert.equal(r.first.producer_epoch, 0);
  assert.equal(r.first.base_sequence, 0);
  assert.equal(r.first.transactional, true);
  assert.equal(r.first.control, false);
  assert.equal(r.marker.control, true);
  assert.deepEqual(r.marker.records, [{ offset: 1, timestamp_ms: r.marker.records[0].timestamp_ms, control: 'COMMIT' }]);
  assert.deepEqual(r.producers, [['app', 0, 'IN_TRANSACTION']]);
  assert.deepEqual(page.errors, []);
});

test("Kafka's files: an export archive reads back, imports as the same partition, and dumps as kafka-dump-log.sh", async () => {
  const page = await apiPage();
  const r = await page.evaluate(() => {
    const { Playground, readArchive, compressRecords, decompressRecords } = window.kcp;
    const script = [
      'topic orders cleanup.policy=compact segment.bytes=200',
      'produce orders/0 k1:v1',
      'produce orders/0 k2:v2',
      'produce orders/0 k1:v3',
      'tombstone orders/0 k2',
      'produce orders/0 k3:v4',
      'roll orders',
      'clean orders/0',
    ].join('\n');
    const p = new Playground();
    p.run(script);
    const tar = p.exportArchive();
    const paths = p.exportPaths();
    const entries = readArchive(tar);
    const files = entries.filter((e) => e.path.startsWith('orders-0/')).map((e) => ({ name: e.path, bytes: e.bytes }));
    const copy = new Playground();
    copy.provideFiles('orders-0', files);
    const steps = copy.run('topic orders cleanup.policy=compact segment.bytes=200\nimport orders/0 orders-0');
    const offsets = (q) => q.snapshot().topics[0].partitions[0].segments.flatMap((s) => s.batches.flatMap((b) => b.records.map((x) => x.offset)));
    const dump = p.dumpLogSegments(paths.filter((x) => x.startsWith('orders-0/') && x.endsWith('.log')), { printDataLog: true });
    const again = readArchive(copy.exportArchive()).filter((e) => e.path.endsWith('.log'));
    const logs = entries.filter((e) => e.path.endsWith('.log'));
    const data = new TextEncoder().encode('a record batch, compressed '.repeat(50));
    const packed = [1, 2, 3, 4].map((c) => compressRecords(c, data));
    return {
      tarBlocks: tar.length % 512,
      paths,
      entryPaths: entries.map((e) => e.path),
      sameBytes: entries.every((e, i) => e.path === paths[i]),
      steps: steps.map((s) => s.ok),
      offsets: offsets(p),
      importedOffsets: offsets(copy),
      reexportEqual: again.length === logs.length && again.every((e, i) => e.path === logs[i].path && e.bytes.length === logs[i].bytes.length && e.bytes.every((b, j) => b === logs[i].bytes[j])),
      dump,
      codecs: packed.map((x, i) => x.length < data.length && decompressRecords(i + 1, x, data.length).every((b, j) => b === data[j])),
      bomb: window.attempt(() => decompressRecords(1, packed[0], 10)),
      notTar: window.attempt(() => readArchive(new Uint8Array(1024).fill(7))),
      badFiles: window.attempt(() => copy.provideFiles('x', [{ name: 'a.log', bytes: 'text' }])),
      badOption: window.attempt(() => p.dumpLogSegments(['orders-0/00000000000000000000.log'], { deepIteration: 'yes' })),
      missing: copy.run('topic other\nimport other/0 nowhere')[1].error,
      healthy: window.healthy(),
    };
  });
  assert.equal(r.tarBlocks, 0, 'a tar archive is whole 512-byte blocks');
  assert.deepEqual(r.entryPaths, r.paths);
  assert.ok(r.paths.includes('orders-0/00000000000000000000.log'), r.paths.join(' '));
  assert.ok(r.paths.includes('cleaner-offset-checkpoint'));
  assert.deepEqual(r.steps, [true, true]);
  assert.deepEqual(r.importedOffsets, r.offsets, 'offsets (gaps included) survive the round trip');
  assert.ok(r.offsets.length < 5, 'the cleaning left gaps');
  assert.ok(r.reexportEqual, 'the imported partition exports the same .log bytes');
  assert.match(r.dump.stdout, /^Dumping orders-0\/00000000000000000000\.log\nLog starting offset: 0\n/);
  assert.match(r.dump.stdout, /\| offset: 2 .* key: k1 payload: v3\n/);
  assert.match(r.dump.stdout, /\| offset: 4 .* key: k3 payload: v4\n/);
  assert.equal(r.dump.stderr, '');
  assert.deepEqual(r.codecs, [true, true, true, true]);
  assert.match(r.bomb.message, /more than 10 bytes/);
  assert.match(r.notTar.message, /not a tar archive.* at byte 0/);
  assert.equal(r.badFiles.name, 'TypeError');
  assert.equal(r.badOption.name, 'TypeError');
  assert.match(r.missing, /nowhere/);
  assert.equal(r.healthy, true);
  assert.deepEqual(page.errors, []);
});

// The engine gives the same result natively and in the shipped wasm (built
// for speed, with SIMD: see www/build/post-build.mjs): every built-in
// scenario's `run --json` through `runScenario` equals its golden file,
// which `cargo test` checks against the native engine (a summary of it for
// an output over 1 MiB). The one built-in
// with `import` lines needs files runScenario has no way to take (the
// export test above covers imports through the API).
test('runScenario gives every built-in scenario its golden run --json, as the native engine does', async () => {
  const golden = resolve(DIST, '../tests/golden/builtins');
  const page = await apiPage();
  const scenarios = await page.evaluate(() => window.kcp.builtinScenarios().map(({ id, script, imports }) => ({ id, script, imports })));
  const checked = [];
  for (const { id, script, imports } of scenarios) {
    if (imports.length > 0) continue;
    const expected = JSON.parse(await readFile(join(golden, `${id}.json`), 'utf8'));
    // An output over 1 MiB is held as a summary (`held` in
    // tests/engine/golden.rs): compare its steps and segments; its CRC of
    // the native bytes is not recomputed here.
    const summarised = 'whole_output' in expected;
    const actual = await page.evaluate(
      ({ s, summarised }) => {
        const out = window.kcp.runScenario(s);
        if (!summarised) return out;
        const partitions = out.topics.flatMap((t) =>
          t.partitions.map((p) => ({
            topic: t.name,
            partition: p.partition,
            log_start_offset: p.log_start_offset,
            log_end_offset: p.log_end_offset,
            segments: p.segments.map((seg) => ({
              base_offset: seg.base_offset,
              size_bytes: seg.size_bytes,
              records: seg.batches.reduce((n, b) => n + (b.records?.length ?? 0), 0),
            })),
          })),
        );
        return { steps: out.steps, partitions };
      },
      { s: script, summarised },
    );
    if (summarised) delete expected.whole_output;
    assert.deepEqual(actual, expected, `${id}: the wasm engine's run --json differs from the golden file`);
    checked.push(id);
  }
  assert.ok(checked.length >= 20, `checked ${checked.length} of ${scenarios.length} built-ins`);
  assert.deepEqual(page.errors, []);
});
