//! The simulated broker: topics, the clock, produce, roll, fetch, the
//! cleaner thread's iteration and the retention check.
//!
//! Models Kafka's `LogManager` (the entry point of the log subsystem) plus
//! the parts of `ReplicaManager`/`LogValidator` a produce goes through and
//! one `LogCleaner` thread's `tryCleanFilthiestLog`. Simplified: one broker,
//! one replica per partition, no threads: the cleaner and the retention check
//! run when asked (`clean`, `retention`), instantly, so a learner sees every
//! step, or on Kafka's schedules as simulated time passes in a `run`
//! (`log_manager/schedule.rs`). Every method that fails changes nothing.
//!
//! Not Kafka's: the broker holds the session's [`Budget`] and what was used
//! of it, and refuses, before changing anything, a request that would go
//! past it ([`Error::BudgetExceeded`]).
//!
//! This file holds the broker's state, the clock, the budget accounting,
//! topic administration, roll and fetch; the produce path is in
//! `log_manager/produce.rs` ([`ProduceRequest`]), the cleaner and retention
//! runs in `log_manager/cleaning.rs` ([`CleanerRun`]), record generation in
//! `log_manager/generate.rs` ([`GenerateRequest`]), the broker in time
//! (scheduled loads, `run`) in `log_manager/schedule.rs` ([`LoadRequest`],
//! [`BrokerRun`]), and when a partition will be cleaned and why not yet in
//! `log_manager/outlook.rs` ([`PartitionOutlook`]).

use std::collections::BTreeMap;

use crate::budget::{Budget, Limit, Usage, DEFAULT_CONSUME_MAX};
use crate::cleaner::manager::LogCleanerManager;
use crate::clock::Clock;
use crate::config::{BrokerConfig, TopicConfig, TopicOverrides};
use crate::error::{BudgetExceeded, Error, InvalidRequest, InvalidTopic, Result, TopicExists, UnknownTopicOrPartition};
use crate::log::{FetchedRecord, IsolationLevel, PartitionLog};
use crate::log_dir::import::{ImportFile, ImportedLog};
use crate::rng::SplitMix64;
use crate::topic::{validate_partition_count, validate_topic_name, Topic};

mod cleaning;
mod generate;
mod outlook;
mod produce;
mod schedule;
mod transactions;

pub use cleaning::CleanerRun;
pub use generate::{GenerateRequest, Generation};
pub use outlook::{
    DryRun, PartitionOutlook, Removed, RemovedWhy, TombstoneOutlook, TombstoneWait, Wait, MAX_REMOVED_LISTED,
    MAX_TOMBSTONES_LISTED,
};
pub use produce::{ProduceRequest, ProduceResult};
use schedule::Schedule;
pub use schedule::{
    BrokerRun, LoadAppends, LoadRequest, LoadStarted, RateUnit, RunMoment, Running, TimedCleaning,
    INITIAL_TASK_DELAY_MS,
};
pub use transactions::{LeaderAppend, MarkerWritten, ProducerClient, COORDINATOR_EPOCH};

/// The seed of a new broker's generator (segment jitter, null-key placement).
pub const DEFAULT_SEED: u64 = 0x006b_6166_6b61; // "kafka" in ASCII

/// The simulated broker.
#[derive(Debug, Clone)]
pub struct LogManager {
    clock: Clock,
    broker: BrokerConfig,
    topics: BTreeMap<String, Topic>,
    cleaner_manager: LogCleanerManager,
    rng: SplitMix64,
    budget: Budget,
    usage: Usage,
    /// Partitions summed over the topics (the `partitions` limit).
    partitions: u64,
    /// Topic names with '.' or '_', by their name with every '.' made '_'
    /// (`Topic.unifyCollisionChars`): the controller's collision check.
    collision_names: BTreeMap<String, String>,
    /// The broker in time: scheduled loads, the cleaner threads' next wake,
    /// the next retention check, and the budget the loads hold.
    schedule: Schedule,
    /// The files `import` lines name, by path as written (see
    /// [`Self::provide_import_files`]).
    import_files: BTreeMap<String, std::result::Result<Vec<ImportFile>, String>>,
    /// Producer clients by name, and the next producer id to hand out.
    producers: BTreeMap<String, ProducerClient>,
    next_producer_id: i64,
}

