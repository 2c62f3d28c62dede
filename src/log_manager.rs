//! The simulated broker: topics, the clock, produce, roll, fetch, the
//! cleaner thread's iteration and the retention check.
//!
//! Models Kafka's `LogManager` (the entry point of the log subsystem) plus
//! the parts of `ReplicaManager`/`LogValidator` a produce goes through and
//! one `LogCleaner` thread's `tryCleanFilthiestLog`. Simplified: one broker,
//! one replica per partition, no background threads: the cleaner and the
//! retention check run when asked (`clean`, `retention`), instantly, so a
//! learner sees every step. Every method that fails changes nothing.
//!
//! Not Kafka's: the broker holds the session's [`Budget`] and what was used
//! of it, and refuses, before changing anything, a request that would go
//! past it ([`Error::BudgetExceeded`]).

use std::collections::BTreeMap;

use crate::batch::{single_record_batch_size, NO_TIMESTAMP};
use crate::budget::{Budget, Limit, Usage, DEFAULT_CONSUME_MAX};
use crate::cleaner::manager::{LogCleanerManager, LogToClean};
use crate::cleaner::{CleanResult, Cleaner};
use crate::clock::Clock;
use crate::config::{BrokerConfig, TimestampType, TopicConfig, TopicOverrides};
use crate::error::{
    BudgetExceeded, Error, IllegalArgument, InvalidRecord, InvalidRequest, InvalidTimestamp, InvalidTopic,
    RecordBatchTooLarge, RecordTooLarge, Result, TopicExists, UnknownTopicOrPartition,
};
use crate::log::retention::{self, SegmentDeletion};
use crate::log::segment::RollReason;
use crate::log::{FetchedRecord, PartitionLog};
use crate::partitioner::{partition_for_key, StickyPartitioner};
use crate::record::Record;
use crate::rng::SplitMix64;
use crate::topic::{validate_partition_count, validate_topic_name, Topic};
use crate::topic_partition::TopicPartition;

mod generate;

pub use generate::GenerateRequest;

/// The seed of a new broker's generator (segment jitter, null-key placement).
pub const DEFAULT_SEED: u64 = 0x006b_6166_6b61; // "kafka" in ASCII

/// What a producer sends in one `produce` call (one record, one batch).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProduceRequest<'a> {
    pub topic: &'a str,
    /// Explicit partition; `None` lets the Java default partitioner choose.
    pub partition: Option<u32>,
    /// The record's CreateTime; `None` means the clock's now (what a
    /// producer stamps). -1 means "no timestamp".
    pub timestamp_ms: Option<i64>,
    pub key: Option<&'a [u8]>,
    /// `None` is a tombstone.
    pub value: Option<&'a [u8]>,
}

impl<'a> ProduceRequest<'a> {
    /// A record for the default partitioner, stamped with the clock's now;
    /// set `partition` or `timestamp_ms` with struct update syntax.
    pub fn new(topic: &'a str, key: Option<&'a [u8]>, value: Option<&'a [u8]>) -> Self {
        ProduceRequest {
            topic,
            partition: None,
            timestamp_ms: None,
            key,
            value,
        }
    }
}

/// A produce the broker accepted but has not appended yet.
struct CheckedProduce {
    partition: u32,
    /// The record's timestamp, the clock's now when the request had none.
    timestamp_ms: i64,
    /// The partitioner's state after choosing (a null key may switch the
    /// sticky partition).
    sticky: StickyPartitioner,
    rng: SplitMix64,
}

