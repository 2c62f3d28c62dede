//! Property tests: random sessions of produce, tombstone, advance, roll,
//! alter and clean, checking the invariants Kafka's log cleaner guarantees
//! after every step (design.md, "Tests, by layer"; cleaner.md §6).
//!
//! 1. Offsets strictly increase within a partition, and a record found at an
//!    offset is exactly the record produced at that offset (offsets never
//!    change, contents never change).
//! 2. Cleaning never creates a segment base offset, never moves the log start
//!    offset and never touches the active segment.
//! 3. Records at or past a round's end offset are untouched.
//! 4. A consumer reading from the start ends with the same key -> value map
//!    before and after any cleaning (a deleted key is absent either way).

use std::collections::BTreeMap;

use kcp::log::PartitionLog;
use kcp::log_manager::{LogManager, ProduceRequest};
use kcp::scenario::command::WORDS;
use kcp::snapshot::materialize;
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Op {
    Produce {
        key: u8,
        value: Option<u8>,
        partition: Option<u32>,
    },
    Advance(i64),
    Roll,
    AlterSegmentBytes(u32),
    AlterRatio(u8),
    AlterDeleteRetention(i64),
    AlterMinLag(i64),
    SmallMap(u32),
    CleanIteration,
    CleanPartition(u32),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        12 => (0u8..12, prop::option::weighted(0.85, 0u8..40), prop::option::weighted(0.2, 0u32..2))
            .prop_map(|(key, value, partition)| Op::Produce { key, value, partition }),
        2 => (0i64..120_000).prop_map(Op::Advance),
        2 => Just(Op::Roll),
        1 => (140u32..1200).prop_map(Op::AlterSegmentBytes),
        1 => (0u8..=10).prop_map(Op::AlterRatio),
        1 => (0i64..60_000).prop_map(Op::AlterDeleteRetention),
        1 => (0i64..30_000).prop_map(Op::AlterMinLag),
        1 => (1u32..6).prop_map(Op::SmallMap),
        3 => Just(Op::CleanIteration),
        2 => (0u32..2).prop_map(Op::CleanPartition),
    ]
}

/// A record's key and value (`None`: null).
type KeyValue = (Option<Vec<u8>>, Option<Vec<u8>>);
/// What was produced at each (partition, offset).
type Ledger = BTreeMap<(u32, i64), KeyValue>;

fn records(log: &PartitionLog) -> BTreeMap<i64, KeyValue> {
    log.records()
        .map(|(_, r)| (r.offset, (r.key.map(<[u8]>::to_vec), r.value.map(<[u8]>::to_vec))))
        .collect()
}

fn check_log_against_ledger(log: &PartitionLog, ledger: &Ledger) -> Result<(), TestCaseError> {
    let mut last = -1;
    for (_, r) in log.records() {
        prop_assert!(
            r.offset > last,
            "offsets strictly increase: {} after {}",
            r.offset,
            last
        );
        last = r.offset;
        let produced = ledger.get(&(log.partition(), r.offset));
        prop_assert!(produced.is_some(), "offset {} was never produced", r.offset);
        let (k, v) = produced.unwrap();
        prop_assert_eq!(r.key, k.as_deref(), "key at {} changed", r.offset);
        prop_assert_eq!(r.value, v.as_deref(), "value at {} changed", r.offset);
    }
    let segs = log.segments();
    for w in segs.windows(2) {
        prop_assert!(w[0].base_offset() < w[1].base_offset());
        if let (Some(next), Some(first)) = (w[0].next_offset(), w[1].batches().first()) {
            prop_assert!(next <= first.base_offset());
        }
    }
    Ok(())
}

