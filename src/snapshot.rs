//! Serializable views of the broker: the one contract shared by the CLI's
//! `run --json`, the JS API and the page.
//!
//! Field names and shapes follow `scenario-format.md` (snake_case, offsets
//! and timestamps as integers, keys and values as UTF-8 text or null).
//! Fields may be added, never renamed. Views copy what they show, so a page
//! can keep an old snapshot (before/after a cleaning) while the log moves on.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::batch::RecordBatch;
use crate::log::segment::LogSegment;
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
    pub batches: Vec<BatchSnapshot>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BatchSnapshot {
    pub base_offset: i64,
    pub last_offset: i64,
    pub size_bytes: u64,
    pub max_timestamp_ms: i64,
    /// Set by the cleaner on a batch holding a tombstone it retained.
    pub delete_horizon_ms: Option<i64>,
    pub records: Vec<RecordSnapshot>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordSnapshot {
    pub offset: i64,
    pub timestamp_ms: i64,
    pub key: Option<String>,
    pub value: Option<String>,
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
            batches: batches[skip..].iter().map(BatchSnapshot::of).collect(),
        }
    }
}

impl BatchSnapshot {
    pub fn of(b: &RecordBatch) -> Self {
        BatchSnapshot {
            base_offset: b.base_offset(),
            last_offset: b.last_offset(),
            size_bytes: b.size_bytes(),
            max_timestamp_ms: b.max_timestamp_ms,
            delete_horizon_ms: b.delete_horizon_ms(),
            records: b
                .records()
                .iter()
                .map(|r| RecordSnapshot {
                    offset: r.offset,
                    timestamp_ms: b.timestamp_of(r),
                    key: r.key.as_deref().map(display_bytes),
                    value: r.value.as_deref().map(display_bytes),
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
        }
    }
}

/// What a consumer reading from the start ends up with: key -> latest
/// value, a tombstone removing the key (the seed tutorials' "local cache").
pub fn materialize(log: &PartitionLog) -> BTreeMap<String, String> {
    let mut state = BTreeMap::new();
    for (_, r) in log.records() {
        let Some(key) = r.key.as_deref() else { continue };
        match r.value.as_deref() {
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
