//! What a partition knows of its idempotent and transactional producers.
//!
//! Models Kafka's `ProducerStateManager`, `ProducerStateEntry`,
//! `ProducerAppendInfo` and `BatchMetadata` (storage `internals/log/`): per
//! producer id its epoch, the metadata of its last five data batches (last
//! sequence and last offset: what duplicate detection and the next
//! sequence check need), the time of its last write, and the first offset
//! of its open transaction; and the open transactions by first offset,
//! whose earliest is the partition's first unstable offset (the last stable
//! offset when it is below the high watermark).
//!
//! The checks a data batch goes through (`ProducerAppendInfo`): an epoch
//! below the producer's is `InvalidProducerEpochException`; a sequence that
//! does not follow the last one is `OutOfOrderSequenceException`; a batch
//! equal to one of the last five is a duplicate (the broker answers with the
//! original offsets and appends nothing); a non-transactional write while a
//! transaction is open is `InvalidTxnStateException`. A producer the
//! partition does not know (new, or expired) may start at any sequence.
//!
//! Producers expire (`removeExpiredProducers`) when they have no open
//! transaction and wrote nothing for `producer.id.expiration.ms` (a broker
//! config, 1 day by default),
//! checked every `producer.id.expiration.check.interval.ms` (10 minutes)
//! from the log's creation: `ProducerStateManager::remove_expired_producers`
//! applies the latest check at or before now, which is what every check in
//! between would have done (expiry only grows with time).
//!
//! The state can be rebuilt from the log's bytes ([`ProducerStateManager::rebuild`],
//! Kafka's `loadProducersFromRecords` on recovery), which an import needs.
//!
//! Simplified: no snapshots (`.snapshot` files), no coordinator-epoch
//! fencing check, no transaction verification (KIP-890), no
//! unreplicated-transaction bookkeeping (one replica: the high watermark
//! follows every append, so a transaction is complete as its marker lands).

use std::collections::{BTreeMap, VecDeque};

use serde::Serialize;

use crate::batch::{RecordBatch, NO_PRODUCER_EPOCH, NO_SEQUENCE};
use crate::error::{Error, ProducerError, Result};
use crate::topic_partition::TopicPartition;

/// `producer.id.expiration.ms` (broker default: 1 day).
pub const PRODUCER_ID_EXPIRATION_MS: i64 = 86_400_000;
/// `producer.id.expiration.check.interval.ms` (broker default: 10 minutes).
pub const PRODUCER_ID_EXPIRATION_CHECK_INTERVAL_MS: i64 = 600_000;
/// `ProducerStateEntry.NUM_BATCHES_TO_RETAIN`.
const NUM_BATCHES_TO_RETAIN: usize = 5;

/// `BatchMetadata`: one data batch a producer wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BatchMetadata {
    pub first_seq: i32,
    pub last_seq: i32,
    pub first_offset: i64,
    pub last_offset: i64,
    pub timestamp_ms: i64,
}

/// `ProducerStateEntry`: one producer as the partition knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProducerStateEntry {
    pub producer_id: i64,
    pub producer_epoch: i16,
    pub coordinator_epoch: i32,
    /// Max timestamp of its last batch or marker: expiry counts from it.
    pub last_timestamp_ms: i64,
    /// The first offset of its open transaction in this partition.
    pub current_txn_first_offset: Option<i64>,
    /// Its last data batches, oldest first (at most five).
    batches: VecDeque<BatchMetadata>,
}

impl ProducerStateEntry {
    fn empty(producer_id: i64) -> Self {
        ProducerStateEntry {
            producer_id,
            producer_epoch: NO_PRODUCER_EPOCH,
            coordinator_epoch: -1,
            last_timestamp_ms: crate::batch::NO_TIMESTAMP,
            current_txn_first_offset: None,
            batches: VecDeque::new(),
        }
    }

    /// The last sequence written, `NO_SEQUENCE` (-1) if none in this epoch.
    pub fn last_seq(&self) -> i32 {
        self.batches.back().map_or(NO_SEQUENCE, |b| b.last_seq)
    }