impl Default for LogManager {
    fn default() -> Self {
        Self::new(DEFAULT_SEED)
    }
}

impl LogManager {
    /// A broker with no topics, Kafka's default settings and the clock at
    /// 2024-01-01T00:00:00Z.
    /// The budget is [`Budget::CLI`]; see [`Self::with_budget`].
    pub fn new(seed: u64) -> Self {
        LogManager {
            clock: Clock::default(),
            broker: BrokerConfig::default(),
            topics: BTreeMap::new(),
            cleaner_manager: LogCleanerManager::default(),
            rng: SplitMix64::new(seed),
            budget: Budget::CLI,
            usage: Usage::default(),
            partitions: 0,
            collision_names: BTreeMap::new(),
            schedule: Schedule::default(),
            import_files: BTreeMap::new(),
            producers: BTreeMap::new(),
            next_producer_id: 0,
        }
    }

    /// A new broker (as [`Default`]) whose session has `budget`:
    /// `LogManager::with_budget(Budget::PAGE)` for a browser tab.
    pub fn with_budget(budget: Budget) -> Self {
        LogManager {
            budget,
            ..Self::default()
        }
    }

    /// Gives the broker the files an `import` line names, read by the CLI
    /// (or picked in the page) before the script runs: `path` as the line
    /// writes it, and the files or why they could not be read.
    pub fn provide_import_files(&mut self, path: &str, files: std::result::Result<Vec<ImportFile>, String>) {
        self.import_files.insert(path.to_string(), files);
    }

    /// The files provided for `path`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] when none were provided, or they could not be
    /// read (`cannot import data/t-0 at byte 0: No such file or directory`),
    /// or, once provided, without Kafka's codecs (the `files` feature, or codecs
    /// provided by the page: `compression::provide_codecs`).
    pub fn import_files(&self, path: &str) -> Result<&[ImportFile]> {
        // Files that are not there come first: the page says to pick them
        // again whether or not its files support has loaded yet.
        let files = match self.import_files.get(path) {
            Some(Ok(files)) => files,
            Some(Err(e)) => return Err(import_error(path, e)),
            None => {
                return Err(import_error(
                    path,
                    "the file was not provided (the page asks for it; the CLI reads it beside the script)",
                ))
            }
        };
        if !crate::batch::compression::codecs_available() {
            return Err(Error::InvalidRequest(InvalidRequest::ImportUnsupported {
                target: path.to_string(),
            }));
        }
        Ok(files)
    }

    /// Drops the files provided for `path` (the page provides them just
    /// before its line runs and takes them back after, so that copies of
    /// the broker for undo do not each hold them).
    pub fn withdraw_import_files(&mut self, path: &str) {
        self.import_files.remove(path);
    }

    /// `import <topic>/<p> <path>`: the partition's log becomes the log in
    /// `files` (`.log` segments; other files ignored), batches kept as
    /// stored. All or nothing.
    ///
    /// # Errors
    ///
    /// [`Error::UnknownTopicOrPartition`]; [`Error::InvalidRequest`] when the
    /// partition is not empty or a file is not a valid log (naming the file
    /// and byte position); [`Error::BudgetExceeded`] when the records or bytes
    /// do not fit the session, or always without Kafka's codecs.
    /// Nothing changes.
    pub fn import_partition(&mut self, topic: &str, partition: u32, files: &[ImportFile]) -> Result<ImportedLog> {
        let log = self.partition(topic, partition)?;
        if !crate::batch::compression::codecs_available() {
            // Without the codecs nothing compressed may be stored: the page
            // imports once its files module has provided them.
            return Err(Error::InvalidRequest(InvalidRequest::ImportUnsupported {
                target: format!("into {}", log.topic_partition()),
            }));
        }
        if log.log_end_offset() != 0 || log.record_count() != 0 {
            return Err(Error::InvalidRequest(InvalidRequest::ImportNotEmpty {
                topic_partition: log.topic_partition().clone(),
                log_end_offset: log.log_end_offset(),
            }));
        }
        // Compressed records count as they are held: decompressed.
        let room = self.budget.max(Limit::Bytes).saturating_sub(
            self.usage
                .of(Limit::Bytes)
                .saturating_add(self.schedule.reserved(Limit::Bytes)),
        );
        let imported = crate::log_dir::import::read_log_within(files, room.saturating_add(1))
            .map_err(|e| Error::InvalidRequest(InvalidRequest::ImportFile(e)))?;
        self.check_budget("import", Limit::Records, imported.records)?;
        self.check_budget("import", Limit::Bytes, imported.held_bytes)?;
        let now = self.clock.now_ms();
        let t = self.topics.get_mut(topic).ok_or_else(|| unknown_topic(topic))?;
        let (logs, config) = t.logs_mut();
        let jitter = config.random_segment_jitter_ms(&mut self.rng);
        let interval = u64::try_from(config.index_interval_bytes).unwrap_or(0);
        if let Some(log) = logs.iter_mut().find(|l| l.partition() == partition) {
            log.load_imported(&imported, interval, now, jitter);
        }
        self.usage.records += imported.records;
        self.usage.bytes += imported.held_bytes;
        Ok(imported)
    }

