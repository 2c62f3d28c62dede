//! Shared helpers of the engine tests.
//!
//! * [`Broker`]: a [`LogManager`] (it derefs to one) that also runs scenario
//!   lines, appends records the way Kafka's test suites do (`A(k,v)` with no
//!   timestamp, tombstones), and runs Kafka's `clean(F, U; cap=C)` through the
//!   public API.
//! * Observations of a partition log named after the helpers of Kafka's
//!   `LogCleanerTest` (`keysInLog`, `offsetsInLog`, `lastOffsetsPerBatchInLog`)
//!   and segment layouts (base offsets, sizes, record offsets per segment).
//!
//! Everything here goes through the public API only. Helpers a given module
//! does not use are fine: the module is shared by every test module.

#![allow(dead_code)]

use std::ops::{Deref, DerefMut};

use kcp::cleaner::manager::LogToClean;
use kcp::cleaner::CleanResult;
use kcp::log::PartitionLog;
use kcp::log_manager::{CleanerRun, LogManager, ProduceRequest, ProduceResult};
use kcp::scenario::{self, StepResult};
pub use kcp::TopicPartition;

/// `RecordBatch.NO_TIMESTAMP` as a produce timestamp: Kafka's test records
/// (`A(k,v)` in `cleaner.md` §9.0) carry no timestamp.
pub const NO_TIMESTAMP: Option<i64> = Some(-1);

/// The base config of Kafka's `LogCleanerTest` / `LogCleanerManagerTest`
/// (`cleaner.md` §9.0): compacted, 1 KiB segments, 1 KiB indexes.
pub const BASE_CONFIG: &[(&str, &str)] = &[
    ("cleanup.policy", "compact"),
    ("segment.bytes", "1024"),
    ("segment.index.bytes", "1024"),
];

/// Kafka's default `log.cleaner.dedupe.buffer.size` (128 MiB): what the
/// tests call an unlimited offset map (`cap=∞`).
pub const DEFAULT_DEDUPE_BUFFER_SIZE: usize = 134_217_728;

/// The fields of each entry of a `run` step's `cleanings` in the JSON, as
/// scenario-format.md ("The broker in time") lists them.
pub const RUN_CLEANING_FIELDS: [&str; 9] = [
    "time_ms",
    "topic",
    "partition",
    "first_dirty_offset",
    "end_offset",
    "messages_read",
    "messages_written",
    "bytes_read",
    "bytes_written",
];

/// A simulated broker for tests: a [`LogManager`] with shortcuts.
#[derive(Debug, Clone, Default)]
pub struct Broker {
    pub lm: LogManager,
}

impl Deref for Broker {
    type Target = LogManager;
    fn deref(&self) -> &LogManager {
        &self.lm
    }
}

impl DerefMut for Broker {
    fn deref_mut(&mut self) -> &mut LogManager {
        &mut self.lm
    }
}

impl Broker {
    /// A broker with Kafka's defaults, the clock at 2024-01-01T00:00:00Z.
    pub fn new() -> Self {
        Broker::default()
    }

    /// A broker with one single-partition topic.
    pub fn with_topic(topic: &str, configs: &[(&str, &str)]) -> Self {
        let mut b = Broker::new();
        b.create_topic(topic, 1, configs)
            .unwrap_or_else(|e| panic!("topic {topic}: {e}"));
        b
    }

    /// Runs scenario lines (the `kcp::scenario` language) in order and
    /// returns their results; panics, naming the line, if one is rejected.
    pub fn run(&mut self, script: &str) -> Vec<StepResult> {
        let results = self.run_lenient(script);
        for r in &results {
            assert!(
                r.ok,
                "line {} ({}) failed: {}",
                r.line,
                r.command,
                r.error.as_deref().unwrap_or("?")
            );
        }
        results
    }

    /// Runs scenario lines; a rejected line is recorded (`ok: false`) and
    /// the next one runs, as the scenario runner does.
    pub fn run_lenient(&mut self, script: &str) -> Vec<StepResult> {
        let steps = scenario::parse(script).unwrap_or_else(|e| panic!("syntax error in test script: {e}"));
        steps.iter().map(|s| scenario::run_step(&mut self.lm, s)).collect()
    }

    /// The log of one partition.
    pub fn log(&self, topic: &str, partition: u32) -> &PartitionLog {
        self.lm
            .partition(topic, partition)
            .unwrap_or_else(|e| panic!("{topic}-{partition}: {e}"))
    }

    /// Produces one record to an explicit partition; `None` key: unkeyed,
    /// `None` value: tombstone, `None` timestamp: the clock's now.
    pub fn send(
        &mut self,
        topic: &str,
        partition: u32,
        key: Option<&str>,
        value: Option<&str>,
        timestamp_ms: Option<i64>,
    ) -> kcp::Result<ProduceResult> {
        self.lm.produce(ProduceRequest {
            topic,
            partition: Some(partition),
            timestamp_ms,
            key: key.map(str::as_bytes),
            value: value.map(str::as_bytes),
            producer: None,
        })
    }

