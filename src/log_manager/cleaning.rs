//! The log cleaner thread's iteration, forced cleaning and the retention
//! check, as the broker runs them.
//!
//! Models one `LogCleaner.CleanerThread.doWork` (`grabFilthiestCompactedLog`,
//! `cleanLog`, then `deleteOldSegments` on the compacted logs) and
//! `LogManager.cleanupLogs` for the others. The planning itself lives in
//! [`crate::cleaner::manager`], the cleaning in [`crate::cleaner`], the
//! segment deletion in [`crate::log::retention`]; this file wires them to
//! the broker's topics, clock and checkpoints. Simplified: no background
//! threads, no pause/abort states, no throttling; each run happens when
//! asked (`clean`, `retention`) or when `run`'s schedule says
//! (`log_manager/schedule.rs`), instantly.
//!
//! Not Kafka's: `clean_partition` (clean one log now, whatever its dirty
//! ratio, for teaching), and the session's `cleaner_work` and `results`
//! budget, checked against the most a run could read before it starts.

use crate::budget::Limit;
use crate::cleaner::manager::LogToClean;
use crate::cleaner::{CleanResult, Cleaner};
use crate::error::{Error, InvalidRequest, Result};
use crate::log::retention::{self, SegmentDeletion};
use crate::topic::Topic;

use super::LogManager;

/// One cleaner-thread iteration or one forced cleaning.
#[derive(Debug, Clone, PartialEq)]
pub struct CleanerRun {
    /// Every compacted partition the manager looked at, with its numbers
    /// and why it was or was not eligible.
    pub selection: Vec<LogToClean>,
    /// The cleaning, if a log was cleaned.
    pub cleaned: Option<CleanResult>,
    /// Segments the same iteration deleted from compacted logs (retention of
    /// `compact,delete` and log-start-offset breaches).
    pub deleted: Vec<SegmentDeletion>,
}

impl LogManager {
    /// What a cleaner-thread iteration would consider now, without cleaning
    /// (planning changes nothing, so previews are free of side effects).
    pub fn plan_cleaning(&self) -> Vec<LogToClean> {
        self.cleaner_manager.plan(&self.topics, self.clock.now_ms()).logs
    }

    /// One iteration of a cleaner thread (`LogCleaner.CleanerThread.doWork`):
    /// grab the filthiest eligible compacted log and clean it, then run
    /// segment deletion on every compacted log.
    ///
    /// # Errors
    ///
    /// [`Error::BudgetExceeded`] when the iteration could pass the session's
    /// `cleaner_work` (checked against the most it could read: the planning
    /// and deletion passes plus twice the largest compacted log) or its
    /// `results` (one selection entry per compacted partition); nothing runs.
    pub fn run_cleaner_iteration(&mut self) -> Result<CleanerRun> {
        if !self.broker.log_cleaner_enable {
            return Ok(CleanerRun {
                selection: Vec::new(),
                cleaned: None,
                deleted: Vec::new(),
            });
        }
        self.cleaner_iteration("clean", true)
    }

    /// One cleaner-thread iteration, for `clean` (`keep_selection`: the
    /// selection is returned and counts against the session's `results`) or
    /// for a thread of `run` (the selection is dropped; the iteration costs
    /// at least 1 of `cleaner_work`, so that a thread that wakes every
    /// millisecond over no compacted log is still bounded by the budget).
    pub(super) fn cleaner_iteration(&mut self, command: &str, keep_selection: bool) -> Result<CleanerRun> {
        let now = self.clock.now_ms();
        let (pass, compacted, largest) = self.compacted_logs_cost();
        let floor = u64::from(!keep_selection);
        self.check_budget(command, Limit::CleanerWork, (2 * pass).max(floor) + 2 * largest)?;
        if keep_selection {
            self.check_budget(command, Limit::Results, compacted)?;
        }
        let plan = self.cleaner_manager.plan(&self.topics, now);
        // grabFilthiestCompactedLog rewrites invalid checkpoints, chosen or not.
        self.cleaner_manager.update_checkpoints(&plan.checkpoint_resets);
        let cleaned = plan.chosen().cloned().map(|c| self.clean_planned(&c, now));
        let deleted = self.delete_old_segments(true);
        self.usage.cleaner_work += (2 * pass).max(floor) + cleaned.as_ref().map_or(0, cleaner_reads);
        let selection = if keep_selection {
            self.usage.results += plan.logs.len() as u64;
            plan.logs
        } else {
            Vec::new()
        };
        Ok(CleanerRun {
            selection,
            cleaned,
            deleted,
        })
    }