    /// The session's limits.
    pub fn budget(&self) -> &Budget {
        &self.budget
    }

    /// What the session has used of its budget.
    pub fn usage(&self) -> &Usage {
        &self.usage
    }

    /// Refuses `requested` more of `limit` when the session's budget does
    /// not hold it; changes nothing. What scheduled loads hold for their
    /// records still to come counts as used.
    fn check_budget(&self, command: &str, limit: Limit, requested: u64) -> Result<()> {
        let max = self.budget.max(limit);
        let used = match limit {
            Limit::Partitions => self.partitions,
            _ => self.usage.of(limit).saturating_add(self.schedule.reserved(limit)),
        };
        if requested > max.saturating_sub(used) {
            return Err(Error::BudgetExceeded(BudgetExceeded {
                command: command.to_string(),
                limit,
                requested,
                used,
                max,
            }));
        }
        Ok(())
    }

    /// Checks that one more step of a script (or one action of a page) fits
    /// the `steps` limit. The runner calls it before every step, so that a
    /// session of more steps than the budget allows is cut short with an
    /// error on each step past it.
    ///
    /// # Errors
    ///
    /// [`Error::BudgetExceeded`] (limit `steps`) when the session already ran
    /// as many steps as its budget allows.
    pub fn check_step(&self, command: &str) -> Result<()> {
        self.check_budget(command, Limit::Steps, 1)
    }

    /// Counts a step that ran. A rejected step is not counted: it changes
    /// nothing, the budget included, so a session is the same whether a
    /// refused click happened or not (undo and replay rely on it).
    pub fn count_step(&mut self) {
        self.usage.steps += 1;
    }

    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    /// Moves the simulated clock forward. The broker's background work
    /// stays paused (the step-by-step mode), but the records of scheduled
    /// loads ([`Self::start_load`]) whose times the clock passes are
    /// appended, each at its own time. Returns how many were appended (and
    /// refused).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] (`cannot advance the clock by a negative duration
    /// (-5 ms)`) when `ms` is negative, and (`the clock cannot go past
    /// 9999-12-31T23:59:59.999Z ...`) past [`crate::clock::MAX_MS`]; the clock
    /// does not move.
    pub fn advance_ms(&mut self, ms: i64) -> Result<LoadAppends> {
        if ms < 0 {
            return Err(Error::InvalidRequest(InvalidRequest::NegativeAdvance { ms }));
        }
        let mut end = self.clock;
        match end.advance_ms(ms) {
            Some(to) => Ok(self.move_clock_to(to)),
            None => Err(Error::InvalidRequest(InvalidRequest::ClockPastEnd)),
        }
    }

