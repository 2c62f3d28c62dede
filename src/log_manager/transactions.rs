//! Producer clients and their transactions.
//!
//! Models what the Java client's `KafkaProducer` and `TransactionManager`
//! do for the scenario's `producer`, `begin`, `commit` and `abort` lines,
//! and the end of a transaction as the coordinator makes it happen: a
//! COMMIT or ABORT marker (`WriteTxnMarkers`) appended to every partition
//! the transaction wrote to, at the clock's now. An idempotent producer
//! gets a producer id (0, 1, 2, ... in the order the lines run), epoch 0,
//! and a sequence per partition from 0 that each accepted batch advances by
//! its record count.
//!
//! Misuse is refused with the client's exceptions: `begin` on a producer
//! without `transactional.id` (`IllegalStateException`), `commit`/`abort`
//! without `begin` and `begin` twice (invalid state transitions), a send by
//! a transactional producer outside a transaction.
//!
//! Not modelled: the transaction coordinator itself (`__transaction_state`,
//! `InitProducerId`, `AddPartitionsToTxn`, `transaction.timeout.ms`: an open
//! transaction stays open until its producer commits or aborts, which is
//! how a hanging transaction behaves), producer-id blocks, and fencing (a
//! second producer with the same `transactional.id` is refused instead of
//! bumping the epoch).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::budget::Limit;
use crate::config::TopicConfig;
use crate::error::{Error, ProducerError, Result};
use crate::log::producer_state::ControlType;
use crate::log::{BatchProducer, PartitionLog};
use crate::rng::SplitMix64;
use crate::topic_partition::TopicPartition;

use super::LogManager;

/// The coordinator epoch markers carry: the leader epoch of the
/// `__transaction_state` partition, 0 on a fresh single broker.
pub const COORDINATOR_EPOCH: i32 = 0;

/// One producer client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProducerClient {
    pub name: String,
    /// `None` for `enable.idempotence=false`: its batches carry no producer id.
    pub producer_id: Option<i64>,
    pub producer_epoch: i16,
    pub transactional_id: Option<String>,
    /// The next sequence per partition.
    pub sequences: BTreeMap<TopicPartition, i32>,
    /// Inside a transaction: the partitions it wrote to so far.
    pub transaction: Option<BTreeSet<TopicPartition>>,
}

impl ProducerClient {
    /// `TransactionManager.currentState`'s name.
    pub fn state(&self) -> &'static str {
        if self.transaction.is_some() {
            "IN_TRANSACTION"
        } else {
            "READY"
        }
    }

    fn transactional_id_or_err(&self) -> Result<&str> {
        self.transactional_id
            .as_deref()
            .ok_or(Error::Producer(ProducerError::NoTransactionManager))
    }

    fn invalid_transition(&self, to: &'static str) -> Error {
        Error::Producer(ProducerError::InvalidTransition {
            transactional_id: self.transactional_id.clone().unwrap_or_default(),
            from: self.state(),
            to,
        })
    }

    /// The producer fields of its next batch to `tp`, checking that it may
    /// send (`failIfNotReadyForSend`).
    pub(super) fn next_batch(&self, tp: &TopicPartition) -> Result<BatchProducer> {
        if self.transactional_id.is_some() && self.transaction.is_none() {
            return Err(Error::Producer(ProducerError::CannotSendInState {
                state: self.state(),
            }));
        }
        Ok(match self.producer_id {
            None => BatchProducer::NONE,
            Some(id) => BatchProducer {
                producer_id: id,
                producer_epoch: self.producer_epoch,
                base_sequence: self.sequences.get(tp).copied().unwrap_or(0),
                is_transactional: self.transaction.is_some(),
            },
        })
    }

    /// After an accepted batch of `count` records to `tp`.
    pub(super) fn sent(&mut self, tp: &TopicPartition, count: i32) {
        if self.producer_id.is_some() {
            let seq = self.sequences.entry(tp.clone()).or_insert(0);
            // DefaultRecordBatch.incrementSequence: wraps to 0 after Int.MAX.
            *seq = ((i64::from(*seq) + i64::from(count)) % (i64::from(i32::MAX) + 1)) as i32;
        }
        if let Some(t) = &mut self.transaction {
            t.insert(tp.clone());
        }
    }
}

/// A marker the end of a transaction appended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MarkerWritten {
    #[serde(flatten)]
    pub topic_partition: TopicPartition,
    pub offset: i64,
    /// The roll the append caused, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rolled: Option<String>,
}

impl LogManager {
    /// The producer clients, by name.
    pub fn producers(&self) -> impl Iterator<Item = &ProducerClient> {
        self.producers.values()
    }

