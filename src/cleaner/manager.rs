//! Which log the cleaner cleans next, which range, and why.
//!
//! Models Kafka's `LogCleanerManager` (`cleanableOffsets`,
//! `maxCompactionDelay`, `grabFilthiestCompactedLog`, `updateCheckpoints`)
//! and `LogToClean`. This is policy: `LogCleanerManager::plan` decides and
//! explains, and changes nothing, so a page can preview it as often as it
//! draws. Every number it uses is in [`LogToClean`], with an [`Eligibility`]
//! saying why a log is or is not eligible, so the page can draw the decision.
//! Rewriting invalid checkpoints, which Kafka does while it grabs the
//! filthiest log, is returned in the [`CleaningPlan`] for the caller (the
//! cleaner thread's iteration) to apply with
//! `LogCleanerManager::update_checkpoints`.
//!
//! Simplified: there is one cleaner pass at a time, so no log is ever "in
//! progress", paused or aborted; no log is ever marked uncleanable (the
//! simulation does not fail). Ties of the dirty ratio go to the first
//! partition in (topic name, partition) order: Kafka's order is that of a
//! hash map, i.e. unspecified.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Serialize, Serializer};

use crate::config::TopicConfig;
use crate::log::segment::LogSegment;
use crate::log::PartitionLog;
use crate::topic::Topic;
use crate::topic_partition::TopicPartition;

/// Cleaner checkpoints: each compacted partition's first dirty offset.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogCleanerManager {
    /// `cleaner-offset-checkpoint`.
    checkpoints: BTreeMap<TopicPartition, i64>,
}

/// What bounds the cleanable range from above. Serialized as its snake_case
/// name (`active_segment`, ..., `last_stable_offset`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UncleanableBound {
    /// The active segment's base offset: the active segment is never cleaned.
    ActiveSegment,
    /// A segment with records newer than `min.compaction.lag.ms`.
    MinCompactionLag,
    /// The high watermark / last stable offset.
    HighWatermark,
    /// The last stable offset below the high watermark: the first offset of
    /// an open transaction (of `producer_id`), which the cleaner never passes.
    LastStableOffset { producer_id: i64, first_offset: i64 },
    /// Nothing is dirty: the first dirty offset is already there.
    FirstDirtyOffset,
}

impl UncleanableBound {
    /// The bound in words ("bounded by ..."), without the details of an
    /// open transaction (its `Display` has them).
    pub fn describe(self) -> &'static str {
        match self {
            UncleanableBound::ActiveSegment => "the active segment, which is never cleaned",
            UncleanableBound::MinCompactionLag => "a segment younger than min.compaction.lag.ms",
            UncleanableBound::HighWatermark => "the high watermark",
            UncleanableBound::LastStableOffset { .. } => "the last stable offset (an open transaction)",
            UncleanableBound::FirstDirtyOffset => "the first dirty offset (nothing is dirty yet)",
        }
    }

    /// The JSON name.
    pub fn name(self) -> &'static str {
        match self {
            UncleanableBound::ActiveSegment => "active_segment",
            UncleanableBound::MinCompactionLag => "min_compaction_lag",
            UncleanableBound::HighWatermark => "high_watermark",
            UncleanableBound::LastStableOffset { .. } => "last_stable_offset",
            UncleanableBound::FirstDirtyOffset => "first_dirty_offset",
        }
    }
}

impl Serialize for UncleanableBound {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl fmt::Display for UncleanableBound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            UncleanableBound::LastStableOffset {
                producer_id,
                first_offset,
            } => write!(
                f,
                "the last stable offset {first_offset}: the transaction of producer {producer_id} is open since \
                 offset {first_offset}, and the cleaner never cleans past it"
            ),
            b => f.write_str(b.describe()),
        }
    }
}

/// Why a compacted log is or is not eligible for cleaning, with the numbers
/// that decided it (`grabFilthiestCompactedLog`'s filters, in its order).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Eligibility {
    /// The log start offset is the log end offset.
    EmptyLog,
    /// No bytes at all below the first uncleanable offset: Kafka drops logs
    /// whose `totalBytes` is 0 before looking at ratios.
    NothingToClean {
        first_uncleanable_offset: i64,
        bound: UncleanableBound,
    },
    /// `cleanableRatio > minCleanableRatio`.
    DirtyRatioAbove {
        dirty_ratio: f64,
        min_cleanable_dirty_ratio: f64,
    },
    /// `needCompactionNow`: the oldest dirty segment is past
    /// `max.compaction.lag.ms`, so the ratio does not matter.
    MaxCompactionLagExceeded {
        delay_ms: i64,
        dirty_ratio: f64,
        min_cleanable_dirty_ratio: f64,
    },
    /// Clean bytes, but none dirty below the first uncleanable offset.
    NoDirtyData {
        first_uncleanable_offset: i64,
        bound: UncleanableBound,
    },
    /// Dirty bytes, but a ratio at or below `min.cleanable.dirty.ratio`.
    DirtyRatioNotAbove {
        dirty_ratio: f64,
        min_cleanable_dirty_ratio: f64,
    },
}