    /// Sets the clock to epoch milliseconds. Forwards, the records of
    /// scheduled loads whose times it passes are appended, each at its own
    /// time (as [`Self::advance_ms`]); backwards, nothing is appended.
    /// Returns how many were appended (and refused).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] (`the clock cannot be set before 1970 (-1 ms)`)
    /// when `now_ms` is negative, or past [`crate::clock::MAX_MS`]; the clock
    /// does not move.
    pub fn set_clock_ms(&mut self, now_ms: i64) -> Result<LoadAppends> {
        if now_ms < 0 {
            return Err(Error::InvalidRequest(InvalidRequest::ClockBeforeEpoch { now_ms }));
        }
        if now_ms > crate::clock::MAX_MS {
            return Err(Error::InvalidRequest(InvalidRequest::ClockPastEnd));
        }
        Ok(self.move_clock_to(now_ms))
    }

    pub fn broker_config(&self) -> &BrokerConfig {
        &self.broker
    }

    pub fn topics(&self) -> impl Iterator<Item = &Topic> {
        self.topics.values()
    }

    /// The topic of that name.
    ///
    /// # Errors
    ///
    /// [`Error::UnknownTopicOrPartition`] (`This server does not host this
    /// topic-partition: topic 't' does not exist.`) when no topic has that name.
    pub fn topic(&self, name: &str) -> Result<&Topic> {
        self.topics.get(name).ok_or_else(|| unknown_topic(name))
    }

    /// The log of one partition.
    ///
    /// # Errors
    ///
    /// [`Error::UnknownTopicOrPartition`] when the topic does not exist, or
    /// when it has no such partition (`This server does not host this
    /// topic-partition: t-3.`).
    pub fn partition(&self, topic: &str, partition: u32) -> Result<&PartitionLog> {
        self.topic(topic)?.partition(partition)
    }

    /// The cleaner checkpoint (first dirty offset) of a partition, with
    /// Kafka's resets applied (missing or below the log start: the log start;
    /// past the LEO: the log start).
    ///
    /// # Errors
    ///
    /// [`Error::UnknownTopicOrPartition`] when the topic or the partition does
    /// not exist.
    pub fn first_dirty_offset(&self, topic: &str, partition: u32) -> Result<i64> {
        let log = self.partition(topic, partition)?;
        Ok(self.cleaner_manager.first_dirty_offset(log))
    }

    /// The partition's entry in `cleaner-offset-checkpoint`: the offset the
    /// next cleaning starts from as the cleaner stored it, `None` when the
    /// partition was never cleaned (then Kafka has no line for it).
    ///
    /// # Errors
    ///
    /// [`Error::UnknownTopicOrPartition`] when the topic or the partition does
    /// not exist.
    pub fn cleaner_checkpoint(&self, topic: &str, partition: u32) -> Result<Option<i64>> {
        let log = self.partition(topic, partition)?;
        Ok(self.cleaner_manager.checkpoint(log.topic_partition()))
    }

    /// Overwrites a partition's cleaner checkpoint, as Kafka's tests (and an
    /// operator editing `cleaner-offset-checkpoint`) can. Invalid values are
    /// reset by the next cleaner iteration, as Kafka resets them.
    ///
    /// # Errors
    ///
    /// [`Error::UnknownTopicOrPartition`] when the topic or the partition does
    /// not exist; no checkpoint is written.
    pub fn set_cleaner_checkpoint(&mut self, topic: &str, partition: u32, offset: i64) -> Result<()> {
        let tp = self.partition(topic, partition)?.topic_partition().clone();
        self.cleaner_manager.done_cleaning(tp, offset);
        Ok(())
    }