    /// The producer client of that name.
    ///
    /// # Errors
    ///
    /// [`ProducerError::UnknownProducer`] when no `producer` line made it.
    pub fn producer(&self, name: &str) -> Result<&ProducerClient> {
        self.producers
            .get(name)
            .ok_or_else(|| Error::Producer(ProducerError::UnknownProducer { name: name.to_string() }))
    }

    /// A new producer client (`new KafkaProducer(props)`, then
    /// `initTransactions()` for a transactional one). Idempotence is on
    /// unless `enable_idempotence` is `Some(false)`; a `transactional_id`
    /// makes it transactional. Returns the producer id it got.
    ///
    /// # Errors
    ///
    /// [`ProducerError::TransactionalIdWithoutIdempotence`] (`ConfigException`);
    /// [`ProducerError::ProducerExists`] for a name in use;
    /// [`ProducerError::TransactionalIdInUse`] for a `transactional.id` in use.
    pub fn create_producer(
        &mut self,
        name: &str,
        enable_idempotence: Option<bool>,
        transactional_id: Option<&str>,
    ) -> Result<Option<i64>> {
        if self.producers.contains_key(name) {
            return Err(Error::Producer(ProducerError::ProducerExists {
                name: name.to_string(),
            }));
        }
        if transactional_id.is_some() && enable_idempotence == Some(false) {
            return Err(Error::Producer(ProducerError::TransactionalIdWithoutIdempotence));
        }
        if let Some(tid) = transactional_id {
            if let Some(other) = self
                .producers
                .values()
                .find(|p| p.transactional_id.as_deref() == Some(tid))
            {
                return Err(Error::Producer(ProducerError::TransactionalIdInUse {
                    transactional_id: tid.to_string(),
                    producer: other.name.clone(),
                }));
            }
        }
        let producer_id = (enable_idempotence != Some(false)).then(|| {
            let id = self.next_producer_id;
            self.next_producer_id += 1;
            id
        });
        self.producers.insert(
            name.to_string(),
            ProducerClient {
                name: name.to_string(),
                producer_id,
                producer_epoch: if producer_id.is_some() { 0 } else { -1 },
                transactional_id: transactional_id.map(str::to_string),
                sequences: BTreeMap::new(),
                transaction: None,
            },
        );
        Ok(producer_id)
    }

    /// `KafkaProducer.beginTransaction`.
    ///
    /// # Errors
    ///
    /// [`ProducerError::UnknownProducer`]; [`ProducerError::NoTransactionManager`]
    /// for a producer without `transactional.id`;
    /// [`ProducerError::InvalidTransition`] inside a transaction.
    pub fn begin_transaction(&mut self, name: &str) -> Result<()> {
        let p = self.producer(name)?;
        p.transactional_id_or_err()?;
        if p.transaction.is_some() {
            return Err(p.invalid_transition("IN_TRANSACTION"));
        }
        if let Some(p) = self.producers.get_mut(name) {
            p.transaction = Some(BTreeSet::new());
        }
        Ok(())
    }

    /// `KafkaProducer.commitTransaction` / `abortTransaction`: the
    /// coordinator writes a COMMIT or ABORT marker to every partition the
    /// transaction wrote to, in (topic, partition) order, at the clock's now.
    ///
    /// # Errors
    ///
    /// [`ProducerError::UnknownProducer`]; [`ProducerError::NoTransactionManager`];
    /// [`ProducerError::InvalidTransition`] outside a transaction
    /// (`... from state READY to state COMMITTING_TRANSACTION`);
    /// [`Error::BudgetExceeded`] when the markers would pass the session's
    /// `records`. Nothing changes then.
    pub fn end_transaction(&mut self, name: &str, commit: bool) -> Result<Vec<MarkerWritten>> {
        let p = self.producer(name)?;
        p.transactional_id_or_err()?;
        let to = if commit {
            "COMMITTING_TRANSACTION"
        } else {
            "ABORTING_TRANSACTION"
        };
        let Some(partitions) = p.transaction.clone() else {
            return Err(p.invalid_transition(to));
        };
        let (pid, epoch) = (p.producer_id.unwrap_or(-1), p.producer_epoch);
        let word = if commit { "commit" } else { "abort" };
        self.check_budget(word, Limit::Records, partitions.len() as u64)?;
        let control = if commit {
            ControlType::Commit
        } else {
            ControlType::Abort
        };
        let now = self.clock.now_ms();
        let expiration_ms = i64::from(self.broker.producer_id_expiration_ms);
        let mut written = Vec::with_capacity(partitions.len());
        for tp in partitions {
            let Some(topic) = self.topics.get_mut(&tp.topic) else {
                continue;
            };
            let (logs, config) = topic.logs_mut();
            let Some(log) = logs.get_mut(tp.partition as usize) else {
                continue;
            };
            log.remove_expired_producers(now, expiration_ms);
            let rng = &mut self.rng;
            let info = log.append_end_txn_marker(pid, epoch, control, COORDINATOR_EPOCH, config, now, || {
                config.random_segment_jitter_ms(rng)
            });
            self.usage.records += 1;
            written.push(MarkerWritten {
                topic_partition: tp,
                offset: info.first_offset,
                rolled: info.rolled.map(|r| r.describe().to_string()),
            });
        }
        if let Some(p) = self.producers.get_mut(name) {
            p.transaction = None;
        }
        Ok(written)
    }
}