impl Eligibility {
    /// Whether the cleaner thread may pick the log.
    pub fn is_eligible(&self) -> bool {
        matches!(
            self,
            Eligibility::DirtyRatioAbove { .. } | Eligibility::MaxCompactionLagExceeded { .. }
        )
    }
}

/// A sentence for people: the one the `reason` of the JSON contract carries.
impl fmt::Display for Eligibility {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Eligibility::EmptyLog => f.write_str("empty log: nothing to clean"),
            Eligibility::NothingToClean {
                first_uncleanable_offset,
                bound,
            } => write!(
                f,
                "nothing to clean: every record is at or past offset {first_uncleanable_offset}, bounded by {bound}"
            ),
            Eligibility::DirtyRatioAbove {
                dirty_ratio,
                min_cleanable_dirty_ratio,
            } => {
                let (r, t) = ratios(dirty_ratio, min_cleanable_dirty_ratio);
                write!(f, "dirty ratio {r} > min.cleanable.dirty.ratio {t}")
            }
            Eligibility::MaxCompactionLagExceeded {
                delay_ms,
                dirty_ratio,
                min_cleanable_dirty_ratio,
            } => {
                let (r, t) = ratios(dirty_ratio, min_cleanable_dirty_ratio);
                write!(
                    f,
                    "max.compaction.lag.ms exceeded by {delay_ms} ms (dirty ratio {r} is not above min.cleanable.dirty.ratio {t})"
                )
            }
            Eligibility::NoDirtyData {
                first_uncleanable_offset,
                bound,
            } => write!(
                f,
                "no dirty data below the first uncleanable offset {first_uncleanable_offset}, bounded by {bound}"
            ),
            Eligibility::DirtyRatioNotAbove {
                dirty_ratio,
                min_cleanable_dirty_ratio,
            } => {
                let (r, t) = ratios(dirty_ratio, min_cleanable_dirty_ratio);
                write!(f, "dirty ratio {r} is not above min.cleanable.dirty.ratio {t}")
            }
        }
    }
}

/// Why the manager picked a log or not: its [`Eligibility`], and whether
/// another eligible log was picked instead. Serialised as its sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct SelectionReason {
    pub eligibility: Eligibility,
    /// Eligible, but the iteration picked a log with a higher dirty ratio.
    pub outranked: bool,
    /// Eligible and exactly as dirty as the log that was picked. Kafka picks
    /// among equals in the order of its log pool, a hash map, so it does not
    /// define which; the playground takes topic, then partition order.
    pub tied_with: Option<TopicPartition>,
}

impl fmt::Display for SelectionReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.eligibility)?;
        if let Some(picked) = &self.tied_with {
            write!(
                f,
                " (eligible, and exactly as dirty as {picked}, which was picked: Kafka leaves the order of equally \
                 dirty logs open; the playground takes topic, then partition order)"
            )?;
        } else if self.outranked {
            f.write_str(" (eligible, but another log is dirtier)")?;
        }
        Ok(())
    }
}

impl Serialize for SelectionReason {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// One compacted partition as the manager saw it (Kafka's `LogToClean`,
/// plus the explanation).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LogToClean {
    /// Flattened: the JSON contract has `topic` and `partition` side by side.
    #[serde(flatten)]
    pub topic_partition: TopicPartition,
    /// Where the next cleaning starts (the checkpoint, after resets).
    pub first_dirty_offset: i64,
    /// Where it must stop: a segment base offset.
    pub first_uncleanable_offset: i64,
    pub uncleanable_bound: UncleanableBound,
    /// Size of the segments below the first dirty offset.
    pub clean_bytes: u64,
    /// Size of the segments from the one holding the first dirty offset up
    /// to the first uncleanable offset.
    pub cleanable_bytes: u64,
    /// The active segment and everything else past the first uncleanable
    /// offset: in neither numerator nor denominator.
    pub uncleanable_bytes: u64,
    /// `cleanable / (clean + cleanable)`.
    pub dirty_ratio: f64,
    pub min_cleanable_dirty_ratio: f64,
    /// How long past `max.compaction.lag.ms` the oldest dirty segment is.
    pub max_compaction_delay_ms: i64,
    /// `reason.eligibility.is_eligible()`, kept as a field for the JSON contract.
    pub eligible: bool,
    /// Picked by this iteration (the eligible log with the highest ratio).
    pub chosen: bool,
    /// Why, as data; serialised as a sentence for people.
    pub reason: SelectionReason,
    pub log_end_offset: i64,
}

