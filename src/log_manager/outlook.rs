//! When, and why not yet: a compacted partition's outlook as data.
//!
//! Answers the questions people bring about compaction in time: when will
//! this partition be cleaned, what is it waiting for, and when will this
//! tombstone go. Built from the cleaner manager's own decision
//! ([`crate::cleaner::manager`]'s plan, which is a pure function of the logs,
//! the checkpoints and the clock): with no more records appended the
//! decision changes only when a segment passes `min.compaction.lag.ms` or
//! the oldest dirty segment passes `max.compaction.lag.ms`, so evaluating
//! the plan at now and at each of those instants gives the exact moment the
//! partition becomes eligible; the cleaner threads' schedule
//! ([`super::schedule`]) gives the wake that cleans it.
//!
//! Simplified: a prediction assumes no more appends, no config change, and
//! no segment of this log deleted by retention before it (`compact,delete`
//! logs lose segments to `retention.ms` in every cleaner iteration); the
//! cleaning time is that of a `run` starting now. Not Kafka's: Kafka exposes
//! none of this (its closest is the `max-dirty-percent` and
//! `time-since-last-run-ms` metrics); the rules it follows are Kafka's.

use serde::Serialize;

use super::LogManager;
use crate::cleaner::manager::{LogToClean, UncleanableBound};
use crate::cleaner::{CleanResult, Cleaner};
use crate::error::{Error, InvalidRequest, Result};
use crate::log::segment::RollReason;
use crate::log::PartitionLog;
use crate::topic_partition::TopicPartition;

/// The most tombstones an outlook lists (the rest are counted).
pub const MAX_TOMBSTONES_LISTED: usize = 1000;

/// A compacted partition's outlook: eligible or not, when, and why not yet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartitionOutlook {
    #[serde(flatten)]
    pub topic_partition: TopicPartition,
    pub now_ms: i64,
    /// The cleaner manager's decision now, with its numbers.
    pub now: LogToClean,
    /// The earliest time from now at which the partition is eligible with
    /// no more records appended: now, or when a compaction lag passes.
    /// `None`: not without more records.
    pub eligible_at_ms: Option<i64>,
    /// The cleaner threads' first wake at or after `eligible_at_ms` in a
    /// `run` that starts now: when it is cleaned (after any dirtier log, at
    /// the same instant: a thread looks again at once after a cleaning).
    /// `None` with `log.cleaner.enable=false` or when never eligible.
    pub cleaning_at_ms: Option<i64>,
    /// What it waits for, as data, most immediate first.
    pub waits_for: Vec<Wait>,
    /// The partition's tombstones (at most [`MAX_TOMBSTONES_LISTED`]) and
    /// when each can go.
    pub tombstones: Vec<TombstoneOutlook>,
    /// Tombstones beyond those listed.
    pub more_tombstones: u64,
}

/// One thing a partition waits for before it is cleaned.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Wait {
    /// Records sit in the active segment, which is never cleaned: it must
    /// roll. An append rolls it when its batch is bigger than
    /// `bytes_until_roll` (`segment.bytes`), or when it comes at or after
    /// `roll_by_time_at_ms` (`segment.ms`, or `max.compaction.lag.ms` when
    /// that is smaller on a compacted topic, minus the segment's jitter).
    ActiveSegmentRoll {
        base_offset: i64,
        size_bytes: u64,
        bytes_until_roll: u64,
        roll_by_time_at_ms: Option<i64>,
        roll_by: RollReason,
    },
    /// A segment younger than `min.compaction.lag.ms` bounds the cleanable
    /// range; it comes of age at `until_ms`.
    MinCompactionLag { base_offset: i64, until_ms: i64 },
    /// The dirty ratio is not above `min.cleanable.dirty.ratio`: this many
    /// more dirty bytes in closed segments would pass it (`None`: no amount,
    /// with a threshold of 1).
    DirtyRatio {
        dirty_ratio: f64,
        min_cleanable_dirty_ratio: f64,
        more_dirty_bytes: Option<u64>,
    },
    /// `max.compaction.lag.ms` makes the partition eligible at `at_ms`
    /// whatever its ratio (the oldest dirty segment's first batch is then
    /// past the lag).
    MaxCompactionLag { at_ms: i64 },
    /// Eligible, but the next iteration cleans a dirtier log first (then
    /// this one, at the same instant).
    DirtierLog { topic_partition: TopicPartition },
    /// The cleaner threads are off (`log.cleaner.enable=false`).
    CleanerDisabled,
    /// A transaction of `producer_id` is open since `first_offset`: the last
    /// stable offset stays there, and the cleaner never cleans past it,
    /// however old the data, until the transaction commits or aborts.
    OpenTransaction { producer_id: i64, first_offset: i64 },
}