/// What [`LogManager::append_as_leader`] did: the offsets the batch got, or
/// those of the batch it duplicates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LeaderAppend {
    pub first_offset: i64,
    pub last_offset: i64,
    /// The batch repeated one of the producer's last five: nothing appended.
    pub duplicate: bool,
}

impl LogManager {
    /// `UnifiedLog.appendAsLeader` of one batch of `records` (key, value;
    /// `None` value: tombstone) with `producer`'s fields, each record at
    /// `timestamp_ms`: what Kafka's own tests append (multi-record
    /// transactional batches of chosen producer ids), which the producer
    /// clients of a script never send. Goes through the producer-state
    /// checks (`from_client` false: a replica's append, without the epoch
    /// and sequence checks); a duplicate returns the original offsets.
    /// Budgets and the record checks of `produce` are not applied.
    ///
    /// # Errors
    ///
    /// [`Error::UnknownTopicOrPartition`]; the producer-state errors of
    /// [`crate::log::producer_state::ProducerStateManager::check_data_batch`].
    pub fn append_as_leader(
        &mut self,
        topic: &str,
        partition: u32,
        producer: BatchProducer,
        records: &[(&[u8], Option<&[u8]>)],
        timestamp_ms: i64,
        from_client: bool,
    ) -> Result<LeaderAppend> {
        let (log, config, now, rng) = self.leader_log(topic, partition)?;
        if let Some(dup) = log.check_producer_append_from(&producer, records.len(), from_client)? {
            return Ok(LeaderAppend {
                first_offset: dup.first_offset,
                last_offset: dup.last_offset,
                duplicate: true,
            });
        }
        let simple: Vec<crate::record::SimpleRecord<'_>> = records
            .iter()
            .map(|(k, v)| crate::record::SimpleRecord::new(timestamp_ms, Some(k), *v))
            .collect();
        let info = log.append_batch_as(producer, &simple, config, now, timestamp_ms, || {
            config.random_segment_jitter_ms(rng)
        });
        Ok(LeaderAppend {
            first_offset: info.first_offset,
            last_offset: info.last_offset,
            duplicate: false,
        })
    }

    /// The partition a leader append goes to, its producers past
    /// `producer.id.expiration.ms` removed first (as both appends do), with
    /// its topic's config, the clock's now and the broker's generator (for
    /// a roll's segment jitter).
    fn leader_log(
        &mut self,
        topic: &str,
        partition: u32,
    ) -> Result<(&mut PartitionLog, &TopicConfig, i64, &mut SplitMix64)> {
        self.partition(topic, partition)?;
        let now = self.clock.now_ms();
        let expiration_ms = i64::from(self.broker.producer_id_expiration_ms);
        let t = self.topics.get_mut(topic).expect("checked above");
        let (logs, config) = t.logs_mut();
        let log = logs.get_mut(partition as usize).expect("checked above");
        log.remove_expired_producers(now, expiration_ms);
        Ok((log, config, now, &mut self.rng))
    }

    /// A COMMIT or ABORT marker for `producer_id` appended to one partition
    /// (`appendAsLeader` with origin COORDINATOR), as Kafka's tests write
    /// them; returns its offset.
    ///
    /// # Errors
    ///
    /// [`Error::UnknownTopicOrPartition`].
    pub fn append_marker_as_leader(
        &mut self,
        topic: &str,
        partition: u32,
        producer_id: i64,
        producer_epoch: i16,
        commit: bool,
    ) -> Result<i64> {
        let (log, config, now, rng) = self.leader_log(topic, partition)?;
        let control = if commit {
            ControlType::Commit
        } else {
            ControlType::Abort
        };
        let info = log.append_end_txn_marker(
            producer_id,
            producer_epoch,
            control,
            COORDINATOR_EPOCH,
            config,
            now,
            || config.random_segment_jitter_ms(rng),
        );
        Ok(info.first_offset)
    }
}
