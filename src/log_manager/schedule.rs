//! The broker in time: producer loads at a rate, and `run`, the broker
//! working on Kafka's schedules while simulated time passes.
//!
//! Models what a broker does between requests: the cleaner threads
//! (`LogCleaner.CleanerThread.doWork`: an iteration, then
//! `pause(log.cleaner.backoff.ms)` when it cleaned nothing, at once again when
//! it cleaned), the log manager's `kafka-log-retention` task (first after
//! `InitialTaskDelayMs` = 30 s, then every `log.retention.check.interval.ms`),
//! and a producer client sending records at a steady rate. The rules are the
//! contract's (`scenario-format.md`, "The broker in time"): record `i` of a
//! load is due at `t0 + floor((i-1) x unit / n)`; at one instant load
//! appends come first (loads in the order they started), then cleaner
//! iterations, then the retention check; wakes that fell before a `run`
//! happen at its start, retention checks outside any `run` are skipped.
//!
//! Simplified: cleaning takes no simulated time; the cleaner threads are one
//! schedule (threads that wake together, each cleaning instantly, do in turn
//! what one thread does); `log.cleaner.backoff.ms=0` wakes an idle thread 1
//! ms later (Kafka's thread spins; the clock counts whole milliseconds).
//! Time jumps from event to event (the next load record, cleaner wake or
//! retention check), never millisecond by millisecond.
//!
//! Not Kafka's: the session's budget. A load holds its records and bytes
//! from the moment its line runs; a `run` is refused up front when its
//! scheduled wakes and checks alone would pass `cleaner_work`, and a `run`
//! that passes it on the way (a cleaning reads more than planned) is undone
//! as a whole, so a refused `run` changes nothing.

use std::num::NonZeroU64;

use serde::Serialize;

use super::{GenerateRequest, Generation, LogManager};
use crate::budget::Limit;
use crate::cleaner::CleanResult;
use crate::clock::{Clock, MAX_MS, START_MS};
use crate::error::{Error, InvalidRequest, Result};
use crate::topic_partition::TopicPartition;

/// Kafka's `LogManager.InitialTaskDelayMs` (`log.initial.task.delay.ms`,
/// "for testing only"): the first retention check comes this long after
/// broker start.
pub const INITIAL_TASK_DELAY_MS: i64 = 30_000;

/// The unit of a load's rate: `/s`, `/m` or `/h`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateUnit {
    Second,
    Minute,
    Hour,
}

impl RateUnit {
    /// The unit in milliseconds.
    pub fn ms(self) -> u64 {
        match self {
            RateUnit::Second => 1000,
            RateUnit::Minute => 60_000,
            RateUnit::Hour => 3_600_000,
        }
    }

    /// As a script writes it after the `/`.
    pub fn suffix(self) -> &'static str {
        match self {
            RateUnit::Second => "s",
            RateUnit::Minute => "m",
            RateUnit::Hour => "h",
        }
    }
}

/// What a `load` sends: `rate` records per `unit` for `for_ms`, with the
/// keys, values and tombstones of `generate`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LoadRequest<'a> {
    pub topic: &'a str,
    /// Records per `unit`; at least 1 (the parser refuses 0).
    pub rate: NonZeroU64,
    pub unit: RateUnit,
    /// How long the producer sends, in milliseconds.
    pub for_ms: u64,
    /// Keys are `key-0` .. `key-(keys-1)`.
    pub keys: NonZeroU64,
    /// The SplitMix64 seed of the key and tombstone draws.
    pub seed: u64,
    /// The chance that a record is a tombstone; 0 draws nothing for it.
    pub tombstones: f64,
    /// Values `v<i>` padded with `.` or cut to this length; `None`: as is.
    pub value_bytes: Option<u64>,
}

impl LoadRequest<'_> {
    /// `N = floor(rate x for / unit)` (saturating: the budget refuses it).
    pub fn count(&self) -> u64 {
        let n = u128::from(self.rate.get()) * u128::from(self.for_ms) / u128::from(self.unit.ms());
        u64::try_from(n).unwrap_or(u64::MAX)
    }

    /// Record `i`'s time after the start (1-based): `floor((i-1) x unit / rate)`.
    pub fn offset_ms(&self, i: u64) -> u64 {
        offset_ms(i, self.unit.ms(), self.rate.get())
    }
}

fn offset_ms(i: u64, unit_ms: u64, rate: u64) -> u64 {
    let t = u128::from(i.saturating_sub(1)) * u128::from(unit_ms) / u128::from(rate);
    u64::try_from(t).unwrap_or(u64::MAX)
}