/// One tombstone and what must still happen for it to go.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TombstoneOutlook {
    pub offset: i64,
    pub key: String,
    /// The horizon the cleaner stamped on its batch, if it did.
    pub delete_horizon_ms: Option<i64>,
    pub waits_for: TombstoneWait,
}

/// What a tombstone waits for (Kafka 4's two-phase removal, KIP-534).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TombstoneWait {
    /// A later record of its key exists: the next cleaning whose offset map
    /// holds that record removes it.
    Superseded,
    /// Never recopied by the cleaner: the first cleaning that covers it
    /// stamps its horizon at that cleaning's time + `delete.retention.ms`
    /// (`horizon_if_cleaned_now_ms` for a cleaning now); a later cleaning at
    /// or after the horizon removes it.
    FirstCleaning { horizon_if_cleaned_now_ms: i64 },
    /// Stamped: a cleaning of its range at or after `at_ms` removes it; the
    /// partition must be selected again by then.
    Horizon { at_ms: i64 },
}

/// The most removed records a dry run lists one by one (the rest are
/// counted).
pub const MAX_REMOVED_LISTED: usize = 1000;

/// What the cleaner would do to one partition now, without doing it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DryRun {
    #[serde(flatten)]
    pub topic_partition: TopicPartition,
    pub now_ms: i64,
    /// The cleaner manager's decision now: whether a cleaner thread would
    /// pick this log, and why (a forced `clean <t>/<p>` cleans it anyway).
    pub decision: LogToClean,
    /// The cleaning `clean <t>/<p>` would do now; `None` when nothing lies
    /// between the first dirty and the first uncleanable offset.
    pub cleaning: Option<CleanResult>,
    /// Records that would stay (all of the log's, with no cleaning).
    pub kept: u64,
    /// Records that would go.
    pub removed: u64,
    /// The records that would go (the first [`MAX_REMOVED_LISTED`]), each
    /// with why.
    pub removed_records: Vec<Removed>,
    /// The partition as the cleaning would leave it (for a before/after
    /// view; not in the JSON).
    #[serde(skip)]
    pub after: Option<PartitionLog>,
}

/// A record a cleaning would remove, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Removed {
    pub offset: i64,
    /// Its key (`None`: a record without a key, or a control batch's).
    pub key: Option<String>,
    pub why: RemovedWhy,
}

/// Why a cleaning removes a record (`Cleaner.shouldRetainRecord`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RemovedWhy {
    /// A later record of its key, at `by`, is in the cleaning's offset map.
    Superseded { by: i64 },
    /// A tombstone whose delete horizon has passed.
    TombstoneExpired,
    /// Anything else (aborted transactional data, a marker no longer needed).
    Other,
}

impl LogManager {
    /// The topic and the log of a partition of a compacted topic, the
    /// subject of [`Self::outlook`] and [`Self::dry_run`].
    fn compacted_log(&self, topic: &str, partition: u32) -> Result<(&crate::topic::Topic, &crate::log::PartitionLog)> {
        let t = self.topic(topic)?;
        let log = t.partition(partition)?;
        let policy = &t.config().cleanup_policy;
        if !policy.compact {
            return Err(Error::InvalidRequest(InvalidRequest::NotCompacted {
                topic_partition: log.topic_partition().clone(),
                cleanup_policy: policy.to_string(),
            }));
        }
        Ok((t, log))
    }