/// What one cleaner-thread iteration would do: every compacted log with its
/// numbers (at most one `chosen`), and the checkpoints to rewrite.
#[derive(Debug, Clone, PartialEq)]
pub struct CleaningPlan {
    /// Every compacted partition, in (topic, partition) order.
    pub logs: Vec<LogToClean>,
    /// Invalid checkpoints and the first dirty offset each resets to.
    /// Kafka rewrites them even when the log is not selected
    /// (`updateCheckpoints` in `grabFilthiestCompactedLog`).
    pub checkpoint_resets: Vec<(TopicPartition, i64)>,
}

impl CleaningPlan {
    /// The log the iteration cleans, if any.
    pub fn chosen(&self) -> Option<&LogToClean> {
        self.logs.iter().find(|c| c.chosen)
    }
}

impl LogCleanerManager {
    /// The stored checkpoint, if the partition was ever cleaned.
    pub(crate) fn checkpoint(&self, tp: &TopicPartition) -> Option<i64> {
        self.checkpoints.get(tp).copied()
    }

    /// `doneCleaning`: the next cleaning starts at `end_offset`.
    pub(crate) fn done_cleaning(&mut self, tp: TopicPartition, end_offset: i64) {
        self.checkpoints.insert(tp, end_offset);
    }

    /// `updateCheckpoints`: stores the resets a [`CleaningPlan`] found.
    pub(crate) fn update_checkpoints(&mut self, resets: &[(TopicPartition, i64)]) {
        for (tp, offset) in resets {
            self.checkpoints.insert(tp.clone(), *offset);
        }
    }

    /// The first dirty offset with Kafka's resets (`cleanableOffsets`):
    /// no checkpoint, or one below the log start offset or past the LEO,
    /// means the log start offset.
    pub(crate) fn first_dirty_offset(&self, log: &PartitionLog) -> i64 {
        first_dirty(self.checkpoint(log.topic_partition()), log).0
    }

    /// Looks at every compacted partition (`grabFilthiestCompactedLog`) and
    /// marks the one to clean, if any. Changes nothing: the checkpoints to
    /// rewrite are in the plan, for the caller to apply.
    pub(crate) fn plan(&self, topics: &BTreeMap<String, Topic>, now_ms: i64) -> CleaningPlan {
        let mut logs = Vec::new();
        let mut checkpoint_resets = Vec::new();
        for topic in topics.values() {
            if !topic.config().cleanup_policy.compact {
                continue;
            }
            for log in topic.partitions() {
                let (f, force_update) = first_dirty(self.checkpoint(log.topic_partition()), log);
                if force_update {
                    checkpoint_resets.push((log.topic_partition().clone(), f));
                }
                logs.push(log_to_clean(log, topic.config(), f, now_ms));
            }
        }
        // The filthiest eligible log; `max` keeps the first of equals.
        let mut best: Option<usize> = None;
        for (i, c) in logs.iter().enumerate() {
            if c.eligible && best.is_none_or(|b| c.dirty_ratio > logs[b].dirty_ratio) {
                best = Some(i);
            }
        }
        if let Some(b) = best {
            logs[b].chosen = true;
            let (picked, picked_ratio) = (logs[b].topic_partition.clone(), logs[b].dirty_ratio);
            for (i, c) in logs.iter_mut().enumerate() {
                if c.eligible && i != b {
                    c.reason.outranked = true;
                    if c.dirty_ratio == picked_ratio {
                        c.reason.tied_with = Some(picked.clone());
                    }
                }
            }
        }
        CleaningPlan {
            logs,
            checkpoint_resets,
        }
    }
}

/// (first dirty offset, whether the checkpoint must be rewritten).
fn first_dirty(checkpoint: Option<i64>, log: &PartitionLog) -> (i64, bool) {
    let start = log.log_start_offset();
    match checkpoint {
        None => (start, false),
        // "Resetting first dirty offset ... to log start offset"
        Some(c) if c < start => (start, true),
        // "... larger than the log end offset ... Resetting to the log start offset"
        Some(c) if c > log.log_end_offset() => (start, true),
        Some(c) => (c, false),
    }
}