    /// Kafka's `A(k,v)` on partition 0: one record, no timestamp. Returns
    /// its offset; panics if the broker rejects it.
    pub fn append(&mut self, topic: &str, key: &str, value: &str) -> i64 {
        self.append_to(topic, 0, key, value, NO_TIMESTAMP)
    }

    /// One keyed record with the given timestamp (`None`: now) to a partition.
    pub fn append_to(&mut self, topic: &str, partition: u32, key: &str, value: &str, ts: Option<i64>) -> i64 {
        self.send(topic, partition, Some(key), Some(value), ts)
            .unwrap_or_else(|e| panic!("produce {key}:{value} to {topic}-{partition}: {e}"))
            .offset
    }

    /// Kafka's `T(k)` on partition 0: a tombstone with no timestamp.
    pub fn tombstone(&mut self, topic: &str, key: &str) -> i64 {
        self.send(topic, 0, Some(key), None, NO_TIMESTAMP)
            .unwrap_or_else(|e| panic!("tombstone {key} to {topic}-0: {e}"))
            .offset
    }

    /// An unkeyed record with no timestamp on partition 0 (only accepted
    /// by topics whose policy has no `compact`).
    pub fn append_unkeyed(&mut self, topic: &str, value: &str) -> i64 {
        self.send(topic, 0, None, Some(value), NO_TIMESTAMP)
            .unwrap_or_else(|e| panic!("produce unkeyed {value} to {topic}-0: {e}"))
            .offset
    }

    /// Rolls one partition (`log.roll()`).
    pub fn roll_partition(&mut self, topic: &str, partition: u32) {
        self.lm
            .roll(topic, Some(partition))
            .unwrap_or_else(|e| panic!("roll {topic}-{partition}: {e}"));
    }

    /// Sizes the offset map as Kafka's test cleaner `makeCleaner(C)`: `C`
    /// slots (`log.cleaner.dedupe.buffer.size = 24 C`) and load factor
    /// 0.75, hence at most `floor(0.75 C)` keys per pass. `None` is the
    /// unlimited map of the tests (`cap=∞`): Kafka's default 128 MiB.
    pub fn set_offset_map_slots(&mut self, slots: Option<usize>) {
        let bytes = slots.map_or(DEFAULT_DEDUPE_BUFFER_SIZE, |c| {
            c * kcp::config::OFFSET_MAP_BYTES_PER_ENTRY
        });
        self.lm
            .alter_broker(&[
                ("log.cleaner.dedupe.buffer.size", &bytes.to_string()),
                ("log.cleaner.io.buffer.load.factor", "0.75"),
            ])
            .unwrap_or_else(|e| panic!("offset map of {slots:?} slots: {e}"));
    }

    /// Kafka's `clean(F, U; cap=C)` (`cleaner.md` §9.0) on partition
    /// `partition`: checkpoint := F, the offset map sized as
    /// [`Broker::set_offset_map_slots`], then one forced cleaning. U is what
    /// the log makes it (the active segment's base after a roll, the
    /// high watermark, or `min.compaction.lag.ms`); check it in
    /// `first_uncleanable_offset`. Panics if nothing was cleaned.
    pub fn clean(&mut self, topic: &str, partition: u32, first_dirty: i64, slots: Option<usize>) -> CleanResult {
        self.lm
            .set_cleaner_checkpoint(topic, partition, first_dirty)
            .unwrap_or_else(|e| panic!("checkpoint {topic}-{partition}: {e}"));
        self.set_offset_map_slots(slots);
        self.clean_now(topic, partition)
            .unwrap_or_else(|| panic!("{topic}-{partition}: nothing to clean from offset {first_dirty}"))
    }

    /// One forced cleaning of a partition from its current checkpoint
    /// (`clean <topic>/<p>`); `None` when its cleanable range is empty.
    pub fn clean_now(&mut self, topic: &str, partition: u32) -> Option<CleanResult> {
        self.lm
            .clean_partition(topic, partition)
            .unwrap_or_else(|e| panic!("clean {topic}-{partition}: {e}"))
            .cleaned
    }

    /// What the cleaner manager would decide for one partition now.
    pub fn plan_for(&self, topic: &str, partition: u32) -> LogToClean {
        self.lm
            .plan_cleaning()
            .into_iter()
            .find(|c| c.topic_partition == TopicPartition::new(topic, partition))
            .unwrap_or_else(|| panic!("{topic}-{partition} is not a compacted partition"))
    }
}

/// The partition a cleaner iteration cleaned, if any.
pub fn cleaned_partition(run: &CleanerRun) -> Option<TopicPartition> {
    run.cleaned.as_ref().map(|c| c.topic_partition.clone())
}