/// Where a produced record went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProduceResult {
    pub topic_partition: TopicPartition,
    pub offset: i64,
    pub timestamp_ms: i64,
    pub size_bytes: u64,
    /// The roll this append caused, and why.
    pub rolled: Option<RollReason>,
}

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

    /// The session's limits.
    pub fn budget(&self) -> &Budget {
        &self.budget
    }

    /// What the session has used of its budget.
    pub fn usage(&self) -> &Usage {
        &self.usage
    }

    /// Refuses `requested` more of `limit` when the session's budget does
    /// not hold it; changes nothing.
    fn check_budget(&self, command: &str, limit: Limit, requested: u64) -> Result<()> {
        let max = self.budget.max(limit);
        let used = match limit {
            Limit::Partitions => self.partitions,
            _ => self.usage.of(limit),
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

    /// Moves the simulated clock forward.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] (`cannot advance the clock by a negative duration
    /// (-5 ms)`) when `ms` is negative, and (`the clock cannot go past
    /// 9999-12-31T23:59:59.999Z ...`) past [`crate::clock::MAX_MS`]; the clock
    /// does not move.
    pub fn advance_ms(&mut self, ms: i64) -> Result<()> {
        if ms < 0 {
            return Err(Error::InvalidRequest(InvalidRequest::NegativeAdvance { ms }));
        }
        match self.now_ms().checked_add(ms) {
            Some(now_ms) if now_ms <= crate::clock::MAX_MS => self.clock.set_ms(now_ms),
            _ => return Err(Error::InvalidRequest(InvalidRequest::ClockPastEnd)),
        }
        Ok(())
    }

    /// Sets the clock to epoch milliseconds.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] (`the clock cannot be set before 1970 (-1 ms)`)
    /// when `now_ms` is negative, or past [`crate::clock::MAX_MS`]; the clock
    /// does not move.
    pub fn set_clock_ms(&mut self, now_ms: i64) -> Result<()> {
        if now_ms < 0 {
            return Err(Error::InvalidRequest(InvalidRequest::ClockBeforeEpoch { now_ms }));
        }
        if now_ms > crate::clock::MAX_MS {
            return Err(Error::InvalidRequest(InvalidRequest::ClockPastEnd));
        }
        self.clock.set_ms(now_ms);
        Ok(())
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
    /// conflicting effective configs is refused as a whole.
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
        self.broker = broker;
        Ok(())
    }

    /// Produces one record as one batch, as a Java producer with
    /// `linger.ms=0` would: partition from the explicit number, else
    /// murmur2 of the key, else the sticky partition. Then the broker's
    /// checks in Kafka's order: `max.message.bytes`, record validation (keys
    /// on compacted topics, timestamps), `segment.bytes`; then roll and
    /// append. A rejected record changes nothing.
    ///
    /// # Errors
    ///
    /// The first failing check, in the order above; nothing is appended and
    /// the partitioner does not move: [`Error::UnknownTopicOrPartition`];
    /// [`Error::RecordTooLarge`] (batch over `max.message.bytes`);
    /// [`Error::InvalidRecord`] (a null key on a compacted topic);
    /// [`Error::InvalidTimestamp`] (a CreateTime outside
    /// `message.timestamp.before.max.ms`/`after.max.ms` of the clock);
    /// [`Error::RecordBatchTooLarge`] (batch over `segment.bytes`). Before
    /// them, [`Error::IllegalArgument`] for a timestamp below -1 (the Java
    /// producer's check); after them, [`Error::BudgetExceeded`] when the
    /// session's `records` or `bytes` are used up.
    pub fn produce(&mut self, req: ProduceRequest<'_>) -> Result<ProduceResult> {
        let checked = self.check_produce(&req)?;
        let command = if req.value.is_some() { "produce" } else { "tombstone" };
        self.check_budget(command, Limit::Records, 1)?;
        let bytes = payload_bytes(req.key, req.value);
        self.check_budget(command, Limit::Bytes, bytes)?;
        self.usage.records += 1;
        self.usage.bytes += bytes;
        let now = self.clock.now_ms();
        let topic = self.topics.get_mut(req.topic).expect("checked above");
        topic.sticky = checked.sticky;
        self.rng = checked.rng;
        let (logs, config) = topic.logs_mut();
        let log = logs.get_mut(checked.partition as usize).expect("checked above");
        let (record_ts, max_ts) = match config.message_timestamp_type {
            TimestampType::CreateTime => (checked.timestamp_ms, checked.timestamp_ms),
            // LogValidator stamps the broker's clock on the whole batch.
            TimestampType::LogAppendTime => (checked.timestamp_ms, now),
        };
        let record = Record {
            offset: 0,
            timestamp_ms: record_ts,
            key: req.key.map(Box::from),
            value: req.value.map(Box::from),
            headers: Vec::new(),
        };
        let rng = &mut self.rng;
        let info = log.append_batch(vec![record], config, now, max_ts, || {
            config.random_segment_jitter_ms(rng)
        });
        Ok(ProduceResult {
            topic_partition: log.topic_partition().clone(),
            offset: info.first_offset,
            timestamp_ms: max_ts,
            size_bytes: info.size_bytes,
            rolled: info.rolled,
        })
    }

    /// Chooses the partition of a produce and runs the broker's checks,
    /// changing nothing: the partitioner's next state comes back for
    /// [`Self::produce`] to keep (and for a check alone to drop).
    fn check_produce(&self, req: &ProduceRequest<'_>) -> Result<CheckedProduce> {
        // ProducerRecord's constructor, before the record leaves the client;
        // -1 is the playground's "no timestamp".
        if let Some(ts) = req.timestamp_ms.filter(|&ts| ts < NO_TIMESTAMP) {
            return Err(Error::IllegalArgument(IllegalArgument::NegativeTimestamp {
                timestamp_ms: ts,
            }));
        }
        let now = self.clock.now_ms();
        let topic = self.topic(req.topic)?;
        let size = single_record_batch_size(req.key, req.value);
        let n = topic.partitions().len() as u32;
        let mut sticky = topic.sticky.clone();
        let mut rng = self.rng.clone();
        let partition = match (req.partition, req.key) {
            (Some(p), _) => p,
            (None, Some(key)) => partition_for_key(key, n),
            (None, None) => sticky.partition(n, size, &mut rng),
        };
        let log = topic.partition(partition)?;
        let timestamp_ms = req.timestamp_ms.unwrap_or(now);
        validate_record(log, topic.config(), size, req.key.is_some(), timestamp_ms, now)?;
        Ok(CheckedProduce {
            partition,
            timestamp_ms,
            sticky,
            rng,
        })
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
        let max = max.unwrap_or(DEFAULT_CONSUME_MAX);
        self.check_budget("consume", Limit::ConsumeMax, max)?;
        let log = self.partition(topic, partition)?;
        let from = from.unwrap_or(log.log_start_offset());
        // What the fetch can return at most, checked before reading.
        let available = u64::try_from(log.log_end_offset().saturating_sub(from)).unwrap_or(0);
        self.check_budget("consume", Limit::Results, max.min(available))?;
        let records = log.read(from, usize::try_from(max).unwrap_or(usize::MAX))?;
        self.usage.results += records.len() as u64;
        Ok(records)
    }

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
        let now = self.clock.now_ms();
        if !self.broker.log_cleaner_enable {
            return Ok(CleanerRun {
                selection: Vec::new(),
                cleaned: None,
                deleted: Vec::new(),
            });
        }
        let (pass, compacted, largest) = self.compacted_logs_cost();
        self.check_budget("clean", Limit::CleanerWork, 2 * pass + 2 * largest)?;
        self.check_budget("clean", Limit::Results, compacted)?;
        let plan = self.cleaner_manager.plan(&self.topics, now);
        // grabFilthiestCompactedLog rewrites invalid checkpoints, chosen or not.
        self.cleaner_manager.update_checkpoints(&plan.checkpoint_resets);
        let cleaned = plan.chosen().cloned().map(|c| self.clean_planned(&c, now));
        let deleted = self.delete_old_segments(true);
        self.usage.cleaner_work += 2 * pass + cleaned.as_ref().map_or(0, cleaner_reads);
        self.usage.results += plan.logs.len() as u64;
        Ok(CleanerRun {
            selection: plan.logs,
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

    fn clean_planned(&mut self, plan: &LogToClean, now: i64) -> CleanResult {
        let max_keys = self.broker.max_keys_per_pass();
        let slots = self.broker.offset_map_slots();
        let tp = &plan.topic_partition;
        let topic = self.topics.get_mut(&tp.topic).expect("planned topics exist");
        let (logs, config) = topic.logs_mut();
        let log = logs.get_mut(tp.partition as usize).expect("planned partitions exist");
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
        let pass: u64 = self
            .topics
            .values()
            .filter(|t| !t.config().cleanup_policy.compact)
            .flat_map(Topic::partitions)
            .map(|log| 1 + log.segments().len() as u64)
            .sum();
        self.check_budget("retention", Limit::CleanerWork, pass)?;
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

/// The broker-side checks of one single-record batch, in Kafka's order.
fn validate_record(
    log: &PartitionLog,
    config: &TopicConfig,
    size: u64,
    has_key: bool,
    timestamp: i64,
    now: i64,
) -> Result<()> {
    // The partition's name is formatted only on the error paths: this runs
    // for every record a `generate` appends.
    let tp = || log.topic_partition().clone();
    // UnifiedLog.analyzeAndValidateRecords: batch size vs max.message.bytes.
    if size > config.max_message_bytes.max(0) as u64 {
        return Err(Error::RecordTooLarge(RecordTooLarge {
            topic_partition: tp(),
            batch_size: size,
            max_message_bytes: config.max_message_bytes,
        }));
    }
    // LogValidator.validateKey: compacted topics need keys.
    if config.cleanup_policy.compact && !has_key {
        return Err(Error::InvalidRecord(InvalidRecord::CompactedTopicWithoutKey {
            topic_partition: tp(),
        }));
    }
    // LogValidator.validateTimestamp (CreateTime only; -1 is "no timestamp").
    if config.message_timestamp_type == TimestampType::CreateTime && timestamp != crate::batch::NO_TIMESTAMP {
        let diff = timestamp.saturating_sub(now);
        if diff > config.message_timestamp_after_max_ms
            || diff.saturating_neg() > config.message_timestamp_before_max_ms
        {
            return Err(Error::InvalidTimestamp(InvalidTimestamp {
                timestamp_ms: timestamp,
                // Validation runs before the broker assigns offsets: Kafka
                // names the record's offset in the batch the producer sent,
                // and a produce here is a one-record batch (checked against
                // Kafka 4.0 by the oracle test).
                offset: 0,
                min_ms: now.wrapping_sub(config.message_timestamp_before_max_ms),
                max_ms: now.wrapping_add(config.message_timestamp_after_max_ms),
            }));
        }
    }
    // UnifiedLog.append: the batch set must fit in one segment.
    if size > config.segment_bytes.max(0) as u64 {
        return Err(Error::RecordBatchTooLarge(RecordBatchTooLarge {
            topic_partition: tp(),
            batch_size: size,
            segment_bytes: config.segment_bytes,
        }));
    }
    Ok(())
}

/// Records the cleaner read in one round: mapping the dirty section and
/// recopying the log below the round's end.
fn cleaner_reads(c: &CleanResult) -> u64 {
    c.stats.map_messages_read + c.stats.messages_read + c.groups.iter().map(|g| g.len() as u64).sum::<u64>()
}

/// The key and value bytes of a record (the `bytes` limit).
fn payload_bytes(key: Option<&[u8]>, value: Option<&[u8]>) -> u64 {
    (key.map_or(0, <[u8]>::len) + value.map_or(0, <[u8]>::len)) as u64
}

/// `Topic.unifyCollisionChars` for a name with '.' or '_'
/// (`Topic.hasCollisionChars`), else `None`.
fn unify_collision_chars(name: &str) -> Option<String> {
    name.contains(['.', '_']).then(|| name.replace('.', "_"))
}

fn unknown_topic(name: &str) -> Error {
    Error::UnknownTopicOrPartition(UnknownTopicOrPartition::Topic {
        topic: name.to_string(),
    })
}