/// What a `load` line did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoadStarted {
    /// Records the load sends in all (`N`).
    pub count: u64,
    /// Records due at the line's own time, appended by it.
    pub appended: LoadAppends,
    /// When the last record is due (`None` when `N` is 0).
    pub last_ms: Option<i64>,
}

/// Load records appended while the clock moved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoadAppends {
    pub appended: u64,
    /// Records the broker refused when they were due (a config changed since
    /// the load started, e.g. `max.message.bytes`); the producer drops them
    /// and sends the next, as a client whose send failed.
    pub refused: u64,
}

impl std::ops::AddAssign for LoadAppends {
    fn add_assign(&mut self, o: LoadAppends) {
        self.appended += o.appended;
        self.refused += o.refused;
    }
}

/// One cleaning a `run` made, with the contract's fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimedCleaning {
    pub time_ms: i64,
    #[serde(flatten)]
    pub topic_partition: TopicPartition,
    pub first_dirty_offset: i64,
    pub end_offset: i64,
    pub messages_read: u64,
    pub messages_written: u64,
    pub bytes_read: u64,
    pub bytes_written: u64,
}

impl TimedCleaning {
    fn of(time_ms: i64, c: &CleanResult) -> Self {
        TimedCleaning {
            time_ms,
            topic_partition: c.topic_partition.clone(),
            first_dirty_offset: c.first_dirty_offset,
            end_offset: c.end_offset,
            messages_read: c.stats.messages_read,
            messages_written: c.stats.messages_written,
            bytes_read: c.stats.bytes_read,
            bytes_written: c.stats.bytes_written,
        }
    }
}

/// What the broker did during a `run`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BrokerRun {
    /// Load records appended (and refused).
    pub appended: LoadAppends,
    /// Every cleaning, in time order.
    pub cleanings: Vec<TimedCleaning>,
    /// Segments deleted by the cleaner threads (compacted logs) and the
    /// retention checks (the others).
    pub deleted_segments: u64,
    /// Cleaner-thread iterations made (idle ones included).
    pub cleaner_iterations: u64,
    /// Retention checks made.
    pub retention_checks: u64,
}

/// A `run` started with [`LogManager::start_run`], done a piece at a time
/// with [`LogManager::continue_run`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Running {
    /// The clock when it started.
    pub start_ms: i64,
    /// When it ends (the instant belongs to it).
    pub end_ms: i64,
    /// What it did so far.
    pub done: BrokerRun,
}

impl Running {
    /// Whether it has reached its end on `broker`'s clock.
    pub fn is_done(&self, broker: &LogManager) -> bool {
        broker.now_ms() >= self.end_ms
    }
}

/// A moment inside a `run` worth a look (the page samples the logs there).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunMoment<'a> {
    /// A cleaner wake at `time_ms` is about to clean a log.
    BeforeCleaning { time_ms: i64 },
    /// A cleaning just done.
    AfterCleaning(&'a TimedCleaning),
}

/// A load under way: its generator (the draws of `generate`) and its pace.
#[derive(Debug, Clone, PartialEq)]
struct Load {
    generation: Generation,
    t0: i64,
    rate: u64,
    unit_ms: u64,
    /// Bytes held from the budget for each record still to come (the
    /// longest key with the longest value).
    bytes_per_record: u64,
}

impl Load {
    /// When record `i` (1-based) is due.
    fn time_of(&self, i: u64) -> i64 {
        // Checked at the start: the last record is due by MAX_MS.
        self.t0
            .saturating_add(i64::try_from(offset_ms(i, self.unit_ms, self.rate)).unwrap_or(i64::MAX))
    }

    /// When the next record is due, if any is left.
    fn next_ms(&self) -> Option<i64> {
        (!self.generation.is_done()).then(|| self.time_of(self.generation.done() + 1))
    }

    /// How many records (from the first) are due at or before `t`: the
    /// largest `i` with `floor((i-1) x unit / rate) <= t - t0`, that is
    /// `ceil((t - t0 + 1) x rate / unit)`, at most `N`.
    fn due_through(&self, t: i64) -> u64 {
        let Some(elapsed) = t.checked_sub(self.t0).filter(|e| *e >= 0) else {
            return 0;
        };
        let n = (elapsed as u128 + 1) * u128::from(self.rate);
        let due = n.div_ceil(u128::from(self.unit_ms));
        u64::try_from(due).unwrap_or(u64::MAX).min(self.generation.count())
    }
}