/// The partition a selection chose, if any.
pub fn chosen(selection: &[LogToClean]) -> Option<TopicPartition> {
    selection.iter().find(|c| c.chosen).map(|c| c.topic_partition.clone())
}

/// Bytes as text (keys and values of the tests are UTF-8).
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Kafka's `keysInLog`: keys of the records that have a key and a value
/// (tombstones and unkeyed records excluded), in log order.
pub fn keys(log: &PartitionLog) -> Vec<String> {
    log.records()
        .filter(|(b, r)| !b.is_control() && r.value.is_some())
        .filter_map(|(_, r)| r.key.map(text))
        .collect()
}

/// [`keys`] parsed as integers, as Kafka's tests compare them.
pub fn int_keys(log: &PartitionLog) -> Vec<i64> {
    keys(log)
        .iter()
        .map(|k| k.parse().unwrap_or_else(|_| panic!("key {k:?} is not an integer")))
        .collect()
}

/// Kafka's `offsetsInLog`: offsets of the records with a key and a value.
pub fn offsets(log: &PartitionLog) -> Vec<i64> {
    log.records()
        .filter(|(_, r)| r.key.is_some() && r.value.is_some())
        .map(|(_, r)| r.offset)
        .collect()
}

/// Values of the records with a key and a value, in log order.
pub fn values(log: &PartitionLog) -> Vec<String> {
    log.records()
        .filter(|(_, r)| r.key.is_some())
        .filter_map(|(_, r)| r.value.map(text))
        .collect()
}

/// Offsets of every record still in the log (tombstones and unkeyed
/// records included).
pub fn record_offsets(log: &PartitionLog) -> Vec<i64> {
    log.records().map(|(_, r)| r.offset).collect()
}

/// Offsets of the tombstones (keyed records with a null value).
pub fn tombstone_offsets(log: &PartitionLog) -> Vec<i64> {
    log.records()
        .filter(|(_, r)| r.key.is_some() && r.value.is_none())
        .map(|(_, r)| r.offset)
        .collect()
}

/// Offsets of the unkeyed records.
pub fn unkeyed_offsets(log: &PartitionLog) -> Vec<i64> {
    log.records()
        .filter(|(_, r)| r.key.is_none())
        .map(|(_, r)| r.offset)
        .collect()
}

/// Kafka's `lastOffsetsPerBatchInLog`: each batch's last offset, empty
/// batches included.
pub fn batch_last(log: &PartitionLog) -> Vec<i64> {
    log.segments()
        .iter()
        .flat_map(|s| s.batches())
        .map(|b| b.last_offset())
        .collect()
}

/// Each batch's base offset, empty batches included.
pub fn batch_base(log: &PartitionLog) -> Vec<i64> {
    log.segments()
        .iter()
        .flat_map(|s| s.batches())
        .map(|b| b.base_offset())
        .collect()
}

/// Base offsets of the segments, the active one last.
pub fn segment_bases(log: &PartitionLog) -> Vec<i64> {
    log.segments().iter().map(|s| s.base_offset()).collect()
}

/// Sizes in bytes of the segments, the active one last.
pub fn segment_sizes(log: &PartitionLog) -> Vec<u64> {
    log.segments().iter().map(|s| s.size_bytes()).collect()
}

/// `(base offset, size in bytes)` of every segment, the active one last.
pub fn layout(log: &PartitionLog) -> Vec<(i64, u64)> {
    log.segments()
        .iter()
        .map(|s| (s.base_offset(), s.size_bytes()))
        .collect()
}

/// Offsets of the records of each segment, the active one last.
pub fn segment_offsets(log: &PartitionLog) -> Vec<Vec<i64>> {
    log.segments()
        .iter()
        .map(|s| s.batches().iter().flat_map(|b| b.records().map(|r| r.offset)).collect())
        .collect()
}

/// Total size of the segments whose base offset is below `offset`
/// (Kafka's `log.logSegments(0, offset).map(_.size).sum`).
pub fn size_below(log: &PartitionLog, offset: i64) -> u64 {
    log.segments()
        .iter()
        .filter(|s| s.base_offset() < offset)
        .map(|s| s.size_bytes())
        .sum()
}

/// Values Kafka's `LogConfigTest.testFromPropsInvalid` expects every topic
/// config to reject: not a number, and -1 for most (not for the retention
/// configs, where -1 means unlimited).
pub fn invalid_topic_config_values(name: &str) -> &'static [&'static str] {
    match name {
        "unclean.leader.election.enable" => &["not a boolean"],
        "retention.bytes" | "retention.ms" => &["not_a_number"],
        "cleanup.policy" => &["true", "foobar"],
        "min.cleanable.dirty.ratio" => &["not_a_number", "-0.1", "1.2"],
        "min.insync.replicas" => &["not_a_number", "0", "-1"],
        _ => &["not_a_number", "-1"],
    }
}
