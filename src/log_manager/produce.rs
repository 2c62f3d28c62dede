//! The produce path: one record as one batch, from the producer's
//! partitioner through the broker's checks to the append.
//!
//! Models the Java producer's partition choice (`ProducerRecord`'s
//! timestamp check, `BuiltInPartitioner`'s murmur2, KIP-794's sticky partition
//! with `linger.ms=0`) and the broker's `ReplicaManager.appendRecords` →
//! `UnifiedLog.append` → `LogValidator` checks, in Kafka's order.
//! A produce by a named producer client (`producer=`) carries its producer
//! id, epoch and sequence, and the transactional flag inside a transaction
//! (`log_manager/transactions.rs`); the partition checks the sequence
//! (`log/producer_state.rs`).
//! Simplified: every produce is a one-record batch with no headers, and
//! `acks` does not exist (one replica).
//! The checks are split from the append so that a refused record changes
//! nothing and `generate` can check its largest record up front.
//!
//! Not Kafka's: the session's `records` and `bytes` budget is charged here.

use crate::batch::{single_record_batch_size, NO_TIMESTAMP};
use crate::budget::Limit;
use crate::config::{TimestampType, TopicConfig};
use crate::error::{
    Error, IllegalArgument, InvalidRecord, InvalidTimestamp, RecordBatchTooLarge, RecordTooLarge, Result,
};
use crate::log::segment::RollReason;
use crate::log::PartitionLog;
use crate::partitioner::{partition_for_key, StickyPartitioner};
use crate::record::SimpleRecord;
use crate::rng::SplitMix64;
use crate::topic_partition::TopicPartition;

use super::LogManager;

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
    /// The producer client by name (a `producer` line); `None`: a plain,
    /// non-idempotent producer.
    pub producer: Option<&'a str>,
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
            producer: None,
        }
    }
}

/// A produce the broker accepted but has not appended yet.
pub(super) struct CheckedProduce {
    partition: u32,
    /// The record's timestamp, the clock's now when the request had none.
    timestamp_ms: i64,
    /// The partitioner's state after choosing (a null key may switch the
    /// sticky partition).
    sticky: StickyPartitioner,
    rng: SplitMix64,
}

/// Where a produced record went, by partition number.
pub(super) struct Appended {
    partition: u32,
    offset: i64,
    timestamp_ms: i64,
    size_bytes: u64,
    rolled: Option<RollReason>,
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

impl LogManager {
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
        let appended = self.produce_one(req)?;
        let log = self.topic(req.topic)?.partition(appended.partition)?;
        Ok(ProduceResult {
            topic_partition: log.topic_partition().clone(),
            offset: appended.offset,
            timestamp_ms: appended.timestamp_ms,
            size_bytes: appended.size_bytes,
            rolled: appended.rolled,
        })
    }

    /// [`Self::produce`] without naming the partition in its result: what
    /// `generate` calls for each record, so that it copies no topic name.
    pub(super) fn produce_one(&mut self, req: ProduceRequest<'_>) -> Result<Appended> {
        let client = match req.producer {
            Some(name) => {
                let p = self.producer(name)?;
                // The client knows the topic before it checks its state.
                self.topic(req.topic)?;
                if p.transactional_id.is_some() && p.transaction.is_none() {
                    p.next_batch(&TopicPartition::new(req.topic, 0))?;
                }
                Some(name)
            }
            None => None,
        };
        let checked = self.check_produce(&req)?;
        let expiration_ms = i64::from(self.broker.producer_id_expiration_ms);
        let now = self.clock.now_ms();
        let tp = TopicPartition::new(req.topic, checked.partition);
        let producer = match client {
            Some(name) => self.producer(name)?.next_batch(&tp)?,
            None => crate::log::BatchProducer::NONE,
        };
        if producer.producer_id >= 0 {
            let topic = self.topics.get_mut(req.topic).expect("checked above");
            let (logs, _) = topic.logs_mut();
            let log = logs.get_mut(checked.partition as usize).expect("checked above");
            log.remove_expired_producers(now, expiration_ms);
            // A client's own sequences never duplicate (it does not resend).
            log.check_producer_append(&producer, 1)?;
        }
        let command = if req.value.is_some() { "produce" } else { "tombstone" };
        self.check_budget(command, Limit::Records, 1)?;
        let bytes = payload_bytes(req.key, req.value);
        self.check_budget(command, Limit::Bytes, bytes)?;
        self.usage.records += 1;
        self.usage.bytes += bytes;
        if let Some(p) = client.and_then(|name| self.producers.get_mut(name)) {
            p.sent(&tp, 1);
        }
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
        let record = SimpleRecord::new(record_ts, req.key, req.value);
        let rng = &mut self.rng;
        let info = log.append_batch_as(producer, &[record], config, now, max_ts, || {
            config.random_segment_jitter_ms(rng)
        });
        Ok(Appended {
            partition: checked.partition,
            offset: info.first_offset,
            timestamp_ms: max_ts,
            size_bytes: info.size_bytes,
            rolled: info.rolled,
        })
    }

    /// Chooses the partition of a produce and runs the broker's checks,
    /// changing nothing: the partitioner's next state comes back for
    /// [`Self::produce`] to keep (and for a check alone to drop).
    pub(super) fn check_produce(&self, req: &ProduceRequest<'_>) -> Result<CheckedProduce> {
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

/// The key and value bytes of a record (the `bytes` limit).
fn payload_bytes(key: Option<&[u8]>, value: Option<&[u8]>) -> u64 {
    (key.map_or(0, <[u8]>::len) + value.map_or(0, <[u8]>::len)) as u64
}