/// The broker's schedules and the loads under way.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Schedule {
    /// Loads in the order their lines ran; a finished load is dropped.
    loads: Vec<Load>,
    /// When the cleaner threads wake next (broker start, at first).
    cleaner_wake_ms: i64,
    /// The next retention check not yet made or skipped.
    retention_next_ms: i64,
    /// Records and bytes the loads hold for their records to come.
    reserved_records: u64,
    reserved_bytes: u64,
}

impl Default for Schedule {
    fn default() -> Self {
        Schedule {
            loads: Vec::new(),
            cleaner_wake_ms: START_MS,
            retention_next_ms: START_MS + INITIAL_TASK_DELAY_MS,
            reserved_records: 0,
            reserved_bytes: 0,
        }
    }
}

impl Schedule {
    /// What the loads hold of a limit.
    pub(super) fn reserved(&self, limit: Limit) -> u64 {
        match limit {
            Limit::Records => self.reserved_records,
            Limit::Bytes => self.reserved_bytes,
            _ => 0,
        }
    }

    /// A `broker` line restarted the cleaner threads: they wake now.
    pub(super) fn restart_cleaner(&mut self, now_ms: i64) {
        self.cleaner_wake_ms = now_ms;
    }

    /// When the next load record is due.
    fn next_load_ms(&self) -> Option<i64> {
        self.loads.iter().filter_map(Load::next_ms).min()
    }

    /// The first retention check at or after `start`: the pending one, or
    /// when it fell before `start` (outside any run, so skipped) the first
    /// of its period after it.
    fn retention_from(&self, start: i64, interval: i64) -> i64 {
        let next = self.retention_next_ms;
        if next >= start {
            return next;
        }
        let interval = i128::from(interval.max(1));
        let periods = (i128::from(start) - i128::from(next) + interval - 1) / interval;
        i64::try_from(i128::from(next) + periods * interval).unwrap_or(i64::MAX)
    }
}

impl LogManager {
    /// Starts a producer load (`load`): `N = floor(rate x for / unit)`
    /// single-record batches, record `i` due at `now + floor((i-1) x unit /
    /// rate)`, with the keys, values and tombstones `generate` would give
    /// for the same seed, partitions from the default partitioner. The
    /// records due now are appended at once; the rest as the clock reaches
    /// them ([`Self::advance_ms`], [`Self::set_clock_ms`], [`Self::run_for`]).
    ///
    /// # Errors
    ///
    /// Checked up front, so that a refusal changes nothing:
    /// [`Error::InvalidRequest`] when the last record would be due past the
    /// clock's end; [`Error::BudgetExceeded`] (command `load`, limit
    /// `records` or `bytes`) when the whole load does not fit what is left
    /// of the session's budget (it holds all of it from now on); then the
    /// checks of [`Self::start_generate`]: the topic must exist and the
    /// largest record must pass the broker's checks.
    pub fn start_load(&mut self, req: LoadRequest<'_>) -> Result<LoadStarted> {
        let t0 = self.clock.now_ms();
        let count = req.count();
        let last_ms = if count == 0 {
            None
        } else {
            let last = i64::try_from(req.offset_ms(count))
                .ok()
                .and_then(|o| t0.checked_add(o))
                .unwrap_or(i64::MAX);
            if last > MAX_MS {
                return Err(Error::InvalidRequest(InvalidRequest::LoadPastEnd { last_ms: last }));
            }
            Some(last)
        };
        let longest_key = format!("key-{}", req.keys.get() - 1).len() as u64;
        let longest_value = match req.value_bytes {
            Some(w) => w,
            None => format!("v{count}").len() as u64,
        };
        let bytes_per_record = longest_key.saturating_add(longest_value);
        self.check_budget("load", Limit::Records, count)?;
        self.check_budget("load", Limit::Bytes, count.saturating_mul(bytes_per_record))?;
        let generation = self.start_generate(GenerateRequest {
            topic: req.topic,
            count,
            keys: req.keys,
            seed: req.seed,
            tombstones: req.tombstones,
            value_bytes: req.value_bytes,
        })?;
        self.schedule.reserved_records += count;
        self.schedule.reserved_bytes += count * bytes_per_record;
        self.schedule.loads.push(Load {
            generation,
            t0,
            rate: req.rate.get(),
            unit_ms: req.unit.ms(),
            bytes_per_record,
        });
        let appended = self.append_loads_due(t0);
        Ok(LoadStarted {
            count,
            appended,
            last_ms,
        })
    }