    /// `kafka-topics --create`: validates the name, the partition count and
    /// every config as one request.
    ///
    /// # Errors
    ///
    /// The first failing check, in Kafka's order; nothing is created:
    /// [`Error::InvalidTopic`] for an illegal name (`Topic name "a b" is illegal,
    /// it contains a character other than ...`); [`Error::InvalidPartitions`]
    /// (`Number of partitions must be larger than 0.`, or more than the
    /// playground draws); [`Error::TopicExists`] (`Topic 't' already exists.`);
    /// [`Error::InvalidTopic`] (`Topic 'a_b' collides with existing topic:
    /// a.b`) for a name that differs from an existing one only by '.' and
    /// '_'; [`Error::InvalidConfig`] for an unknown config name, a bad value or
    /// `min.compaction.lag.ms` above `max.compaction.lag.ms`;
    /// [`Error::BudgetExceeded`] when the session's `partitions` are used up.
    pub fn create_topic(&mut self, name: &str, partitions: i64, configs: &[(&str, &str)]) -> Result<()> {
        validate_topic_name(name)?;
        let count = validate_partition_count(partitions)?;
        if self.topics.contains_key(name) {
            return Err(Error::TopicExists(TopicExists {
                topic: name.to_string(),
            }));
        }
        let unified = unify_collision_chars(name);
        if let Some(existing) = unified.as_ref().and_then(|u| self.collision_names.get(u)) {
            return Err(Error::InvalidTopic(InvalidTopic::Collision {
                topic: name.to_string(),
                existing: existing.clone(),
            }));
        }
        let overrides = TopicOverrides::default().with(configs, &self.broker)?;
        self.check_budget("topic", Limit::Partitions, u64::from(count))?;
        let rng = &mut self.rng;
        let topic = Topic::new(name, count, overrides, &self.broker, self.clock.now_ms(), |config| {
            config.random_segment_jitter_ms(rng)
        })?;
        self.topics.insert(name.to_string(), topic);
        self.partitions += u64::from(count);
        if let Some(u) = unified {
            self.collision_names.insert(u, name.to_string());
        }
        Ok(())
    }

    /// `kafka-configs --alter --add-config`: all or nothing.
    ///
    /// # Errors
    ///
    /// [`Error::UnknownTopicOrPartition`] when the topic does not exist;
    /// [`Error::InvalidConfig`] (`Unknown topic config name: <name>`, a value's
    /// `Invalid value <v> for configuration <name>: <reason>`, or the lag
    /// conflict). Nothing changes.
    pub fn alter_topic(&mut self, name: &str, configs: &[(&str, &str)]) -> Result<()> {
        let broker = &self.broker;
        let topic = self.topics.get_mut(name).ok_or_else(|| unknown_topic(name))?;
        let overrides = topic.overrides().with(configs, broker)?;
        topic.set_overrides(overrides, broker)
    }

    /// `kafka-configs --alter --delete-config`: back to the broker default.
    ///
    /// # Errors
    ///
    /// [`Error::UnknownTopicOrPartition`] when the topic does not exist;
    /// [`Error::InvalidConfig`] (`Invalid config(s): <a>,<b>`) naming every given
    /// config the topic does not override, or the lag conflict the broker
    /// defaults would leave. Nothing changes.
    pub fn delete_topic_configs(&mut self, name: &str, names: &[&str]) -> Result<()> {
        let broker = &self.broker;
        let topic = self.topics.get_mut(name).ok_or_else(|| unknown_topic(name))?;
        let overrides = topic.overrides().without(names, broker)?;
        topic.set_overrides(overrides, broker)
    }

    /// Dynamic broker config (`kafka-configs --entity-type brokers --alter`)
    /// for the cleaner settings. A change that would leave some topic with
    /// conflicting effective configs is refused as a whole. A change of a
    /// setting that Kafka's `LogCleaner.reconfigure` applies by restarting
    /// the cleaner threads ([`BrokerConfig::restarts_cleaner`]) makes them
    /// wake now (in the next `run`).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidConfig`] with Kafka's message: `Unknown broker config name:
    /// <name>`, a bad value, fewer than one cleaner thread, an offset map that
    /// cannot hold one key, or a topic left with `min.compaction.lag.ms` above
    /// `max.compaction.lag.ms`. Neither the broker nor any topic changes.
    pub fn alter_broker(&mut self, configs: &[(&str, &str)]) -> Result<()> {
        let broker = self.broker.with(configs)?;
        // Every topic first, so that a refusal changes none.
        for topic in self.topics.values() {
            TopicConfig::resolve(&broker, topic.overrides())?;
        }
        for topic in self.topics.values_mut() {
            let overrides = topic.overrides().clone();
            topic
                .set_overrides(overrides, &broker)
                .expect("every topic resolved above");
        }
        if self.broker.restarts_cleaner(&broker) {
            self.schedule.restart_cleaner(self.clock.now_ms());
        }
        self.broker = broker;
        Ok(())
    }