/// Segments from the one containing `offset` (floor) up to, not including,
/// the active segment (`nonActiveLogSegmentsFrom`).
fn non_active_segments_from(log: &PartitionLog, offset: i64) -> &[LogSegment] {
    let segs = log.segments();
    let from = log.segment_index_for(offset).unwrap_or(0);
    &segs[from.min(segs.len() - 1)..segs.len() - 1]
}

/// Total size of the segments that overlap `[from, to)` (`logSegments(from, to)`).
fn bytes_between(log: &PartitionLog, from: i64, to: i64) -> u64 {
    let segs = log.segments();
    let start = log.segment_index_for(from).unwrap_or(0);
    segs[start..]
        .iter()
        .take_while(|s| s.base_offset() < to)
        .map(LogSegment::size_bytes)
        .sum()
}

fn log_to_clean(log: &PartitionLog, config: &TopicConfig, f: i64, now_ms: i64) -> LogToClean {
    // cleanableOffsets: min of the LSO, the active segment base and (with a
    // min lag) the first segment from F with records newer than the lag.
    let active_base = log.active_segment().base_offset();
    let mut raw = log.last_stable_offset();
    let mut bound = match log.producer_state().open_transactions().next() {
        Some(t) if raw < log.high_watermark() => UncleanableBound::LastStableOffset {
            producer_id: t.producer_id,
            first_offset: raw,
        },
        _ => UncleanableBound::HighWatermark,
    };
    if active_base <= raw {
        raw = active_base;
        bound = UncleanableBound::ActiveSegment;
    }
    let min_lag = config.min_compaction_lag_ms.max(0);
    if min_lag > 0 {
        let young = non_active_segments_from(log, f)
            .iter()
            .find(|s| s.largest_timestamp_ms() > now_ms.saturating_sub(min_lag));
        if let Some(s) = young {
            if s.base_offset() < raw {
                raw = s.base_offset();
                bound = UncleanableBound::MinCompactionLag;
            }
        }
    }
    if f > raw {
        bound = UncleanableBound::FirstDirtyOffset;
    }
    let raw = raw.max(f);
    // LogToClean: round down to the base of the segment holding it.
    let u = if raw >= active_base {
        active_base
    } else {
        log.segment_index_for(raw)
            .map_or(active_base, |i| log.segments()[i].base_offset())
    };
    let clean_bytes = bytes_between(log, -1, f);
    let cleanable_bytes = if f.min(u) == u {
        0
    } else {
        bytes_between(log, f.min(u), u)
    };
    let total = clean_bytes + cleanable_bytes;
    let ratio = if total > 0 {
        cleanable_bytes as f64 / total as f64
    } else {
        0.0
    };
    let uncleanable_bytes = log.size_bytes().saturating_sub(bytes_between(log, -1, u));
    let delay = max_compaction_delay(log, config, f, now_ms);
    let threshold = config.min_cleanable_dirty_ratio;
    // grabFilthiestCompactedLog: drop logs with no bytes, then
    // (needCompactionNow && cleanable > 0) || ratio > minCleanableRatio.
    let eligibility = if total == 0 {
        if log.log_end_offset() == log.log_start_offset() {
            Eligibility::EmptyLog
        } else {
            Eligibility::NothingToClean {
                first_uncleanable_offset: u,
                bound,
            }
        }
    } else if ratio > threshold {
        Eligibility::DirtyRatioAbove {
            dirty_ratio: ratio,
            min_cleanable_dirty_ratio: threshold,
        }
    } else if delay > 0 && cleanable_bytes > 0 {
        Eligibility::MaxCompactionLagExceeded {
            delay_ms: delay,
            dirty_ratio: ratio,
            min_cleanable_dirty_ratio: threshold,
        }
    } else if cleanable_bytes == 0 {
        Eligibility::NoDirtyData {
            first_uncleanable_offset: u,
            bound,
        }
    } else {
        Eligibility::DirtyRatioNotAbove {
            dirty_ratio: ratio,
            min_cleanable_dirty_ratio: threshold,
        }
    };
    LogToClean {
        topic_partition: log.topic_partition().clone(),
        first_dirty_offset: f,
        first_uncleanable_offset: u,
        uncleanable_bound: bound,
        clean_bytes,
        cleanable_bytes,
        uncleanable_bytes,
        dirty_ratio: ratio,
        min_cleanable_dirty_ratio: threshold,
        max_compaction_delay_ms: delay,
        eligible: eligibility.is_eligible(),
        chosen: false,
        reason: SelectionReason {
            eligibility,
            outranked: false,
            tied_with: None,
        },
        log_end_offset: log.log_end_offset(),
    }
}

