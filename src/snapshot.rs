//! Serializable views of the broker: the one contract shared by the CLI's
//! `run --json`, the JS API and the page.
//!
//! Field names and shapes follow `scenario-format.md` (snake_case, offsets
//! and timestamps as integers, keys and values as UTF-8 text or null).
//! Fields may be added, never renamed. Views copy what they show, so a page
//! can keep an old snapshot (before/after a cleaning) while the log moves on.
//!
//! [`TopicsView`] writes the same JSON as a `Vec<TopicSnapshot>` without
//! copying: it borrows the broker and makes one batch's snapshot at a time,
//! so that `run --json` of millions of records streams instead of holding
//! the log twice in memory (and a third time as text).

use std::collections::BTreeMap;

use serde::ser::{SerializeSeq, SerializeStruct, Serializer};
use serde::Serialize;

use crate::batch::RecordBatch;
use crate::log::producer_state::{control_type, OpenTxn};
use crate::log::segment::{Batches, LogSegment};
use crate::log::transaction_index::AbortedTxn;
use crate::log::{FetchedRecord, PartitionLog};
use crate::log_manager::LogManager;
use crate::record::display_bytes;
use crate::topic::Topic;

/// The whole broker.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BrokerSnapshot {
    pub now_ms: i64,
    pub topics: Vec<TopicSnapshot>,
    /// The broker's cleaner settings by Kafka name.
    pub broker_config: BTreeMap<String, String>,
    /// The producer clients, in the order of their names.
    pub producers: Vec<ProducerSnapshot>,
}

/// A producer client (`producer` line) as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProducerSnapshot {
    pub name: String,
    /// `None` with `enable.idempotence=false`.
    pub producer_id: Option<i64>,
    pub producer_epoch: i16,
    pub transactional_id: Option<String>,
    /// `TransactionManager`'s state: `READY` or `IN_TRANSACTION`.
    pub state: &'static str,
    /// The partitions the open transaction wrote to (`t-0`, ...).
    pub transaction_partitions: Vec<String>,
    /// The next sequence per partition (`t-0` -> 3).
    pub next_sequences: BTreeMap<String, i32>,
}

impl ProducerSnapshot {
    pub fn of(p: &crate::log_manager::ProducerClient) -> Self {
        ProducerSnapshot {
            name: p.name.clone(),
            producer_id: p.producer_id,
            producer_epoch: p.producer_epoch,
            transactional_id: p.transactional_id.clone(),
            state: p.state(),
            transaction_partitions: p.transaction.iter().flatten().map(ToString::to_string).collect(),
            next_sequences: p.sequences.iter().map(|(tp, s)| (tp.to_string(), *s)).collect(),
        }
    }