    /// The last offset of its last data batch, -1 if none in this epoch
    /// (`lastDataOffset`): the batch the cleaner must keep.
    pub fn last_data_offset(&self) -> i64 {
        self.batches.back().map_or(-1, |b| b.last_offset)
    }

    pub fn batches(&self) -> impl Iterator<Item = &BatchMetadata> {
        self.batches.iter()
    }

    /// `maybeUpdateProducerEpoch`: a new epoch forgets the old batches.
    fn maybe_update_producer_epoch(&mut self, epoch: i16) {
        if self.producer_epoch != epoch {
            self.batches.clear();
            self.producer_epoch = epoch;
        }
    }

    /// `findDuplicateBatch`.
    fn find_duplicate(&self, epoch: i16, first_seq: i32, last_seq: i32) -> Option<BatchMetadata> {
        if epoch != self.producer_epoch {
            return None;
        }
        self.batches
            .iter()
            .find(|b| b.first_seq == first_seq && b.last_seq == last_seq)
            .copied()
    }
}

/// The producer fields of a batch being appended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProducerBatch {
    pub producer_id: i64,
    pub producer_epoch: i16,
    pub first_seq: i32,
    pub last_seq: i32,
    pub first_offset: i64,
    pub last_offset: i64,
    pub max_timestamp_ms: i64,
    pub is_transactional: bool,
}

/// `CompletedTxn`: a transaction a marker ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CompletedTxn {
    pub producer_id: i64,
    pub first_offset: i64,
    pub last_offset: i64,
    pub is_aborted: bool,
}

/// An open transaction (`TxnMetadata`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct OpenTxn {
    pub producer_id: i64,
    pub first_offset: i64,
}

/// What the cleaner needs of an active producer (`LastRecord`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LastRecord {
    /// The last offset of its last data batch; `None` when it only wrote
    /// markers in its current epoch.
    pub last_data_offset: Option<i64>,
    pub producer_epoch: i16,
}

/// One partition's producer state.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProducerStateManager {
    producers: BTreeMap<i64, ProducerStateEntry>,
    /// Open transactions by first offset (`ongoingTxns`).
    ongoing_txns: BTreeMap<i64, i64>,
    /// When the log was created: expiration checks run every interval after.
    created_ms: i64,
}

impl ProducerStateManager {
    pub(crate) fn new(created_ms: i64) -> Self {
        ProducerStateManager {
            created_ms,
            ..Self::default()
        }
    }

    /// The producers the partition knows, by id.
    pub fn producers(&self) -> impl Iterator<Item = &ProducerStateEntry> {
        self.producers.values()
    }

    pub fn producer(&self, producer_id: i64) -> Option<&ProducerStateEntry> {
        self.producers.get(&producer_id)
    }