    /// What the cleaner would do to one compacted partition now, without
    /// changing anything: the cleaning `clean <t>/<p>` would do (on a copy
    /// of the log), the records it keeps and removes and why, and whether a
    /// cleaner thread would pick the log now.
    ///
    /// # Errors
    ///
    /// As [`Self::outlook`]: [`Error::UnknownTopicOrPartition`],
    /// [`Error::InvalidRequest`] when the topic is not compacted.
    pub fn dry_run(&self, topic: &str, partition: u32) -> Result<DryRun> {
        let (t, log) = self.compacted_log(topic, partition)?;
        let tp = log.topic_partition().clone();
        let config = t.config();
        let now_ms = self.clock.now_ms();
        let decision = self
            .cleaner_manager
            .plan(&self.topics, now_ms)
            .logs
            .into_iter()
            .find(|c| c.topic_partition == tp)
            .expect("a compacted partition is planned");
        let total = log.record_count();
        if decision.first_uncleanable_offset <= decision.first_dirty_offset {
            return Ok(DryRun {
                topic_partition: tp,
                now_ms,
                decision,
                cleaning: None,
                kept: total,
                removed: 0,
                removed_records: Vec::new(),
                after: None,
            });
        }
        let mut after = log.clone();
        let cleaning = Cleaner::new(self.broker.offset_map_slots(), self.broker.max_keys_per_pass()).clean(
            &mut after,
            config,
            decision.first_dirty_offset,
            decision.first_uncleanable_offset,
            now_ms,
        );
        let removed_records = removed_records(log, &after, &cleaning);
        let kept = after.record_count();
        Ok(DryRun {
            topic_partition: tp,
            now_ms,
            decision,
            cleaning: Some(cleaning),
            kept,
            removed: total.saturating_sub(kept),
            removed_records,
            after: Some(after),
        })
    }

    /// The outlook of one compacted partition now: the cleaner manager's
    /// decision, when the partition becomes eligible and is cleaned with no
    /// more appends, what it waits for, and each tombstone's horizon.
    ///
    /// # Errors
    ///
    /// [`Error::UnknownTopicOrPartition`] when the topic or the partition does
    /// not exist; [`Error::InvalidRequest`] when the topic is not compacted.
    pub fn outlook(&self, topic: &str, partition: u32) -> Result<PartitionOutlook> {
        let (t, log) = self.compacted_log(topic, partition)?;
        let tp = log.topic_partition().clone();
        let config = t.config();
        let now_ms = self.clock.now_ms();
        let decision_at = |at: i64| {
            self.cleaner_manager
                .plan(&self.topics, at)
                .logs
                .into_iter()
                .find(|c| c.topic_partition == tp)
                .expect("a compacted partition is planned")
        };
        let now = decision_at(now_ms);
        let f = now.first_dirty_offset;
        // The instants at which the decision can change with no appends.
        let min_lag = config.min_compaction_lag_ms.max(0);
        let max_lag = config.max_compaction_lag_ms.max(0);
        let closed = closed_segments_from(log, f);
        let ages: Vec<i64> = if min_lag > 0 {
            closed
                .iter()
                .filter_map(|s| s.largest_timestamp_ms().checked_add(min_lag))
                .collect()
        } else {
            Vec::new()
        };
        let forced = closed
            .iter()
            .filter_map(|s| s.first_batch_timestamp_ms())
            .filter(|&t| t > 0)
            .min()
            .and_then(|t| t.checked_add(max_lag)?.checked_add(1));
        let mut instants: Vec<i64> = ages.iter().copied().chain(forced).filter(|&t| t > now_ms).collect();
        instants.sort_unstable();
        instants.dedup();
        let eligible_at_ms = if now.eligible {
            Some(now_ms)
        } else {
            instants.into_iter().find(|&at| decision_at(at).eligible)
        };
        let cleaning_at_ms = eligible_at_ms.and_then(|at| self.first_wake_at_or_after(at));
        let mut waits_for = Vec::new();
        if !self.broker.log_cleaner_enable {
            waits_for.push(Wait::CleanerDisabled);
        }
        if now.eligible {
            if let Some(picked) = self
                .cleaner_manager
                .plan(&self.topics, now_ms)
                .chosen()
                .filter(|c| c.topic_partition != tp)
            {
                waits_for.push(Wait::DirtierLog {
                    topic_partition: picked.topic_partition.clone(),
                });
            }
        } else {
            self.why_not_yet(log, &now, min_lag, forced, &mut waits_for);
        }
        let (tombstones, more_tombstones) = tombstones(log, now_ms, config.delete_retention_ms);
        Ok(PartitionOutlook {
            topic_partition: tp,
            now_ms,
            now,
            eligible_at_ms,
            cleaning_at_ms,
            waits_for,
            tombstones,
            more_tombstones,
        })
    }