    /// Every producer client of the broker.
    pub fn all(broker: &LogManager) -> Vec<Self> {
        broker.producers().map(ProducerSnapshot::of).collect()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopicSnapshot {
    pub name: String,
    /// Every effective topic config, as strings.
    pub config: BTreeMap<String, String>,
    /// Only the configs set on the topic (what `kafka-configs --describe` lists).
    pub overrides: BTreeMap<String, String>,
    pub partitions: Vec<PartitionSnapshot>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartitionSnapshot {
    pub partition: u32,
    pub log_start_offset: i64,
    pub log_end_offset: i64,
    pub high_watermark: i64,
    /// The first offset of the oldest open transaction, or the high
    /// watermark when none is open.
    pub last_stable_offset: i64,
    /// Open transactions, oldest first: what holds the last stable offset.
    pub open_transactions: Vec<OpenTxn>,
    /// The cleaner checkpoint, with Kafka's resets applied.
    pub first_dirty_offset: i64,
    pub size_bytes: u64,
    pub record_count: u64,
    pub segments: Vec<SegmentSnapshot>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SegmentSnapshot {
    pub base_offset: i64,
    pub size_bytes: u64,
    pub active: bool,
    pub created_ms: i64,
    pub last_modified_ms: i64,
    /// Max record timestamp, or the mtime when records carry none.
    pub largest_timestamp_ms: i64,
    pub record_count: u64,
    /// The segment's `.txnindex`: transactions aborted by markers in it.
    pub aborted_transactions: Vec<AbortedTxn>,
    pub batches: Vec<BatchSnapshot>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BatchSnapshot {
    pub base_offset: i64,
    pub last_offset: i64,
    pub size_bytes: u64,
    pub max_timestamp_ms: i64,
    /// Set by the cleaner on a batch holding a tombstone (or a removable
    /// transaction marker) it retained.
    pub delete_horizon_ms: Option<i64>,
    /// -1 for a plain producer.
    pub producer_id: i64,
    pub producer_epoch: i16,
    pub base_sequence: i32,
    pub transactional: bool,
    /// A control batch: a transaction marker.
    pub control: bool,
    pub records: Vec<RecordSnapshot>,
}

/// A record; a transaction marker's record has `control` (`COMMIT` or
/// `ABORT`) and is written without key and value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordSnapshot {
    pub offset: i64,
    pub timestamp_ms: i64,
    pub key: Option<String>,
    pub value: Option<String>,
    pub control: Option<&'static str>,
}

impl Serialize for RecordSnapshot {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut st = serializer.serialize_struct("RecordSnapshot", 4)?;
        st.serialize_field("offset", &self.offset)?;
        st.serialize_field("timestamp_ms", &self.timestamp_ms)?;
        match self.control {
            Some(c) => st.serialize_field("control", c)?,
            None => {
                st.serialize_field("key", &self.key)?;
                st.serialize_field("value", &self.value)?;
            }
        }
        st.end()
    }
}

impl BrokerSnapshot {
    /// Everything, every record included.
    pub fn of(broker: &LogManager) -> Self {
        BrokerSnapshot {
            now_ms: broker.now_ms(),
            topics: broker
                .topics()
                .map(|t| TopicSnapshot::of(broker, t, usize::MAX))
                .collect(),
            broker_config: broker
                .broker_config()
                .entries()
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
            producers: ProducerSnapshot::all(broker),
        }
    }
}

impl TopicSnapshot {
    /// The topic, with at most `max_batches_per_partition` batches listed per
    /// partition (the newest ones), so a page can show huge logs.
    pub fn of(broker: &LogManager, topic: &Topic, max_batches_per_partition: usize) -> Self {
        TopicSnapshot {
            name: topic.name().to_string(),
            config: topic
                .config()
                .entries()
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
            overrides: topic
                .overrides()
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            partitions: topic
                .partitions()
                .iter()
                .map(|log| {
                    let first_dirty = broker
                        .first_dirty_offset(topic.name(), log.partition())
                        .unwrap_or(log.log_start_offset());
                    PartitionSnapshot::of(log, first_dirty, max_batches_per_partition)
                })
                .collect(),
        }
    }
}

impl PartitionSnapshot {
    /// A partition; beyond `max_batches` only segment summaries (with empty
    /// `batches`) are given for the older segments.
    pub fn of(log: &PartitionLog, first_dirty_offset: i64, max_batches: usize) -> Self {
        let segs = log.segments();
        let mut budget = max_batches;
        let mut segments: Vec<SegmentSnapshot> = segs
            .iter()
            .rev()
            .map(|s| {
                let take = budget.min(s.batches().len());
                budget -= take;
                SegmentSnapshot::of(s, std::ptr::eq(s, log.active_segment()), take)
            })
            .collect();
        segments.reverse();
        PartitionSnapshot {
            partition: log.partition(),
            log_start_offset: log.log_start_offset(),
            log_end_offset: log.log_end_offset(),
            high_watermark: log.high_watermark(),
            last_stable_offset: log.last_stable_offset(),
            open_transactions: log.producer_state().open_transactions().collect(),
            first_dirty_offset,
            size_bytes: log.size_bytes(),
            record_count: segments.iter().map(|s| s.record_count).sum(),
            segments,
        }
    }
}

impl SegmentSnapshot {
    /// A segment with its newest `max_batches` batches.
    pub fn of(seg: &LogSegment, active: bool, max_batches: usize) -> Self {
        let batches = seg.batches();
        let skip = batches.len().saturating_sub(max_batches);
        SegmentSnapshot {
            base_offset: seg.base_offset(),
            size_bytes: seg.size_bytes(),
            active,
            created_ms: seg.created_ms(),
            last_modified_ms: seg.last_modified_ms(),
            largest_timestamp_ms: seg.largest_timestamp_ms(),
            record_count: seg.record_count(),
            aborted_transactions: seg.txn_index().entries().to_vec(),
            batches: batches.tail(skip).iter().map(BatchSnapshot::of).collect(),
        }
    }
}

impl BatchSnapshot {
    pub fn of(b: &RecordBatch) -> Self {
        BatchSnapshot {
            base_offset: b.base_offset(),
            last_offset: b.last_offset(),
            size_bytes: b.size_bytes(),
            max_timestamp_ms: b.max_timestamp_ms(),
            delete_horizon_ms: b.delete_horizon_ms(),
            producer_id: b.producer_id(),
            producer_epoch: b.producer_epoch(),
            base_sequence: b.base_sequence(),
            transactional: b.is_transactional(),
            control: b.is_control(),
            records: b
                .records()
                .map(|r| {
                    if b.is_control() {
                        RecordSnapshot {
                            offset: r.offset,
                            timestamp_ms: b.timestamp_of(&r),
                            key: None,
                            value: None,
                            control: Some(control_type(r.key).map_or("UNKNOWN", |c| c.name())),
                        }
                    } else {
                        RecordSnapshot {
                            offset: r.offset,
                            timestamp_ms: b.timestamp_of(&r),
                            key: r.key.map(display_bytes),
                            value: r.value.map(display_bytes),
                            control: None,
                        }
                    }
                })
                .collect(),
        }
    }
}

impl From<&FetchedRecord> for RecordSnapshot {
    fn from(r: &FetchedRecord) -> Self {
        RecordSnapshot {
            offset: r.offset,
            timestamp_ms: r.timestamp_ms,
            key: r.key.as_deref().map(display_bytes),
            value: r.value.as_deref().map(display_bytes),
            control: None,
        }
    }
}

/// Every topic of a broker, serialized as `Vec<TopicSnapshot>` is, field for
/// field, without copying the records first.
#[derive(Debug, Clone, Copy)]
pub struct TopicsView<'a>(pub &'a LogManager);

impl Serialize for TopicsView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let broker = self.0;
        let mut seq = serializer.serialize_seq(Some(broker.topics().count()))?;
        for topic in broker.topics() {
            seq.serialize_element(&TopicView { broker, topic })?;
        }
        seq.end()
    }
}