    /// Records of the loads under way still to be appended.
    pub fn pending_load_records(&self) -> u64 {
        self.schedule
            .loads
            .iter()
            .map(|l| l.generation.count() - l.generation.done())
            .sum()
    }

    /// When the next load record is due, if a load is under way.
    pub fn next_load_record_ms(&self) -> Option<i64> {
        self.schedule.next_load_ms()
    }

    /// When the cleaner threads wake next in a `run` that starts now
    /// (a wake that fell before now happens at the run's start); `None`
    /// with `log.cleaner.enable=false`.
    pub fn next_cleaner_wake_ms(&self) -> Option<i64> {
        self.broker
            .log_cleaner_enable
            .then(|| self.schedule.cleaner_wake_ms.max(self.clock.now_ms()))
    }

    /// When the next retention check falls in a `run` that starts now.
    pub fn next_retention_check_ms(&self) -> i64 {
        self.schedule
            .retention_from(self.clock.now_ms(), self.broker.log_retention_check_interval_ms)
    }

    /// Moves the clock to `to`, appending on the way the load records due
    /// up to it, each at its own time (`advance`, `clock`: the background
    /// work stays paused).
    pub(super) fn move_clock_to(&mut self, to: i64) -> LoadAppends {
        let mut out = LoadAppends::default();
        while let Some(t) = self.schedule.next_load_ms().filter(|t| *t <= to) {
            self.clock.set_ms(t);
            out += self.append_loads_due(t);
        }
        self.clock.set_ms(to);
        out
    }

    /// Appends every load record due at or before `t` (the clock's now), the
    /// loads in the order their lines ran, each load's records in order.
    fn append_loads_due(&mut self, t: i64) -> LoadAppends {
        let mut out = LoadAppends::default();
        let mut loads = std::mem::take(&mut self.schedule.loads);
        for load in &mut loads {
            let due = load.due_through(t).saturating_sub(load.generation.done());
            // The records' hold on the budget becomes what they append.
            self.schedule.reserved_records = self.schedule.reserved_records.saturating_sub(due);
            self.schedule.reserved_bytes = self
                .schedule
                .reserved_bytes
                .saturating_sub(due.saturating_mul(load.bytes_per_record));
            let mut left = due;
            while left > 0 {
                let before = load.generation.done();
                let refused = self.continue_generate(&mut load.generation, left).is_err();
                let appended = load.generation.done() - before;
                out.appended += appended;
                left -= appended;
                if refused {
                    load.generation.skip_refused();
                    out.refused += 1;
                    left -= 1;
                }
            }
        }
        loads.retain(|l| !l.generation.is_done());
        // Nothing starts a load while records are appended.
        debug_assert!(self.schedule.loads.is_empty());
        self.schedule.loads = loads;
        out
    }

    /// `run <duration>`: the broker works for `ms`, as a broker does: load
    /// records appended when due, cleaner-thread iterations on their
    /// schedule, the retention check on its own, in time order (at one
    /// instant: appends, then cleaner iterations, then the retention check);
    /// then the clock stands at the end, which belongs to the run.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] for a negative duration or an end past the
    /// clock's end; [`Error::BudgetExceeded`] (command `run`, limit
    /// `cleaner_work` or `results`) when the wakes and checks due in the run
    /// alone would pass the session's budget (checked first), or when the
    /// run passes it on the way. A refused run changes nothing.
    pub fn run_for(&mut self, ms: i64) -> Result<BrokerRun> {
        let mut run = self.start_run(ms)?;
        let before = self.clone();
        match self.continue_run(&mut run, i64::MAX, &mut |_, _| {}) {
            Ok(()) => Ok(run.done),
            Err(e) => {
                *self = before;
                Err(e)
            }
        }
    }