fn run(ops: Vec<Op>) -> Result<(), TestCaseError> {
    let mut b = LogManager::default();
    b.create_topic(
        "t",
        2,
        &[
            ("cleanup.policy", "compact"),
            ("segment.bytes", "300"),
            ("min.cleanable.dirty.ratio", "0.3"),
        ],
    )
    .unwrap();
    let mut ledger = Ledger::new();
    for op in ops {
        let before: Vec<PartitionLog> = b.topic("t").unwrap().partitions().to_vec();
        let mut cleaned = Vec::new();
        match op {
            Op::Produce { key, value, partition } => {
                let k = format!("k{key}");
                let v = value.map(|v| format!("v{v}"));
                let r = b
                    .produce(ProduceRequest {
                        topic: "t",
                        partition,
                        timestamp_ms: None,
                        key: Some(k.as_bytes()),
                        value: v.as_deref().map(str::as_bytes),
                        producer: None,
                    })
                    .unwrap();
                ledger.insert(
                    (r.topic_partition.partition, r.offset),
                    (Some(k.into_bytes()), v.map(String::into_bytes)),
                );
            }
            Op::Advance(ms) => {
                b.advance_ms(ms).unwrap();
            }
            Op::Roll => {
                b.roll("t", None).unwrap();
            }
            Op::AlterSegmentBytes(n) => b.alter_topic("t", &[("segment.bytes", &n.to_string())]).unwrap(),
            Op::AlterRatio(r) => b
                .alter_topic(
                    "t",
                    &[("min.cleanable.dirty.ratio", &format!("{}", f64::from(r) / 10.0))],
                )
                .unwrap(),
            Op::AlterDeleteRetention(ms) => b.alter_topic("t", &[("delete.retention.ms", &ms.to_string())]).unwrap(),
            Op::AlterMinLag(ms) => b
                .alter_topic("t", &[("min.compaction.lag.ms", &ms.to_string())])
                .unwrap(),
            Op::SmallMap(keys) => {
                // keys / 0.75 slots of 24 bytes each, plus one slot of slack.
                let bytes = (u64::from(keys) * 4 / 3 + 1) * 24;
                b.alter_broker(&[
                    ("log.cleaner.dedupe.buffer.size", &bytes.to_string()),
                    ("log.cleaner.io.buffer.load.factor", "0.75"),
                ])
                .unwrap();
            }
            Op::CleanIteration => cleaned.extend(b.run_cleaner_iteration().unwrap().cleaned),
            Op::CleanPartition(p) => cleaned.extend(b.clean_partition("t", p).unwrap().cleaned),
        }
        for log in b.topic("t").unwrap().partitions() {
            check_log_against_ledger(log, &ledger)?;
        }
        for c in cleaned {
            let old = &before[c.topic_partition.partition as usize];
            let new = b.partition("t", c.topic_partition.partition).unwrap();
            // 2. Base offsets, log start offset and the active segment.
            let old_bases: Vec<i64> = old.segments().iter().map(|s| s.base_offset()).collect();
            for s in new.segments() {
                prop_assert!(
                    old_bases.contains(&s.base_offset()),
                    "new base offset {}",
                    s.base_offset()
                );
            }
            prop_assert_eq!(new.log_start_offset(), old.log_start_offset());
            prop_assert_eq!(new.log_end_offset(), old.log_end_offset());
            prop_assert_eq!(new.active_segment(), old.active_segment());
            // 3. Nothing at or past the round's end changed.
            let old_tail: Vec<_> = records(old).into_iter().filter(|(o, _)| *o >= c.end_offset).collect();
            let new_tail: Vec<_> = records(new).into_iter().filter(|(o, _)| *o >= c.end_offset).collect();
            prop_assert_eq!(old_tail, new_tail);
            prop_assert!(c.end_offset > c.first_dirty_offset && c.end_offset <= c.first_uncleanable_offset);
            // 4. The consumer's view of the latest values.
            prop_assert_eq!(materialize(new), materialize(old));
            // Every key's latest record below the end survives (a tombstone
            // may go once its horizon has passed).
            let mut latest: BTreeMap<Vec<u8>, (i64, bool)> = BTreeMap::new();
            for (o, (k, v)) in records(old) {
                if o < c.end_offset {
                    latest.insert(k.unwrap(), (o, v.is_some()));
                }
            }
            let kept = records(new);
            for (k, (o, has_value)) in latest {
                if has_value {
                    prop_assert!(kept.contains_key(&o), "latest value of {:?} at {} was removed", k, o);
                }
            }
            for (o, (k, _)) in &kept {
                if *o < c.end_offset {
                    let newer = records(old)
                        .into_iter()
                        .any(|(o2, (k2, _))| o2 > *o && o2 < c.end_offset && k2 == *k);
                    prop_assert!(
                        !newer,
                        "offset {} survived although its key has a newer record below the end",
                        o
                    );
                }
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn cleaning_preserves_offsets_contents_and_the_consumers_view(ops in prop::collection::vec(op(), 1..120)) {
        run(ops)?;
    }
}

#[test]
fn cleaning_is_idempotent_without_new_writes() {
    let mut b = LogManager::default();
    b.create_topic("t", 1, &[("cleanup.policy", "compact"), ("segment.bytes", "300")])
        .unwrap();
    for i in 0..40 {
        let k = format!("k{}", i % 7);
        b.produce(ProduceRequest {
            topic: "t",
            partition: None,
            timestamp_ms: None,
            key: Some(k.as_bytes()),
            value: Some(b"v"),
            producer: None,
        })
        .unwrap();
    }
    b.roll("t", None).unwrap();
    b.clean_partition("t", 0).unwrap();
    let once = b.partition("t", 0).unwrap().clone();
    b.set_cleaner_checkpoint("t", 0, 0).unwrap();
    b.clean_partition("t", 0).unwrap();
    let twice = b.partition("t", 0).unwrap();
    assert_eq!(records(&once), records(twice));
}

fn command_word() -> impl Strategy<Value = &'static str> {
    prop::sample::select(WORDS.to_vec())
}

/// Words that make up plausible and implausible script lines.
fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(
            WORDS
                .iter()
                .copied()
                .chain([
                    "t",
                    "t/0",
                    "t/1",
                    "t/99",
                    "u/0",
                    "/0",
                    "t/",
                    "t/-1",
                    "partitions=2",
                    "partitions=0",
                    "partitions=-5",
                    "cleanup.policy=compact",
                    "cleanup.policy=compact,delete",
                    "cleanup.policy=",
                    "segment.bytes=14",
                    "segment.bytes=100",
                    "segment.bytes=-1",
                    "segment.ms=1",
                    "min.cleanable.dirty.ratio=NaN",
                    "min.cleanable.dirty.ratio=1.5",
                    "max.compaction.lag.ms=1",
                    "min.compaction.lag.ms=9223372036854775807",
                    "delete.retention.ms=0",
                    "retention.bytes=0",
                    "retention.ms=0",
                    "message.timestamp.type=LogAppendTime",
                    "log.cleaner.dedupe.buffer.size=48",
                    "log.cleaner.threads=3",
                    "log.cleaner.io.buffer.load.factor=0.5",
                    "count=20",
                    "count=0",
                    "keys=3",
                    "keys=0",
                    "tombstones=0.5",
                    "value-bytes=30",
                    "seed=7",
                    "ts=0",
                    "ts=-1",
                    "ts=9223372036854775807",
                    "from=0",
                    "from=-3",
                    "from=99999",
                    "max=2",
                    "k:v",
                    ":",
                    "NULL:v",
                    "k:NULL",
                    "NULL",
                    "9999999999999d",
                    "1s",
                    "0ms",
                    "-5s",
                    "x=y=z",
                    "=",
                ])
                .collect::<Vec<_>>()
        )
        .prop_map(str::to_string),
        "[ -~]{0,12}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn no_script_line_makes_the_engine_panic(
        lines in prop::collection::vec((command_word(), prop::collection::vec(token(), 0..5)), 1..60)
    ) {
        // Each line on its own against one broker, so that a syntax error in
        // one line does not stop the others from running; a syntax error is
        // a fine answer, a panic is not.
        let mut broker = LogManager::default();
        broker.create_topic("t", 2, &[("cleanup.policy", "compact"), ("segment.bytes", "200")]).unwrap();
        let mut ran = 0;
        for (word, args) in &lines {
            if let Ok(steps) = kcp::scenario::parse(&format!("{word} {}", args.join(" "))) {
                for step in &steps {
                    let r = kcp::scenario::run_step(&mut broker, step);
                    prop_assert!(r.ok || r.error.is_some());
                    ran += 1;
                }
            }
        }
        prop_assert!(ran <= lines.len());
    }

    #[test]
    fn no_fragment_makes_the_link_decoder_panic(fragment in "[ -~]{0,200}") {
        let _ = kcp::scenario::share::decode(&fragment);
        let z = format!("z=v1.{}", fragment.replace(['#', '&'], ""));
        let _ = kcp::scenario::share::decode(&z);
    }

    #[test]
    fn share_links_round_trip_any_script(script in "\\PC{0,3000}") {
        prop_assert_eq!(kcp::scenario::share::decode(&kcp::scenario::share::encode(&script)).unwrap(), Some(script.clone()));
        prop_assert_eq!(kcp::scenario::share::decode(&kcp::scenario::share::encode_compressed(&script)).unwrap(), Some(script));
    }
}