    /// What planning (or a deletion pass) over the compacted logs reads:
    /// (their partitions and segments, how many partitions, the most records
    /// one of them holds). O(partitions): the counts are kept per log.
    fn compacted_logs_cost(&self) -> (u64, u64, u64) {
        let (mut pass, mut compacted, mut largest) = (0u64, 0u64, 0u64);
        for topic in self.topics.values().filter(|t| t.config().cleanup_policy.compact) {
            for log in topic.partitions() {
                pass += 1 + log.segments().len() as u64;
                compacted += 1;
                largest = largest.max(log.record_count() + log.segments().len() as u64);
            }
        }
        (pass, compacted, largest)
    }

    /// Cleans one partition now, from its first dirty offset to its first
    /// uncleanable offset, whatever its dirty ratio (not in Kafka; for
    /// teaching). Fails for a partition whose policy has no `compact`.
    ///
    /// # Errors
    ///
    /// [`Error::UnknownTopicOrPartition`] when the topic or the partition does
    /// not exist; [`Error::InvalidRequest`] (`t-0 is not compacted
    /// (cleanup.policy=delete); the log cleaner only cleans topics whose policy
    /// includes compact`) when the policy has no `compact`;
    /// [`Error::BudgetExceeded`] when the round could pass the session's
    /// `cleaner_work` (planning plus twice the partition's records).
    /// Nothing changes.
    pub fn clean_partition(&mut self, topic: &str, partition: u32) -> Result<CleanerRun> {
        let now = self.clock.now_ms();
        let t = self.topic(topic)?;
        let log = t.partition(partition)?;
        let tp = log.topic_partition().clone();
        if !t.config().cleanup_policy.compact {
            return Err(Error::InvalidRequest(InvalidRequest::NotCompacted {
                topic_partition: tp,
                cleanup_policy: t.config().cleanup_policy.to_string(),
            }));
        }
        let own = log.record_count() + log.segments().len() as u64;
        let (pass, _, _) = self.compacted_logs_cost();
        self.check_budget("clean", Limit::CleanerWork, pass + 2 * own)?;
        self.check_budget("clean", Limit::Results, 1)?;
        let plan = self.cleaner_manager.plan(&self.topics, now);
        self.cleaner_manager.update_checkpoints(&plan.checkpoint_resets);
        let target = plan.logs.iter().find(|c| c.topic_partition == tp).cloned();
        let cleaned = match target {
            Some(c) if c.first_uncleanable_offset > c.first_dirty_offset => Some(self.clean_planned(&c, now)),
            _ => None,
        };
        let selection: Vec<LogToClean> = plan
            .logs
            .into_iter()
            .filter(|c| c.topic_partition == tp)
            .map(|mut c| {
                c.chosen = cleaned.is_some();
                c
            })
            .collect();
        self.usage.cleaner_work += pass + cleaned.as_ref().map_or(0, cleaner_reads);
        self.usage.results += selection.len() as u64;
        Ok(CleanerRun {
            selection,
            cleaned,
            deleted: Vec::new(),
        })
    }