/// One topic as [`TopicSnapshot`] serializes it.
struct TopicView<'a> {
    broker: &'a LogManager,
    topic: &'a Topic,
}

impl Serialize for TopicView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let topic = self.topic;
        let config: BTreeMap<&str, String> = topic.config().entries().into_iter().collect();
        let overrides: BTreeMap<&str, String> = topic.overrides().iter().map(|(k, v)| (k, v.to_string())).collect();
        let mut st = serializer.serialize_struct("TopicSnapshot", 4)?;
        st.serialize_field("name", topic.name())?;
        st.serialize_field("config", &config)?;
        st.serialize_field("overrides", &overrides)?;
        st.serialize_field("partitions", &PartitionsView(self.broker, topic))?;
        st.end()
    }
}

struct PartitionsView<'a>(&'a LogManager, &'a Topic);

impl Serialize for PartitionsView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (broker, topic) = (self.0, self.1);
        let mut seq = serializer.serialize_seq(Some(topic.partitions().len()))?;
        for log in topic.partitions() {
            let first_dirty = broker
                .first_dirty_offset(topic.name(), log.partition())
                .unwrap_or(log.log_start_offset());
            seq.serialize_element(&PartitionView { log, first_dirty })?;
        }
        seq.end()
    }
}

/// One partition as [`PartitionSnapshot`] serializes it (every batch).
struct PartitionView<'a> {
    log: &'a PartitionLog,
    first_dirty: i64,
}