/// `maxCompactionDelay`: how far the oldest dirty non-active segment's first
/// batch is past `max.compaction.lag.ms` (0 when none is).
fn max_compaction_delay(log: &PartitionLog, config: &TopicConfig, f: i64, now_ms: i64) -> i64 {
    let earliest = non_active_segments_from(log, f)
        .iter()
        .filter_map(LogSegment::first_batch_timestamp_ms)
        .filter(|&t| t > 0)
        .min()
        .unwrap_or(i64::MAX);
    let clean_until = now_ms.saturating_sub(config.max_compaction_lag_ms.max(0));
    if earliest < clean_until {
        clean_until - earliest
    } else {
        0
    }
}

/// Formats a ratio and its threshold with as few decimals (2 to 6) as it
/// takes to tell them apart, so "0.50 is not above 0.50" is never shown for
/// 0.5004 and 0.5.
fn ratios(ratio: f64, threshold: f64) -> (String, String) {
    for d in 2..=6 {
        let (r, t) = (format!("{ratio:.d$}"), format!("{threshold:.d$}"));
        if r != t || ratio == threshold {
            return (r, t);
        }
    }
    (format!("{ratio}"), format!("{threshold}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{BrokerConfig, TopicOverrides};
    use crate::record::SimpleRecord;

    /// One compacted topic `t` with one partition holding `n` records with
    /// distinct keys, rolled so that they are all cleanable.
    fn topics(n: i64) -> BTreeMap<String, Topic> {
        let broker = BrokerConfig::default();
        let overrides = TopicOverrides::default()
            .with(&[("cleanup.policy", "compact")], &broker)
            .unwrap();
        let mut topic = Topic::new("t", 1, overrides, &broker, 0, |_| 0).unwrap();
        let (logs, config) = topic.logs_mut();
        for i in 0..n {
            let key = i.to_string();
            let record = SimpleRecord::new(0, Some(key.as_bytes()), Some(b"v"));
            logs[0].append_batch(&[record], config, 0, 0, || 0);
        }
        logs[0].roll(0, 0);
        BTreeMap::from([("t".to_string(), topic)])
    }

    #[test]
    fn planning_changes_nothing_and_returns_the_checkpoint_resets_to_apply() {
        let topics = topics(3);
        let tp = TopicPartition::new("t", 0);
        let mut manager = LogCleanerManager::default();
        // Past the log end offset: Kafka resets it to the log start offset.
        manager.done_cleaning(tp.clone(), 200);
        let before = manager.clone();
        let plan = manager.plan(&topics, 0);
        assert_eq!(manager, before, "a plan is a preview");
        assert_eq!(plan.checkpoint_resets, vec![(tp.clone(), 0)]);
        assert_eq!(plan.chosen().map(|c| c.first_dirty_offset), Some(0));

        manager.update_checkpoints(&plan.checkpoint_resets);
        assert_eq!(manager.checkpoint(&tp), Some(0));
        assert!(manager.plan(&topics, 0).checkpoint_resets.is_empty());
    }

    #[test]
    fn reasons_are_data_whose_display_is_the_sentence() {
        let plan = LogCleanerManager::default().plan(&topics(3), 0);
        let c = &plan.logs[0];
        assert_eq!(
            c.reason.eligibility,
            Eligibility::DirtyRatioAbove {
                dirty_ratio: 1.0,
                min_cleanable_dirty_ratio: 0.5
            }
        );
        assert!(c.eligible && c.chosen && !c.reason.outranked);
        assert_eq!(
            c.reason.to_string(),
            "dirty ratio 1.00 > min.cleanable.dirty.ratio 0.50"
        );
        let json = serde_json::to_value(c).unwrap();
        assert_eq!(json["reason"], "dirty ratio 1.00 > min.cleanable.dirty.ratio 0.50");
        assert_eq!(
            (json["topic"].as_str(), json["partition"].as_u64()),
            (Some("t"), Some(0))
        );

        let outranked = SelectionReason {
            eligibility: Eligibility::DirtyRatioNotAbove {
                dirty_ratio: 0.5004,
                min_cleanable_dirty_ratio: 0.5,
            },
            outranked: true,
            tied_with: None,
        };
        assert_eq!(
            outranked.to_string(),
            "dirty ratio 0.5004 is not above min.cleanable.dirty.ratio 0.5000 (eligible, but another log is dirtier)"
        );
        assert_eq!(
            Eligibility::NoDirtyData {
                first_uncleanable_offset: 3,
                bound: UncleanableBound::MinCompactionLag
            }
            .to_string(),
            "no dirty data below the first uncleanable offset 3, bounded by a segment younger than min.compaction.lag.ms"
        );
    }
}