    /// Open transactions, oldest first.
    pub fn open_transactions(&self) -> impl Iterator<Item = OpenTxn> + '_ {
        self.ongoing_txns.iter().map(|(&first_offset, &producer_id)| OpenTxn {
            producer_id,
            first_offset,
        })
    }

    /// `firstUnstableOffset`: the first offset of the oldest open transaction.
    pub fn first_unstable_offset(&self) -> Option<i64> {
        self.ongoing_txns.keys().next().copied()
    }

    /// `lastStableOffset(completedTxn)`: the first offset of the oldest open
    /// transaction of another producer, else the offset after the marker.
    pub fn last_stable_offset(&self, completed: &CompletedTxn) -> i64 {
        self.ongoing_txns
            .iter()
            .find(|(_, &pid)| pid != completed.producer_id)
            .map_or(completed.last_offset + 1, |(&first, _)| first)
    }

    /// `activeProducers` as the cleaner reads them (`lastRecordsOfActiveProducers`).
    pub fn last_records_of_active_producers(&self) -> BTreeMap<i64, LastRecord> {
        self.producers
            .iter()
            .map(|(&pid, e)| {
                let last = e.last_data_offset();
                (
                    pid,
                    LastRecord {
                        last_data_offset: (last >= 0).then_some(last),
                        producer_epoch: e.producer_epoch,
                    },
                )
            })
            .collect()
    }

    /// `removeExpiredProducers` at the latest expiration check at or before
    /// `now_ms`. Returns the ids removed.
    pub(crate) fn remove_expired_producers(&mut self, now_ms: i64, expiration_ms: i64) -> Vec<i64> {
        let elapsed = now_ms.saturating_sub(self.created_ms);
        if elapsed < PRODUCER_ID_EXPIRATION_CHECK_INTERVAL_MS {
            return Vec::new();
        }
        let check_ms = self.created_ms
            + elapsed / PRODUCER_ID_EXPIRATION_CHECK_INTERVAL_MS * PRODUCER_ID_EXPIRATION_CHECK_INTERVAL_MS;
        let expired: Vec<i64> = self
            .producers
            .values()
            .filter(|e| {
                e.current_txn_first_offset.is_none() && check_ms.saturating_sub(e.last_timestamp_ms) >= expiration_ms
            })
            .map(|e| e.producer_id)
            .collect();
        for pid in &expired {
            self.producers.remove(pid);
        }
        expired
    }

    /// `analyzeAndValidateProducerState` for one data batch: `Ok(None)` to
    /// append it, `Ok(Some(original))` for a duplicate of a recent batch.
    ///
    /// # Errors
    ///
    /// [`ProducerError::InvalidProducerEpoch`], [`ProducerError::OutOfOrderSequence`]
    /// or [`ProducerError::InvalidTxnState`], in Kafka's words.
    pub fn check_data_batch(&self, tp: &TopicPartition, b: &ProducerBatch) -> Result<Option<BatchMetadata>> {
        self.check_data_batch_from(tp, b, true)
    }

    /// [`Self::check_data_batch`]; `from_client` false is a replica's append
    /// (`AppendOrigin.REPLICATION`), which skips the epoch and sequence
    /// checks, as Kafka's tests use it to reuse sequences.
    ///
    /// # Errors
    ///
    /// As [`Self::check_data_batch`].
    pub fn check_data_batch_from(
        &self,
        tp: &TopicPartition,
        b: &ProducerBatch,
        from_client: bool,
    ) -> Result<Option<BatchMetadata>> {
        if !from_client {
            return Ok(None);
        }
        let current = self.producers.get(&b.producer_id);
        if let Some(dup) = current.and_then(|e| e.find_duplicate(b.producer_epoch, b.first_seq, b.last_seq)) {
            return Ok(Some(dup));
        }
        let empty = ProducerStateEntry::empty(b.producer_id);
        let current = current.unwrap_or(&empty);
        let err = |e| Err(Error::Producer(e));
        // checkProducerEpoch
        if b.producer_epoch < current.producer_epoch {
            return err(ProducerError::InvalidProducerEpoch {
                producer_id: b.producer_id,
                offset: b.first_offset,
                topic_partition: tp.clone(),
                epoch: b.producer_epoch,
                current: current.producer_epoch,
            });
        }
        // checkSequence: a new epoch must start at 0 (unless the producer is
        // unknown); the same epoch must continue the last sequence.
        if b.producer_epoch != current.producer_epoch {
            if b.first_seq != 0 && current.producer_epoch != NO_PRODUCER_EPOCH {
                return err(ProducerError::OutOfOrderSequence {
                    producer_id: b.producer_id,
                    offset: b.first_offset,
                    topic_partition: tp.clone(),
                    incoming: b.first_seq,
                    current: current.last_seq(),
                });
            }
        } else {
            let last = current.last_seq();
            let in_sequence = i64::from(b.first_seq) == i64::from(last) + 1 || (b.first_seq == 0 && last == i32::MAX);
            if !(current.producer_epoch == NO_PRODUCER_EPOCH || in_sequence) {
                return err(ProducerError::OutOfOrderSequence {
                    producer_id: b.producer_id,
                    offset: b.first_offset,
                    topic_partition: tp.clone(),
                    incoming: b.first_seq,
                    current: last,
                });
            }
        }
        if current.current_txn_first_offset.is_some() && !b.is_transactional {
            return err(ProducerError::InvalidTxnState {
                producer_id: b.producer_id,
                offset: b.first_offset,
                topic_partition: tp.clone(),
            });
        }
        Ok(None)
    }

    /// `appendDataBatch` + `update`: records a data batch that was appended.
    pub(crate) fn on_data_batch(&mut self, b: &ProducerBatch) {
        let e = self
            .producers
            .entry(b.producer_id)
            .or_insert_with(|| ProducerStateEntry::empty(b.producer_id));
        e.maybe_update_producer_epoch(b.producer_epoch);
        if e.batches.len() == NUM_BATCHES_TO_RETAIN {
            e.batches.pop_front();
        }
        e.batches.push_back(BatchMetadata {
            first_seq: b.first_seq,
            last_seq: b.last_seq,
            first_offset: b.first_offset,
            last_offset: b.last_offset,
            timestamp_ms: b.max_timestamp_ms,
        });
        e.last_timestamp_ms = b.max_timestamp_ms;
        if b.is_transactional && e.current_txn_first_offset.is_none() {
            e.current_txn_first_offset = Some(b.first_offset);
            self.ongoing_txns.insert(b.first_offset, b.producer_id);
        }
    }

    /// `appendEndTxnMarker` + `completeTxn`: a marker at `offset` ends the
    /// producer's open transaction, if it has one (a marker of a
    /// transaction without data here completes nothing).
    pub(crate) fn on_marker(
        &mut self,
        producer_id: i64,
        producer_epoch: i16,
        coordinator_epoch: i32,
        commit: bool,
        offset: i64,
        timestamp_ms: i64,
    ) -> Option<CompletedTxn> {
        let e = self
            .producers
            .entry(producer_id)
            .or_insert_with(|| ProducerStateEntry::empty(producer_id));
        let completed = e.current_txn_first_offset.map(|first| CompletedTxn {
            producer_id,
            first_offset: first,
            last_offset: offset,
            is_aborted: !commit,
        });
        e.maybe_update_producer_epoch(producer_epoch);
        e.current_txn_first_offset = None;
        e.coordinator_epoch = coordinator_epoch;
        e.last_timestamp_ms = timestamp_ms;
        if let Some(c) = &completed {
            self.ongoing_txns.remove(&c.first_offset);
        }
        completed
    }

    /// `loadProducersFromRecords` over a whole log: the state its batches
    /// imply (for an imported log, or to check the live state). Returns the
    /// aborted transactions found, with their marker's offset, in log order,
    /// for the transaction indexes.
    pub fn rebuild<'a>(
        created_ms: i64,
        batches: impl IntoIterator<Item = &'a RecordBatch>,
    ) -> (Self, Vec<(CompletedTxn, i64)>) {
        let mut state = ProducerStateManager::new(created_ms);
        let mut aborted = Vec::new();
        for batch in batches {
            if batch.producer_id() < 0 {
                continue;
            }
            if batch.is_control() {
                let Some(kind) = batch.records().next().and_then(|r| control_type(r.key)) else {
                    continue;
                };
                let coordinator_epoch = batch
                    .records()
                    .next()
                    .and_then(|r| r.value)
                    .and_then(|v| v.get(2..6))
                    .map_or(0, |b| i32::from_be_bytes([b[0], b[1], b[2], b[3]]));
                if let Some(c) = state.on_marker(
                    batch.producer_id(),
                    batch.producer_epoch(),
                    coordinator_epoch,
                    kind == ControlType::Commit,
                    batch.base_offset(),
                    batch.max_timestamp_ms(),
                ) {
                    if c.is_aborted {
                        let lso = state.last_stable_offset(&c);
                        aborted.push((c, lso));
                    }
                }
            } else {
                let delta = batch.last_offset() - batch.base_offset();
                let last_seq = if batch.base_sequence() == NO_SEQUENCE {
                    NO_SEQUENCE
                } else {
                    // Sequences wrap from Int.MAX to 0 (`DefaultRecordBatch.incrementSequence`).
                    ((i64::from(batch.base_sequence()) + delta) % (i64::from(i32::MAX) + 1)) as i32
                };
                state.on_data_batch(&ProducerBatch {
                    producer_id: batch.producer_id(),
                    producer_epoch: batch.producer_epoch(),
                    first_seq: batch.base_sequence(),
                    last_seq,
                    first_offset: batch.base_offset(),
                    last_offset: batch.last_offset(),
                    max_timestamp_ms: batch.max_timestamp_ms(),
                    is_transactional: batch.is_transactional(),
                });
            }
        }
        (state, aborted)
    }
}