impl Serialize for PartitionView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let log = self.log;
        let mut st = serializer.serialize_struct("PartitionSnapshot", 10)?;
        st.serialize_field("partition", &log.partition())?;
        st.serialize_field("log_start_offset", &log.log_start_offset())?;
        st.serialize_field("log_end_offset", &log.log_end_offset())?;
        st.serialize_field("high_watermark", &log.high_watermark())?;
        st.serialize_field("last_stable_offset", &log.last_stable_offset())?;
        let open: Vec<OpenTxn> = log.producer_state().open_transactions().collect();
        st.serialize_field("open_transactions", &open)?;
        st.serialize_field("first_dirty_offset", &self.first_dirty)?;
        st.serialize_field("size_bytes", &log.size_bytes())?;
        st.serialize_field("record_count", &log.record_count())?;
        st.serialize_field("segments", &SegmentsView(log))?;
        st.end()
    }
}

struct SegmentsView<'a>(&'a PartitionLog);

impl Serialize for SegmentsView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let log = self.0;
        let mut seq = serializer.serialize_seq(Some(log.segments().len()))?;
        for seg in log.segments() {
            seq.serialize_element(&SegmentView {
                seg,
                active: std::ptr::eq(seg, log.active_segment()),
            })?;
        }
        seq.end()
    }
}

/// One segment as [`SegmentSnapshot`] serializes it, a batch at a time.
struct SegmentView<'a> {
    seg: &'a LogSegment,
    active: bool,
}

impl Serialize for SegmentView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let seg = self.seg;
        let mut st = serializer.serialize_struct("SegmentSnapshot", 9)?;
        st.serialize_field("base_offset", &seg.base_offset())?;
        st.serialize_field("size_bytes", &seg.size_bytes())?;
        st.serialize_field("active", &self.active)?;
        st.serialize_field("created_ms", &seg.created_ms())?;
        st.serialize_field("last_modified_ms", &seg.last_modified_ms())?;
        st.serialize_field("largest_timestamp_ms", &seg.largest_timestamp_ms())?;
        st.serialize_field("record_count", &seg.record_count())?;
        st.serialize_field("aborted_transactions", seg.txn_index().entries())?;
        st.serialize_field("batches", &BatchesView(seg.batches()))?;
        st.end()
    }
}

struct BatchesView<'a>(Batches<'a>);

impl Serialize for BatchesView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(BatchSnapshot::of))
    }
}

/// What a consumer reading from the start ends up with: key -> latest
/// value, a tombstone removing the key (the seed tutorials' "local cache").
/// A `read_uncommitted` consumer: aborted records count, markers do not.
pub fn materialize(log: &PartitionLog) -> BTreeMap<String, String> {
    let mut state = BTreeMap::new();
    for (_, r) in log.records().filter(|(b, _)| !b.is_control()) {
        let Some(key) = r.key else { continue };
        match r.value {
            Some(v) => {
                state.insert(display_bytes(key), display_bytes(v));
            }
            None => {
                state.remove(&display_bytes(key));
            }
        }
    }
    state
}

/// [`materialize`] for a `read_committed` consumer: up to the last stable
/// offset, aborted records skipped.
pub fn materialize_committed(log: &PartitionLog) -> BTreeMap<String, String> {
    let mut state = BTreeMap::new();
    let records = log
        .read_isolated(
            log.log_start_offset(),
            usize::MAX,
            crate::log::IsolationLevel::ReadCommitted,
        )
        .unwrap_or_default();
    for r in records {
        let Some(key) = r.key else { continue };
        match r.value {
            Some(v) => {
                state.insert(display_bytes(&key), display_bytes(&v));
            }
            None => {
                state.remove(&display_bytes(&key));
            }
        }
    }
    state
}
