//! The simulated broker: topics, the clock, produce, roll, fetch, the
//! cleaner thread's iteration and the retention check.
//!
//! Models Kafka's `LogManager` (the entry point of the log subsystem) plus
//! the parts of `ReplicaManager`/`LogValidator` a produce goes through and
//! one `LogCleaner` thread's `tryCleanFilthiestLog`. Simplified: one broker,
//! one replica per partition, no background threads: the cleaner and the
//! retention check run when asked (`clean`, `retention`), instantly, so a
//! learner sees every step. Every method that fails changes nothing.

use std::collections::BTreeMap;

use crate::batch::single_record_batch_size;
use crate::cleaner::manager::{LogCleanerManager, LogToClean};
use crate::cleaner::{CleanResult, Cleaner};
use crate::clock::Clock;
use crate::config::{BrokerConfig, TimestampType, TopicConfig, TopicOverrides};
use crate::error::{
    Error, InvalidRecord, InvalidRequest, InvalidTimestamp, RecordBatchTooLarge, RecordTooLarge, Result, TopicExists,
    UnknownTopicOrPartition,
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
}

impl Default for LogManager {
    fn default() -> Self {
        Self::new(DEFAULT_SEED)
    }
}

impl LogManager {
    /// A broker with no topics, Kafka's default settings and the clock at
    /// 2024-01-01T00:00:00Z.
    pub fn new(seed: u64) -> Self {
        LogManager {
            clock: Clock::default(),
            broker: BrokerConfig::default(),
            topics: BTreeMap::new(),
            cleaner_manager: LogCleanerManager::default(),
            rng: SplitMix64::new(seed),
        }
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
    /// [`Error::InvalidConfig`] for an unknown config name, a bad value or
    /// `min.compaction.lag.ms` above `max.compaction.lag.ms`.
    pub fn create_topic(&mut self, name: &str, partitions: i64, configs: &[(&str, &str)]) -> Result<()> {
        validate_topic_name(name)?;
        let count = validate_partition_count(partitions)?;
        if self.topics.contains_key(name) {
            return Err(Error::TopicExists(TopicExists {
                topic: name.to_string(),
            }));
        }
        let overrides = TopicOverrides::default().with(configs, &self.broker)?;
        let rng = &mut self.rng;
        let topic = Topic::new(name, count, overrides, &self.broker, self.clock.now_ms(), |config| {
            config.random_segment_jitter_ms(rng)
        })?;
        self.topics.insert(name.to_string(), topic);
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
    /// [`Error::RecordBatchTooLarge`] (batch over `segment.bytes`).
    pub fn produce(&mut self, req: ProduceRequest<'_>) -> Result<ProduceResult> {
        let checked = self.check_produce(&req)?;
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

    /// What a cleaner-thread iteration would consider now, without cleaning
    /// (planning changes nothing, so previews are free of side effects).
    pub fn plan_cleaning(&self) -> Vec<LogToClean> {
        self.cleaner_manager.plan(&self.topics, self.clock.now_ms()).logs
    }

    /// One iteration of a cleaner thread (`LogCleaner.CleanerThread.doWork`):
    /// grab the filthiest eligible compacted log and clean it, then run
    /// segment deletion on every compacted log.
    pub fn run_cleaner_iteration(&mut self) -> CleanerRun {
        let now = self.clock.now_ms();
        if !self.broker.log_cleaner_enable {
            return CleanerRun {
                selection: Vec::new(),
                cleaned: None,
                deleted: Vec::new(),
            };
        }
        let plan = self.cleaner_manager.plan(&self.topics, now);
        // grabFilthiestCompactedLog rewrites invalid checkpoints, chosen or not.
        self.cleaner_manager.update_checkpoints(&plan.checkpoint_resets);
        let cleaned = plan.chosen().cloned().map(|c| self.clean_planned(&c, now));
        let deleted = self.delete_old_segments(true);
        CleanerRun {
            selection: plan.logs,
            cleaned,
            deleted,
        }
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
    /// includes compact`) when the policy has no `compact`. Nothing changes.
    pub fn clean_partition(&mut self, topic: &str, partition: u32) -> Result<CleanerRun> {
        let now = self.clock.now_ms();
        let t = self.topic(topic)?;
        let tp = t.partition(partition)?.topic_partition().clone();
        if !t.config().cleanup_policy.compact {
            return Err(Error::InvalidRequest(InvalidRequest::NotCompacted {
                topic_partition: tp,
                cleanup_policy: t.config().cleanup_policy.to_string(),
            }));
        }
        let plan = self.cleaner_manager.plan(&self.topics, now);
        self.cleaner_manager.update_checkpoints(&plan.checkpoint_resets);
        let target = plan.logs.iter().find(|c| c.topic_partition == tp).cloned();
        let cleaned = match target {
            Some(c) if c.first_uncleanable_offset > c.first_dirty_offset => Some(self.clean_planned(&c, now)),
            _ => None,
        };
        let selection = plan
            .logs
            .into_iter()
            .filter(|c| c.topic_partition == tp)
            .map(|mut c| {
                c.chosen = cleaned.is_some();
                c
            })
            .collect();
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
    pub fn run_retention(&mut self) -> Vec<SegmentDeletion> {
        self.delete_old_segments(false)
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

fn unknown_topic(name: &str) -> Error {
    Error::UnknownTopicOrPartition(UnknownTopicOrPartition::Topic {
        topic: name.to_string(),
    })
}