    /// Rolls the active segment of one partition, or of every partition.
    /// Returns the partitions that got a new segment.
    ///
    /// # Errors
    ///
    /// [`Error::UnknownTopicOrPartition`] when the topic, or the given partition,
    /// does not exist; nothing rolls.
    pub fn roll(&mut self, topic: &str, partition: Option<u32>) -> Result<Vec<u32>> {
        let now = self.clock.now_ms();
        let t = self.topics.get_mut(topic).ok_or_else(|| unknown_topic(topic))?;
        if let Some(p) = partition {
            t.partition(p)?;
        }
        let mut rolled = Vec::new();
        let (logs, config) = t.logs_mut();
        for log in logs {
            if partition.is_some_and(|p| p != log.partition()) {
                continue;
            }
            let jitter = config.random_segment_jitter_ms(&mut self.rng);
            if log.roll(now, jitter) {
                rolled.push(log.partition());
            }
        }
        Ok(rolled)
    }

    /// Fetches up to `max` records from `from` (default: the log start).
    ///
    /// # Errors
    ///
    /// [`Error::UnknownTopicOrPartition`] when the topic or the partition does
    /// not exist; [`Error::OffsetOutOfRange`] when `from` is below the log start
    /// offset or past the log end offset (`Received request for offset 9 for
    /// partition t-0, but we only have log segments upto 7.`).
    pub fn consume(&self, topic: &str, partition: u32, from: Option<i64>, max: usize) -> Result<Vec<FetchedRecord>> {
        let log = self.partition(topic, partition)?;
        log.read(from.unwrap_or(log.log_start_offset()), max)
    }

    /// A consumer's poll: up to `max` records (default: Kafka's
    /// `max.poll.records`, 500) from `from` (default: the log start),
    /// counted against the session's budget (`consume_max` caps `max`;
    /// `results` bounds the records all consumes return).
    ///
    /// # Errors
    ///
    /// As [`Self::consume`]; and [`Error::BudgetExceeded`] when `max` is above
    /// `consume_max`, or the records would pass the session's `results`.
    pub fn poll(
        &mut self,
        topic: &str,
        partition: u32,
        from: Option<i64>,
        max: Option<u64>,
    ) -> Result<Vec<FetchedRecord>> {
        self.poll_isolated(topic, partition, from, max, IsolationLevel::ReadUncommitted)
    }

    /// [`Self::poll`] at an isolation level (`isolation.level`):
    /// `read_committed` reads up to the last stable offset and skips
    /// aborted records.
    ///
    /// # Errors
    ///
    /// As [`Self::poll`].
    pub fn poll_isolated(
        &mut self,
        topic: &str,
        partition: u32,
        from: Option<i64>,
        max: Option<u64>,
        isolation: IsolationLevel,
    ) -> Result<Vec<FetchedRecord>> {
        let max = max.unwrap_or(DEFAULT_CONSUME_MAX);
        self.check_budget("consume", Limit::ConsumeMax, max)?;
        let log = self.partition(topic, partition)?;
        let from = from.unwrap_or(log.log_start_offset());
        // What the fetch can return at most, checked before reading.
        let available = u64::try_from(log.log_end_offset().saturating_sub(from)).unwrap_or(0);
        self.check_budget("consume", Limit::Results, max.min(available))?;
        let records = log.read_isolated(from, usize::try_from(max).unwrap_or(usize::MAX), isolation)?;
        self.usage.results += records.len() as u64;
        Ok(records)
    }
}

/// `Topic.unifyCollisionChars` for a name with '.' or '_'
/// (`Topic.hasCollisionChars`), else `None`.
fn unify_collision_chars(name: &str) -> Option<String> {
    name.contains(['.', '_']).then(|| name.replace('.', "_"))
}

fn import_error(path: &str, message: &str) -> Error {
    Error::InvalidRequest(InvalidRequest::ImportFile(crate::log_dir::import::ImportError {
        file: path.to_string(),
        position: 0,
        message: message.to_string(),
    }))
}

fn unknown_topic(name: &str) -> Error {
    Error::UnknownTopicOrPartition(UnknownTopicOrPartition::Topic {
        topic: name.to_string(),
    })
}