    /// What keeps a partition that is not eligible now from being so.
    fn why_not_yet(
        &self,
        log: &PartitionLog,
        now: &LogToClean,
        min_lag: i64,
        forced: Option<i64>,
        waits_for: &mut Vec<Wait>,
    ) {
        let active = log.active_segment();
        let config = self
            .topic(log.topic())
            .map(|t| t.config())
            .expect("the log's topic exists");
        if let UncleanableBound::LastStableOffset {
            producer_id,
            first_offset,
        } = now.uncleanable_bound
        {
            waits_for.push(Wait::OpenTransaction {
                producer_id,
                first_offset,
            });
        }
        if now.uncleanable_bound == UncleanableBound::MinCompactionLag {
            if let Some(s) = log
                .segment_index_for(now.first_uncleanable_offset)
                .map(|i| &log.segments()[i])
            {
                waits_for.push(Wait::MinCompactionLag {
                    base_offset: s.base_offset(),
                    until_ms: s.largest_timestamp_ms().saturating_add(min_lag),
                });
            }
        }
        if now.cleanable_bytes > 0 || now.clean_bytes > 0 {
            waits_for.push(Wait::DirtyRatio {
                dirty_ratio: now.dirty_ratio,
                min_cleanable_dirty_ratio: now.min_cleanable_dirty_ratio,
                more_dirty_bytes: more_dirty_bytes(now.clean_bytes, now.cleanable_bytes, now.min_cleanable_dirty_ratio),
            });
        }
        if let Some(at) = forced.filter(|&at| at > self.now_ms() && now.cleanable_bytes > 0) {
            waits_for.push(Wait::MaxCompactionLag { at_ms: at });
        }
        if active.size_bytes() > 0 {
            let max_ms = config.max_segment_ms();
            let roll_by = if config.cleanup_policy.compact && config.max_compaction_lag_ms < config.segment_ms {
                RollReason::MaxCompactionLagMs
            } else {
                RollReason::SegmentMs
            };
            // LogSegment.shouldRoll: an append at t (stamped t) rolls when
            // timeWaitedForRoll(t, t) > maxSegmentMs - rollJitterMs.
            let now_ms = self.now_ms();
            let waited = active.time_waited_for_roll_ms(now_ms, now_ms);
            let roll_by_time_at_ms = max_ms
                .checked_sub(active.roll_jitter_ms())
                .and_then(|limit| limit.checked_add(1))
                .and_then(|need| now_ms.checked_add(need.saturating_sub(waited).max(0)))
                .filter(|&t| t <= crate::clock::MAX_MS);
            waits_for.push(Wait::ActiveSegmentRoll {
                base_offset: active.base_offset(),
                size_bytes: active.size_bytes(),
                bytes_until_roll: u64::try_from(config.segment_bytes)
                    .unwrap_or(0)
                    .saturating_sub(active.size_bytes()),
                roll_by_time_at_ms,
                roll_by,
            });
        }
    }

    /// The cleaner threads' first wake at or after `at` in a `run` that
    /// starts now: the next wake, then every backoff (a thread that cleans
    /// looks again at once, then sleeps the backoff from that instant, so
    /// its wakes stay on one grid).
    fn first_wake_at_or_after(&self, at: i64) -> Option<i64> {
        let first = self.next_cleaner_wake_ms()?;
        if at <= first {
            return Some(first);
        }
        let backoff = self.broker.log_cleaner_backoff_ms.max(1);
        // A ceiling division that cannot overflow (at > first, backoff >= 1).
        let periods = (at - first - 1) / backoff + 1;
        periods.checked_mul(backoff).and_then(|d| first.checked_add(d))
    }
}

/// The records of `before` that `after` no longer holds (the first
/// [`MAX_REMOVED_LISTED`]), each with why: a later record of its key in the
/// cleaning's range, an expired tombstone, or something else.
fn removed_records(before: &PartitionLog, after: &PartitionLog, c: &CleanResult) -> Vec<Removed> {
    use std::collections::{HashMap, HashSet};
    let kept: HashSet<i64> = after.records().map(|(_, r)| r.offset).collect();
    // The offset map: each key's latest offset in [first dirty, end).
    let mut latest: HashMap<&[u8], i64> = HashMap::new();
    for (_, r) in before.records() {
        if r.offset >= c.first_dirty_offset && r.offset < c.end_offset {
            if let Some(k) = r.key {
                latest.insert(k, r.offset);
            }
        }
    }
    let mut out = Vec::new();
    for (_, r) in before.records() {
        if kept.contains(&r.offset) {
            continue;
        }
        if out.len() >= MAX_REMOVED_LISTED {
            break;
        }
        let by = r.key.and_then(|k| latest.get(k).copied()).filter(|&o| o > r.offset);
        let why = match by {
            Some(by) => RemovedWhy::Superseded { by },
            None if r.key.is_some() && r.value.is_none() => RemovedWhy::TombstoneExpired,
            None => RemovedWhy::Other,
        };
        out.push(Removed {
            offset: r.offset,
            key: r.key.map(|k| String::from_utf8_lossy(k).into_owned()),
            why,
        });
    }
    out
}

