//! Deleting old segments: time and size retention and the log start offset.
//!
//! Models `UnifiedLog.deleteOldSegments` and its three passes (log start
//! offset breach, `retention.bytes`, `retention.ms`). Whole segments go,
//! oldest first, keys or no keys; the log start offset moves to the first
//! surviving segment. Simplified: segments disappear at once
//! (`file.delete.delay.ms` only matters to files).

use serde::Serialize;

use crate::config::TopicConfig;
use crate::log::segment::LogSegment;
use crate::log::PartitionLog;
use crate::topic_partition::TopicPartition;

/// Why a segment was deleted (Kafka's `SegmentDeletionReason`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeletionReason {
    /// `retention.ms`: the segment's largest timestamp is older than it.
    RetentionMs,
    /// `retention.bytes`: the partition is larger than it.
    RetentionBytes,
    /// The whole segment lies below the log start offset.
    LogStartOffset,
}

impl DeletionReason {
    /// The config (or cause) that was breached; also its `Display`.
    pub fn describe(self) -> &'static str {
        match self {
            DeletionReason::RetentionMs => "retention.ms",
            DeletionReason::RetentionBytes => "retention.bytes",
            DeletionReason::LogStartOffset => "log start offset",
        }
    }
}

impl std::fmt::Display for DeletionReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.describe())
    }
}

/// One deleted segment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SegmentDeletion {
    /// Flattened: the JSON contract has `topic` and `partition` side by side.
    #[serde(flatten)]
    pub topic_partition: TopicPartition,
    pub base_offset: i64,
    pub size_bytes: u64,
    pub reason: DeletionReason,
    /// The log start offset after the deletion.
    pub log_start_offset: i64,
}

/// Runs the three deletion passes on `log` as Kafka does (policy `delete`:
/// all three; otherwise only the log start offset breach).
pub fn delete_old_segments(
    log: &mut PartitionLog,
    config: &TopicConfig,
    now_ms: i64,
    roll_jitter_ms: i64,
) -> Vec<SegmentDeletion> {
    let mut out = Vec::new();
    out.extend(delete_while(
        log,
        now_ms,
        roll_jitter_ms,
        DeletionReason::LogStartOffset,
        |seg, next, lso| {
            // deleteLogStartOffsetBreachedSegments: the next segment starts at
            // or below the log start offset.
            next.is_some_and(|n| n.base_offset() <= lso) && seg.base_offset() < lso
        },
    ));
    if !config.cleanup_policy.delete {
        return out;
    }
    // deleteRetentionSizeBreachedSegments
    if config.retention_bytes >= 0 {
        let size = log.size_bytes();
        if size >= config.retention_bytes as u64 {
            let mut diff = size - config.retention_bytes as u64;
            out.extend(delete_while(
                log,
                now_ms,
                roll_jitter_ms,
                DeletionReason::RetentionBytes,
                |seg, _, _| {
                    if diff >= seg.size_bytes() {
                        diff -= seg.size_bytes();
                        true
                    } else {
                        false
                    }
                },
            ));
        }
    }
    // deleteRetentionMsBreachedSegments
    if config.retention_ms >= 0 {
        let retention = config.retention_ms;
        out.extend(delete_while(
            log,
            now_ms,
            roll_jitter_ms,
            DeletionReason::RetentionMs,
            |seg, _, _| now_ms.saturating_sub(seg.largest_timestamp_ms()) > retention,
        ));
    }
    out
}

/// `deletableSegments` + `deleteSegments`: walks from the oldest segment and
/// stops at the first that fails the predicate, that is not below the high
/// watermark, or that is the last and empty.
fn delete_while(
    log: &mut PartitionLog,
    now_ms: i64,
    roll_jitter_ms: i64,
    reason: DeletionReason,
    mut predicate: impl FnMut(&LogSegment, Option<&LogSegment>, i64) -> bool,
) -> Vec<SegmentDeletion> {
    let hw = log.high_watermark();
    let lso = log.log_start_offset();
    let leo = log.log_end_offset();
    let segs = log.segments();
    let mut count = 0;
    for (i, seg) in segs.iter().enumerate() {
        let next = segs.get(i + 1);
        let upper_bound = next.map_or(leo, |n| n.base_offset());
        let last_and_empty = next.is_none() && seg.is_empty();
        if !last_and_empty && hw >= upper_bound && predicate(seg, next, lso) {
            count += 1;
        } else {
            break;
        }
    }
    let deleted = log.delete_oldest_segments(count, now_ms, roll_jitter_ms);
    let new_lso = log.log_start_offset();
    deleted
        .into_iter()
        .map(|seg| SegmentDeletion {
            topic_partition: log.topic_partition().clone(),
            base_offset: seg.base_offset(),
            size_bytes: seg.size_bytes(),
            reason,
            log_start_offset: new_lso,
        })
        .collect()
}