    /// The checks of [`Self::run_for`], made up front: a `run` of `ms` from
    /// now, to be done a piece at a time with [`Self::continue_run`] (the
    /// page runs a long one between paints). Nothing runs yet.
    ///
    /// # Errors
    ///
    /// Those of [`Self::run_for`] that come before anything runs.
    pub fn start_run(&self, ms: i64) -> Result<Running> {
        if ms < 0 {
            return Err(Error::InvalidRequest(InvalidRequest::NegativeRun { ms }));
        }
        let start = self.clock.now_ms();
        let end = Clock::at(start)
            .advance_ms(ms)
            .ok_or(Error::InvalidRequest(InvalidRequest::ClockPastEnd))?;
        let backoff = self.broker.log_cleaner_backoff_ms.max(1);
        let interval = self.broker.log_retention_check_interval_ms.max(1);
        let first_wake = self.next_cleaner_wake_ms();
        let first_check = self.schedule.retention_from(start, interval);
        // What the scheduled work alone costs at least: each wake reads
        // every compacted partition, each check every other one (and at
        // least 1 each), whatever the cleanings add.
        let count = |first: i64, period: i64| {
            if first > end {
                0
            } else {
                ((end - first) / period) as u64 + 1
            }
        };
        let wakes = first_wake.map_or(0, |w| count(w, backoff));
        let checks = count(first_check, interval);
        let (mut compacted, mut others) = (0u64, 0u64);
        for t in self.topics.values() {
            let n = t.partitions().len() as u64;
            if t.config().cleanup_policy.compact {
                compacted += n;
            } else {
                others += n;
            }
        }
        let least = wakes
            .saturating_mul(compacted.max(1))
            .saturating_add(checks.saturating_mul(others.max(1)));
        self.check_budget("run", Limit::CleanerWork, least)?;
        Ok(Running {
            start_ms: start,
            end_ms: end,
            done: BrokerRun::default(),
        })
    }

    /// Does what is due in `run` up to `until_ms` (at most its end; the
    /// instant `until_ms` included), then the clock stands there. A `run`
    /// done in pieces is the same as done whole: each piece is exactly a
    /// `run` from the clock to its end (the schedule carries the next wake
    /// and check over), which the tests check. `observe` is told of each
    /// cleaning, before (when a wake is about to clean) and after.
    ///
    /// # Errors
    ///
    /// [`Error::BudgetExceeded`] when a piece passes the session's budget;
    /// the broker is then partway through the piece (unlike
    /// [`Self::run_for`], nothing is undone: the caller holds a copy or
    /// rebuilds the broker).
    pub fn continue_run(
        &mut self,
        run: &mut Running,
        until_ms: i64,
        observe: &mut dyn FnMut(&LogManager, RunMoment<'_>),
    ) -> Result<()> {
        let until = until_ms.min(run.end_ms).max(self.clock.now_ms());
        let backoff = self.broker.log_cleaner_backoff_ms.max(1);
        let interval = self.broker.log_retention_check_interval_ms.max(1);
        let first_wake = self.next_cleaner_wake_ms();
        let first_check = self.schedule.retention_from(self.clock.now_ms(), interval);
        self.run_events(
            &mut run.done,
            until,
            first_wake,
            first_check,
            backoff,
            interval,
            observe,
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn run_events(
        &mut self,
        out: &mut BrokerRun,
        end: i64,
        mut wake: Option<i64>,
        mut check: i64,
        backoff: i64,
        interval: i64,
        observe: &mut dyn FnMut(&LogManager, RunMoment<'_>),
    ) -> Result<()> {
        loop {
            let next_load = self.schedule.next_load_ms();
            let t = [next_load, wake, Some(check)]
                .into_iter()
                .flatten()
                .min()
                .unwrap_or(i64::MAX);
            if t > end {
                break;
            }
            self.clock.set_ms(t);
            if next_load == Some(t) {
                out.appended += self.append_loads_due(t);
            }
            if wake == Some(t) {
                // CleanerThread.doWork: again at once after a cleaning, else
                // pause(backoff). A cleaning that did not move the first
                // dirty offset would find the same log again: treated as
                // idle, so one instant never loops (the budget bounds the
                // rest: every iteration costs cleaner_work).
                loop {
                    if self.cleaner_manager.plan(&self.topics, t).chosen().is_some() {
                        observe(self, RunMoment::BeforeCleaning { time_ms: t });
                    }
                    let it = self.cleaner_iteration("run", false)?;
                    out.cleaner_iterations += 1;
                    out.deleted_segments += it.deleted.len() as u64;
                    let Some(c) = it.cleaned else { break };
                    self.check_budget("run", Limit::Results, 1)?;
                    self.usage.results += 1;
                    out.cleanings.push(TimedCleaning::of(t, &c));
                    if let Some(done) = out.cleanings.last() {
                        observe(self, RunMoment::AfterCleaning(done));
                    }
                    if c.end_offset <= c.first_dirty_offset {
                        break;
                    }
                }
                wake = Some(t.saturating_add(backoff));
            }
            if check == t {
                out.deleted_segments += self.retention_pass("run", 1)?.len() as u64;
                out.retention_checks += 1;
                check = t.saturating_add(interval);
            }
        }
        self.clock.set_ms(end);
        if let Some(w) = wake {
            self.schedule.cleaner_wake_ms = w;
        }
        self.schedule.retention_next_ms = check;
        Ok(())
    }
}