/// `ControlRecordType` of the transaction markers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum ControlType {
    Abort,
    Commit,
}

impl ControlType {
    /// The type's id in the control record's key.
    pub fn id(self) -> i16 {
        match self {
            ControlType::Abort => 0,
            ControlType::Commit => 1,
        }
    }

    /// `ABORT` or `COMMIT`, as `kafka-dump-log.sh` prints it.
    pub fn name(self) -> &'static str {
        match self {
            ControlType::Abort => "ABORT",
            ControlType::Commit => "COMMIT",
        }
    }
}

/// `ControlRecordType.parse` of a control record's key (int16 version,
/// int16 type); `None` for a type other than ABORT or COMMIT (KRaft's, or
/// bytes that are not a control key).
pub fn control_type(key: Option<&[u8]>) -> Option<ControlType> {
    let k = key?;
    if k.len() < 4 {
        return None;
    }
    match i16::from_be_bytes([k[2], k[3]]) {
        0 => Some(ControlType::Abort),
        1 => Some(ControlType::Commit),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tp() -> TopicPartition {
        TopicPartition::new("t", 0)
    }

    fn batch(pid: i64, seq: i32, offset: i64, txn: bool) -> ProducerBatch {
        ProducerBatch {
            producer_id: pid,
            producer_epoch: 0,
            first_seq: seq,
            last_seq: seq,
            first_offset: offset,
            last_offset: offset,
            max_timestamp_ms: 1000,
            is_transactional: txn,
        }
    }

    #[test]
    fn sequences_must_follow_and_duplicates_give_the_original() {
        let mut s = ProducerStateManager::new(0);
        // An unknown producer may start anywhere.
        assert_eq!(s.check_data_batch(&tp(), &batch(1, 5, 0, false)), Ok(None));
        s.on_data_batch(&batch(1, 5, 0, false));
        assert_eq!(s.check_data_batch(&tp(), &batch(1, 6, 1, false)), Ok(None));
        let dup = s.check_data_batch(&tp(), &batch(1, 5, 1, false)).unwrap();
        assert_eq!(dup.map(|d| d.first_offset), Some(0));
        let e = s.check_data_batch(&tp(), &batch(1, 8, 1, false)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Out of order sequence number for producer 1 at offset 1 in partition t-0: 8 (incoming seq. number), 5 \
             (current end sequence number)"
        );
        assert_eq!(e.kafka_name(), "OutOfOrderSequenceException");
    }

    #[test]
    fn the_first_unstable_offset_is_the_oldest_open_transaction() {
        let mut s = ProducerStateManager::new(0);
        s.on_data_batch(&batch(1, 0, 3, true));
        s.on_data_batch(&batch(2, 0, 4, true));
        s.on_data_batch(&batch(1, 1, 5, true));
        assert_eq!(s.first_unstable_offset(), Some(3));
        let c = s.on_marker(1, 0, 0, false, 6, 1000).unwrap();
        assert_eq!((c.first_offset, c.last_offset, c.is_aborted), (3, 6, true));
        assert_eq!(s.last_stable_offset(&c), 4);
        assert_eq!(s.first_unstable_offset(), Some(4));
        assert_eq!(s.on_marker(1, 0, 0, true, 7, 1000), None);
    }

    #[test]
    fn producers_expire_at_a_check_a_day_after_their_last_write() {
        let mut s = ProducerStateManager::new(0);
        s.on_data_batch(&batch(1, 0, 0, false));
        s.on_data_batch(&batch(2, 0, 1, true));
        // Last write at 1000: the first check at or after 1000 + 1 day is
        // at 87_000_000 (checks every 600_000 from 0).
        assert!(s
            .remove_expired_producers(86_999_999, PRODUCER_ID_EXPIRATION_MS)
            .is_empty());
        assert_eq!(
            s.remove_expired_producers(87_000_000, PRODUCER_ID_EXPIRATION_MS),
            vec![1]
        );
        assert!(s.producer(2).is_some(), "an open transaction keeps its producer");
    }
}