    /// `Cleaner.clean(LogToClean(log, firstDirty, upper))` as Kafka's unit
    /// tests call it: one round over `[first_dirty, upper)`, `upper` rounded
    /// down to a segment base and never past the active segment, bypassing
    /// the selection and the last stable offset (those tests clean undecided
    /// data on purpose). Not reachable from a script; budgets do not apply.
    ///
    /// # Errors
    ///
    /// [`Error::UnknownTopicOrPartition`] when the topic or the partition does
    /// not exist.
    pub fn clean_range(&mut self, topic: &str, partition: u32, first_dirty: i64, upper: i64) -> Result<CleanResult> {
        let now = self.clock.now_ms();
        let log = self.topic(topic)?.partition(partition)?;
        let active_base = log.active_segment().base_offset();
        let u = if upper >= active_base {
            active_base
        } else {
            log.segment_index_for(upper)
                .map_or(active_base, |i| log.segments()[i].base_offset())
        };
        let mut plan = self.cleaner_manager.plan(&self.topics, now);
        let tp = log.topic_partition().clone();
        let Some(mut target) = plan.logs.drain(..).find(|c| c.topic_partition == tp) else {
            return Err(Error::InvalidRequest(InvalidRequest::NotCompacted {
                topic_partition: tp,
                cleanup_policy: self.topic(topic)?.config().cleanup_policy.to_string(),
            }));
        };
        target.first_dirty_offset = first_dirty;
        target.first_uncleanable_offset = u.max(first_dirty);
        Ok(self.clean_planned(&target, now))
    }

    fn clean_planned(&mut self, plan: &LogToClean, now: i64) -> CleanResult {
        let max_keys = self.broker.max_keys_per_pass();
        let slots = self.broker.offset_map_slots();
        let tp = &plan.topic_partition;
        let topic = self.topics.get_mut(&tp.topic).expect("planned topics exist");
        let (logs, config) = topic.logs_mut();
        let log = logs.get_mut(tp.partition as usize).expect("planned partitions exist");
        // The producer expiration checks due by now run before the cleaner
        // reads which producers are active.
        log.remove_expired_producers(now, i64::from(self.broker.producer_id_expiration_ms));
        let result = Cleaner::new(slots, max_keys).clean(
            log,
            config,
            plan.first_dirty_offset,
            plan.first_uncleanable_offset,
            now,
        );
        self.cleaner_manager.done_cleaning(tp.clone(), result.end_offset);
        result
    }

    /// `LogManager.cleanupLogs`: one retention pass over the logs whose
    /// policy is not compacted (compacted logs are handled by the cleaner).
    ///
    /// # Errors
    ///
    /// [`Error::BudgetExceeded`] when the pass (a look at every partition and
    /// segment of those logs) would pass the session's `cleaner_work`;
    /// nothing is deleted.
    pub fn run_retention(&mut self) -> Result<Vec<SegmentDeletion>> {
        self.retention_pass("retention", 0)
    }

    /// A retention pass that costs at least `floor` of `cleaner_work` (1
    /// for the scheduled checks of `run`: bounded by the budget even when
    /// no log is to be checked).
    pub(super) fn retention_pass(&mut self, command: &str, floor: u64) -> Result<Vec<SegmentDeletion>> {
        let pass: u64 = self
            .topics
            .values()
            .filter(|t| !t.config().cleanup_policy.compact)
            .flat_map(Topic::partitions)
            .map(|log| 1 + log.segments().len() as u64)
            .sum::<u64>()
            .max(floor);
        self.check_budget(command, Limit::CleanerWork, pass)?;
        self.usage.cleaner_work += pass;
        Ok(self.delete_old_segments(false))
    }

    fn delete_old_segments(&mut self, compacted: bool) -> Vec<SegmentDeletion> {
        let now = self.clock.now_ms();
        let mut deleted = Vec::new();
        for topic in self.topics.values_mut() {
            let (logs, config) = topic.logs_mut();
            if config.cleanup_policy.compact != compacted {
                continue;
            }
            for log in logs {
                let jitter = config.random_segment_jitter_ms(&mut self.rng);
                deleted.extend(retention::delete_old_segments(log, config, now, jitter));
            }
        }
        deleted
    }
}

/// Records the cleaner read in one round: mapping the dirty section and
/// recopying the log below the round's end.
fn cleaner_reads(c: &CleanResult) -> u64 {
    c.stats.map_messages_read + c.stats.messages_read + c.groups.iter().map(|g| g.len() as u64).sum::<u64>()
}