/// Closed (non-active) segments from the one holding `offset`.
fn closed_segments_from(log: &PartitionLog, offset: i64) -> &[crate::log::segment::LogSegment] {
    let segs = log.segments();
    let from = log.segment_index_for(offset).unwrap_or(0);
    &segs[from.min(segs.len() - 1)..segs.len() - 1]
}

/// The fewest more dirty bytes `x` with `(d + x) / (c + d + x) > r`, as the
/// manager compares it (`f64`); `None` when no amount does (r >= 1).
fn more_dirty_bytes(clean: u64, dirty: u64, r: f64) -> Option<u64> {
    if r.is_nan() || r >= 1.0 {
        return None;
    }
    let above = |x: u64| {
        let d = dirty.saturating_add(x);
        let total = clean.saturating_add(d);
        total > 0 && d as f64 / total as f64 > r
    };
    // x > (r (c + d) - d) / (1 - r), then corrected for rounding.
    let estimate = ((r * (clean + dirty) as f64 - dirty as f64) / (1.0 - r))
        .floor()
        .max(0.0) as u64;
    let mut x = estimate.saturating_sub(2);
    while !above(x) {
        x = x.checked_add(1)?;
    }
    Some(x)
}

/// Every tombstone of the log, with its horizon and what it waits for.
fn tombstones(log: &PartitionLog, now_ms: i64, delete_retention_ms: i64) -> (Vec<TombstoneOutlook>, u64) {
    use std::collections::HashMap;
    let mut latest: HashMap<&[u8], i64> = HashMap::new();
    // Markers are not keyed data: their control keys never supersede a record.
    for (_, r) in log.records().filter(|(b, _)| !b.is_control()) {
        if let Some(k) = r.key {
            latest.insert(k, r.offset);
        }
    }
    let mut listed = Vec::new();
    let mut more = 0u64;
    for (batch, r) in log.records() {
        if r.value.is_some() || batch.is_control() {
            continue;
        }
        if listed.len() >= MAX_TOMBSTONES_LISTED {
            more += 1;
            continue;
        }
        let key = r.key.unwrap_or_default();
        let horizon = batch.delete_horizon_ms();
        let waits_for = if latest.get(key).is_some_and(|&o| o > r.offset) {
            TombstoneWait::Superseded
        } else {
            match horizon {
                Some(at_ms) => TombstoneWait::Horizon { at_ms },
                None => TombstoneWait::FirstCleaning {
                    horizon_if_cleaned_now_ms: now_ms.saturating_add(delete_retention_ms),
                },
            }
        };
        listed.push(TombstoneOutlook {
            offset: r.offset,
            key: String::from_utf8_lossy(key).into_owned(),
            delete_horizon_ms: horizon,
            waits_for,
        });
    }
    (listed, more)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn more_dirty_bytes_is_the_fewest_that_pass_the_ratio_strictly() {
        for (c, d, r) in [
            (100, 0, 0.5),
            (100, 100, 0.5),
            (100, 101, 0.5),
            (0, 0, 0.5),
            (1000, 3, 0.1),
            (7, 0, 0.0),
            (123_456, 789, 0.333),
        ] {
            let x = more_dirty_bytes(c, d, r).unwrap();
            let above = |x: u64| (d + x) as f64 / (c + d + x) as f64 > r;
            assert!(above(x), "{c} {d} {r}: {x}");
            assert!(x == 0 || !above(x - 1), "{c} {d} {r}: {x} is not the fewest");
        }
        assert_eq!(more_dirty_bytes(100, 5, 1.0), None);
        // Equal halves are not above 0.5 (strict): one more byte is.
        assert_eq!(more_dirty_bytes(100, 100, 0.5), Some(1));
    }
}
