//! The log of one partition: segments, offsets, appends, rolls and fetches.
//!
//! Models Kafka's `UnifiedLog` / `LocalLog` for a single-replica partition.
//! The offsets a learner meets:
//!
//! * **log start offset**: the first offset a consumer may ask for. Only
//!   segment deletion (retention) moves it; compaction never does.
//! * **log end offset (LEO)**: the offset the next record gets.
//! * **high watermark (HW)**: what consumers may read. With one replica it
//!   equals the LEO after every append.
//! * **last stable offset (LSO)**: what `read_committed` consumers may read
//!   and the cleaner may clean: the first offset of the oldest open
//!   transaction, or the HW when none is open ([`producer_state`]).
//!
//! Invariants (each has a property test): offsets strictly increase within
//! the log; segment base offsets never change; the last segment is the
//! active one, where every append goes.
//!
//! Each partition keeps its producers' state ([`producer_state`]) and each
//! segment the transactions aborted in it ([`transaction_index`]), so that a
//! `read_committed` fetch skips aborted records as Kafka's consumer does.
//!
//! Simplified: no replication, no leader epochs, no compression, nothing on
//! disk (segments hold their `.log` bytes in memory).

pub mod offset_index;
pub mod producer_state;
pub mod retention;
pub mod segment;
pub mod time_index;
pub mod transaction_index;

use std::collections::BTreeSet;

use crate::batch::builder::{write_end_txn_marker, BatchHeader, BatchWriter};
use crate::batch::{
    headers_size, record_size_in_bytes, RecordBatch, NO_PRODUCER_EPOCH, NO_PRODUCER_ID, NO_SEQUENCE, NO_TIMESTAMP,
    RECORD_BATCH_OVERHEAD,
};
use crate::config::TopicConfig;
use crate::error::{Error, OffsetOutOfRange, Result};
use crate::record::{Record, SimpleRecord};
use crate::topic_partition::TopicPartition;
use producer_state::{control_type, BatchMetadata, ControlType, ProducerBatch, ProducerStateManager};
use segment::{LogSegment, RollParams, RollReason};
use transaction_index::AbortedTxn;

/// One partition's log.
#[derive(Debug, Clone, PartialEq)]
pub struct PartitionLog {
    /// Which log this is; never changes.
    topic_partition: TopicPartition,
    /// Ordered by base offset; never empty; the last one is active.
    segments: Vec<LogSegment>,
    log_start_offset: i64,
    log_end_offset: i64,
    /// Records and bytes of all segments, kept in step by every method that
    /// changes the segments (append, roll, the cleaner's swap, retention):
    /// a page reads them after every step, so they must not cost a walk.
    record_count: u64,
    size_bytes: u64,
    /// Idempotent and transactional producers, open transactions.
    producer_state: ProducerStateManager,
}

/// The producer fields a batch is written with (a plain producer's are
/// all -1 and not transactional).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchProducer {
    pub producer_id: i64,
    pub producer_epoch: i16,
    pub base_sequence: i32,
    pub is_transactional: bool,
}

impl BatchProducer {
    /// A non-idempotent producer.
    pub const NONE: BatchProducer = BatchProducer {
        producer_id: NO_PRODUCER_ID,
        producer_epoch: NO_PRODUCER_EPOCH,
        base_sequence: NO_SEQUENCE,
        is_transactional: false,
    };

    /// The producer-state view of a batch of `count` records at `first_offset`.
    fn batch(&self, first_offset: i64, count: usize, max_timestamp_ms: i64) -> ProducerBatch {
        let delta = count.max(1) as i64 - 1;
        ProducerBatch {
            producer_id: self.producer_id,
            producer_epoch: self.producer_epoch,
            first_seq: self.base_sequence,
            last_seq: ((i64::from(self.base_sequence) + delta) % (i64::from(i32::MAX) + 1)) as i32,
            first_offset,
            last_offset: first_offset + delta,
            max_timestamp_ms,
            is_transactional: self.is_transactional,
        }
    }
}

/// `IsolationLevel` of a fetch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IsolationLevel {
    /// Everything up to the high watermark, aborted records included.
    #[default]
    ReadUncommitted,
    /// Up to the last stable offset, aborted records skipped.
    ReadCommitted,
}

impl IsolationLevel {
    /// The consumer config's value (`isolation.level`).
    pub fn name(self) -> &'static str {
        match self {
            IsolationLevel::ReadUncommitted => "read_uncommitted",
            IsolationLevel::ReadCommitted => "read_committed",
        }
    }
}

/// What an append did (Kafka's `LogAppendInfo`, reduced).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogAppendInfo {
    pub first_offset: i64,
    pub last_offset: i64,
    pub size_bytes: u64,
    /// The roll this append caused, if any.
    pub rolled: Option<RollReason>,
}

/// A record as a consumer receives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchedRecord {
    pub offset: i64,
    pub timestamp_ms: i64,
    pub key: Option<Box<[u8]>>,
    pub value: Option<Box<[u8]>>,
}

impl PartitionLog {
    /// A new, empty log: one empty active segment at offset 0.
    pub(crate) fn new(topic: &str, partition: u32, now_ms: i64, roll_jitter_ms: i64) -> Self {
        PartitionLog {
            topic_partition: TopicPartition::new(topic, partition),
            segments: vec![LogSegment::new(0, now_ms, roll_jitter_ms)],
            log_start_offset: 0,
            log_end_offset: 0,
            record_count: 0,
            size_bytes: 0,
            producer_state: ProducerStateManager::new(now_ms),
        }
    }

    /// The partition's producer state.
    pub fn producer_state(&self) -> &ProducerStateManager {
        &self.producer_state
    }

    /// The partition this log belongs to (Kafka's `UnifiedLog.topicPartition`).
    pub fn topic_partition(&self) -> &TopicPartition {
        &self.topic_partition
    }

    pub fn topic(&self) -> &str {
        &self.topic_partition.topic
    }

    pub fn partition(&self) -> u32 {
        self.topic_partition.partition
    }

    pub fn segments(&self) -> &[LogSegment] {
        &self.segments
    }

    pub fn log_start_offset(&self) -> i64 {
        self.log_start_offset
    }

    pub fn log_end_offset(&self) -> i64 {
        self.log_end_offset
    }

    /// Single replica: the high watermark follows the LEO.
    pub fn high_watermark(&self) -> i64 {
        self.log_end_offset
    }

    /// The first offset of the oldest open transaction (never below the log
    /// start offset), or the high watermark when none is open or it lies
    /// beyond (`UnifiedLog.lastStableOffset`).
    pub fn last_stable_offset(&self) -> i64 {
        let hw = self.high_watermark();
        self.producer_state
            .first_unstable_offset()
            .map(|f| f.max(self.log_start_offset))
            .filter(|&f| f < hw)
            .unwrap_or(hw)
    }

    /// `removeExpiredProducers` as of the last check at or before `now_ms`.
    pub(crate) fn remove_expired_producers(&mut self, now_ms: i64, expiration_ms: i64) {
        self.producer_state.remove_expired_producers(now_ms, expiration_ms);
    }

    /// The producer-state checks of a batch of `count` records from
    /// `producer`, before it is appended: `Ok(Some(original))` when it
    /// duplicates one of the producer's last five batches.
    ///
    /// # Errors
    ///
    /// As [`ProducerStateManager::check_data_batch`].
    pub fn check_producer_append(&self, producer: &BatchProducer, count: usize) -> Result<Option<BatchMetadata>> {
        self.check_producer_append_from(producer, count, true)
    }

    /// [`Self::check_producer_append`]; `from_client` false skips the
    /// epoch and sequence checks (`AppendOrigin.REPLICATION`).
    ///
    /// # Errors
    ///
    /// As [`ProducerStateManager::check_data_batch`].
    pub fn check_producer_append_from(
        &self,
        producer: &BatchProducer,
        count: usize,
        from_client: bool,
    ) -> Result<Option<BatchMetadata>> {
        if producer.producer_id < 0 {
            return Ok(None);
        }
        let b = producer.batch(self.log_end_offset, count, NO_TIMESTAMP);
        self.producer_state
            .check_data_batch_from(&self.topic_partition, &b, from_client)
    }

    /// `collectAbortedTransactions`: the aborted transactions that overlap
    /// `[start, upper_bound)`, read from the transaction indexes of the
    /// segment holding `from_segment_offset` and the ones after it, until
    /// one says no later one can matter.
    pub fn collect_aborted_transactions(
        &self,
        from_segment_offset: i64,
        start: i64,
        upper_bound: i64,
    ) -> Vec<AbortedTxn> {
        let mut all = Vec::new();
        let first = self.segment_index_for(from_segment_offset).unwrap_or(0);
        for seg in &self.segments[first..] {
            let r = seg.txn_index().collect_aborted_txns(start, upper_bound);
            all.extend(r.aborted_transactions);
            if r.is_complete {
                break;
            }
        }
        all
    }
    pub fn active_segment(&self) -> &LogSegment {
        self.segments.last().expect("a log always has an active segment")
    }

    fn active_segment_mut(&mut self) -> &mut LogSegment {
        self.segments.last_mut().expect("a log always has an active segment")
    }

    /// Records still in the log (the cleaner may have removed some).
    pub fn record_count(&self) -> u64 {
        self.record_count
    }

    /// Total size of all segments.
    pub fn size_bytes(&self) -> u64 {
        self.size_bytes
    }

    /// Recounts the totals from the segments, after a change that replaced
    /// or dropped whole segments (O(segments), as the change itself is).
    fn recount(&mut self) {
        self.record_count = self.segments.iter().map(LogSegment::record_count).sum();
        self.size_bytes = self.segments.iter().map(LogSegment::size_bytes).sum();
    }

    /// Replaces this empty log with segments read from Kafka's files
    /// (`LogLoader` opening a partition directory): each batch appended as
    /// it is (so the index entry counts follow the append rule), every
    /// segment but the last closed, the log start at the first segment's
    /// base and the log end past the last batch. The producer state (open
    /// transactions, so the last stable offset) is rebuilt from the batches;
    /// each segment's aborted transactions are its `.txnindex`'s when given,
    /// else the ones whose ABORT marker it holds, as rebuilt.
    pub(crate) fn load_imported(
        &mut self,
        imported: &crate::log_dir::import::ImportedLog,
        index_interval_bytes: u64,
        now_ms: i64,
        roll_jitter_ms: i64,
    ) {
        let mut segments = Vec::with_capacity(imported.segments.len());
        for s in &imported.segments {
            if let Some(last) = segments.last_mut() {
                let last: &mut LogSegment = last;
                last.on_become_inactive();
                last.shrink_to_fit();
            }
            let mut seg = LogSegment::new(s.base_offset, now_ms, roll_jitter_ms);
            seg.reserve_for_appends(s.bytes.len());
            for batch in s.batches() {
                seg.append_batch(batch, index_interval_bytes, now_ms);
            }
            segments.push(seg);
        }
        if segments.is_empty() {
            return;
        }
        self.segments = segments;
        self.log_start_offset = imported.log_start_offset();
        self.log_end_offset = imported.log_end_offset();
        self.recount();
        let (state, rebuilt) = self.rebuild_producer_state();
        self.producer_state = state;
        for txn in rebuilt {
            let Some(i) = self.segment_index_for(txn.last_offset) else {
                continue;
            };
            if imported.segments[i].txn_index.is_none() {
                self.segments[i].append_aborted_txn(txn);
            }
        }
        for (seg, s) in self.segments.iter_mut().zip(&imported.segments) {
            for txn in s.txn_index.iter().flatten() {
                seg.append_aborted_txn(*txn);
            }
        }
    }

    /// Index of the segment containing `offset`: the last one whose base is
    /// at or below it (`floorEntry`).
    pub fn segment_index_for(&self, offset: i64) -> Option<usize> {
        let after = self.segments.partition_point(|s| s.base_offset() <= offset);
        after.checked_sub(1)
    }

    /// Appends already-validated records as one batch (the leader path of
    /// `UnifiedLog.append` after `LogValidator`): assigns offsets from the
    /// LEO, rolls the active segment if a roll rule fires, then writes the
    /// batch's bytes straight into the active segment. `records` must not be
    /// empty.
    pub(crate) fn append_batch(
        &mut self,
        records: &[SimpleRecord<'_>],
        config: &TopicConfig,
        now_ms: i64,
        max_timestamp_ms: i64,
        roll_jitter_ms: impl FnOnce() -> i64,
    ) -> LogAppendInfo {
        self.append_batch_as(
            BatchProducer::NONE,
            records,
            config,
            now_ms,
            max_timestamp_ms,
            roll_jitter_ms,
        )
    }

    /// [`Self::append_batch`] for a batch of `producer`: the header carries
    /// its fields, and the partition's producer state records the batch
    /// (the caller ran [`Self::check_producer_append`] first).
    pub(crate) fn append_batch_as(
        &mut self,
        producer: BatchProducer,
        records: &[SimpleRecord<'_>],
        config: &TopicConfig,
        now_ms: i64,
        max_timestamp_ms: i64,
        roll_jitter_ms: impl FnOnce() -> i64,
    ) -> LogAppendInfo {
        let first_offset = self.log_end_offset;
        let last_offset = first_offset + records.len().max(1) as i64 - 1;
        let base_timestamp = records.first().map_or(NO_TIMESTAMP, |r| r.timestamp_ms);
        // The batch's exact size, before it is written: the roll rules
        // look at it.
        let size = RECORD_BATCH_OVERHEAD
            + records
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    record_size_in_bytes(
                        i as i64,
                        r.timestamp_ms.wrapping_sub(base_timestamp),
                        r.key,
                        r.value,
                        headers_size(r.headers),
                    )
                })
                .sum::<u64>();
        let rolled = self.roll_if_due(config, max_timestamp_ms, last_offset, size, now_ms, roll_jitter_ms);
        let interval = u64::try_from(config.index_interval_bytes).unwrap_or(0);
        let header = BatchHeader {
            producer_id: producer.producer_id,
            producer_epoch: producer.producer_epoch,
            base_sequence: producer.base_sequence,
            is_transactional: producer.is_transactional,
            ..BatchHeader::plain(first_offset, config.message_timestamp_type, max_timestamp_ms)
        };
        let active = self.active_segment_mut();
        active.reserve_for_appends(usize::try_from(config.segment_bytes).unwrap_or(0).clamp(0, 1 << 20));
        active.append_with(interval, now_ms, |log| {
            let mut w = BatchWriter::begin(log, &header, base_timestamp);
            for (i, r) in records.iter().enumerate() {
                w.append(log, first_offset + i as i64, r.timestamp_ms, r.key, r.value, r.headers);
            }
            w.finish(log, last_offset);
        });
        self.record_count += records.len() as u64;
        self.size_bytes += size;
        self.log_end_offset = last_offset + 1;
        if producer.producer_id >= 0 {
            self.producer_state
                .on_data_batch(&producer.batch(first_offset, records.len(), max_timestamp_ms));
        }
        LogAppendInfo {
            first_offset,
            last_offset,
            size_bytes: size,
            rolled,
        }
    }

    /// Rolls the active segment when one of `UnifiedLog.maybeRoll`'s rules
    /// fires for an append of `size` bytes whose largest timestamp and last
    /// offset are given; says which rule did. On a compacted topic whose
    /// `max.compaction.lag.ms` is below `segment.ms`, the time rule is the lag.
    fn roll_if_due(
        &mut self,
        config: &TopicConfig,
        max_timestamp_ms: i64,
        last_offset: i64,
        size: u64,
        now_ms: i64,
        roll_jitter_ms: impl FnOnce() -> i64,
    ) -> Option<RollReason> {
        let time_reason = if config.cleanup_policy.compact && config.max_compaction_lag_ms < config.segment_ms {
            RollReason::MaxCompactionLagMs
        } else {
            RollReason::SegmentMs
        };
        let params = RollParams {
            max_segment_ms: config.max_segment_ms(),
            max_segment_bytes: u64::try_from(config.segment_bytes).unwrap_or(0),
            max_index_bytes: u64::try_from(config.segment_index_bytes).unwrap_or(0),
            max_timestamp_in_messages: max_timestamp_ms,
            max_offset_in_messages: last_offset,
            messages_size: size,
            now_ms,
        };
        let rolled = self.active_segment().should_roll(&params, time_reason);
        if rolled.is_some() {
            self.roll(now_ms, roll_jitter_ms());
        }
        rolled
    }

    /// Appends a transaction marker (a COMMIT or ABORT control batch, as the
    /// coordinator's `WriteTxnMarkers` makes the leader append it): rolls if
    /// a roll rule fires, ends the producer's open transaction, and records
    /// an aborted one in the active segment's transaction index with the
    /// last stable offset that follows it.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn append_end_txn_marker(
        &mut self,
        producer_id: i64,
        producer_epoch: i16,
        control: ControlType,
        coordinator_epoch: i32,
        config: &TopicConfig,
        now_ms: i64,
        roll_jitter_ms: impl FnOnce() -> i64,
    ) -> LogAppendInfo {
        let offset = self.log_end_offset;
        let mut probe = Vec::with_capacity(80);
        write_end_txn_marker(
            &mut probe,
            offset,
            producer_id,
            producer_epoch,
            control.id(),
            coordinator_epoch,
            now_ms,
        );
        let size = probe.len() as u64;
        let rolled = self.roll_if_due(config, now_ms, offset, size, now_ms, roll_jitter_ms);
        let interval = u64::try_from(config.index_interval_bytes).unwrap_or(0);
        self.active_segment_mut()
            .append_with(interval, now_ms, |log| log.extend_from_slice(&probe));
        self.record_count += 1;
        self.size_bytes += size;
        self.log_end_offset = offset + 1;
        let completed = self.producer_state.on_marker(
            producer_id,
            producer_epoch,
            coordinator_epoch,
            control == ControlType::Commit,
            offset,
            now_ms,
        );
        if let Some(c) = completed.filter(|c| c.is_aborted) {
            let lso = self.producer_state.last_stable_offset(&c);
            self.active_segment_mut().append_aborted_txn(AbortedTxn {
                producer_id: c.producer_id,
                first_offset: c.first_offset,
                last_offset: c.last_offset,
                last_stable_offset: lso,
            });
        }
        LogAppendInfo {
            first_offset: offset,
            last_offset: offset,
            size_bytes: size,
            rolled,
        }
    }

    /// The producer state and the aborted transactions the log's bytes
    /// imply (Kafka's recovery, `loadProducersFromRecords`), from the first
    /// segment on: an imported log gets its state this way, and a test
    /// compares it with the state kept while appending.
    pub fn rebuild_producer_state(&self) -> (ProducerStateManager, Vec<AbortedTxn>) {
        let created = self.segments[0].created_ms();
        let (state, aborted) =
            ProducerStateManager::rebuild(created, self.segments.iter().flat_map(|s| s.batches().iter()));
        let aborted = aborted
            .into_iter()
            .map(|(c, lso)| AbortedTxn {
                producer_id: c.producer_id,
                first_offset: c.first_offset,
                last_offset: c.last_offset,
                last_stable_offset: lso,
            })
            .collect();
        (state, aborted)
    }

    /// `UnifiedLog.roll`: a new empty active segment at the LEO. Rolling an
    /// empty active segment already based at the LEO only replaces it, so no
    /// empty inactive segment is ever created. Returns false when nothing
    /// changed in a way a learner would see.
    pub(crate) fn roll(&mut self, now_ms: i64, roll_jitter_ms: i64) -> bool {
        let leo = self.log_end_offset;
        let active = self.active_segment_mut();
        if active.base_offset() == leo && active.is_empty() {
            *active = LogSegment::new(leo, now_ms, roll_jitter_ms);
            return false;
        }
        active.on_become_inactive();
        active.shrink_to_fit();
        self.segments.push(LogSegment::new(leo, now_ms, roll_jitter_ms));
        true
    }

    /// Fetch as a consumer: records from the first surviving offset at or
    /// after `from`, at most `max` of them (`UnifiedLog.read` +
    /// the consumer skipping records below the fetch offset and empty
    /// batches). Below the log start offset or past the LEO is
    /// OFFSET_OUT_OF_RANGE; exactly the LEO returns nothing.
    ///
    /// # Errors
    ///
    /// [`Error::OffsetOutOfRange`] when `from` is below the log start offset
    /// (`Received request for offset 2 for partition t-0, but we only have log
    /// segments starting from offset: 5.`) or past the log end offset
    /// (`... but we only have log segments upto 7.`).
    pub fn read(&self, from: i64, max: usize) -> Result<Vec<FetchedRecord>> {
        self.read_isolated(from, max, IsolationLevel::ReadUncommitted)
    }

    /// [`Self::read`] at an isolation level. Control records (transaction
    /// markers) are never returned. `read_committed` reads only batches
    /// below the last stable offset and drops the batches of aborted
    /// transactions, as the Java consumer does with the aborted transactions
    /// the fetch returns (`CompletedFetch`): from a transaction's first
    /// offset its producer's transactional batches are skipped, until its
    /// ABORT marker.
    ///
    /// # Errors
    ///
    /// As [`Self::read`].
    pub fn read_isolated(&self, from: i64, max: usize, isolation: IsolationLevel) -> Result<Vec<FetchedRecord>> {
        if from < self.log_start_offset {
            return Err(Error::OffsetOutOfRange(OffsetOutOfRange::BelowLogStart {
                offset: from,
                topic_partition: self.topic_partition.clone(),
                log_start_offset: self.log_start_offset,
            }));
        }
        if from > self.log_end_offset {
            return Err(Error::OffsetOutOfRange(OffsetOutOfRange::AboveLogEnd {
                offset: from,
                topic_partition: self.topic_partition.clone(),
                log_end_offset: self.log_end_offset,
            }));
        }
        let mut out = Vec::new();
        let start = self.segment_index_for(from).unwrap_or(0);
        let committed = isolation == IsolationLevel::ReadCommitted;
        let lso = self.last_stable_offset();
        let mut aborted_txns = if committed {
            self.collect_aborted_transactions(from, from, lso)
        } else {
            Vec::new()
        };
        aborted_txns.sort_by_key(|t| std::cmp::Reverse(t.first_offset));
        let mut aborted_producers = BTreeSet::new();
        'segments: for seg in &self.segments[start..] {
            for batch in seg.batches_from(from) {
                if committed {
                    if batch.last_offset() >= lso {
                        break 'segments;
                    }
                    if batch.producer_id() >= 0 {
                        // consumeAbortedTransactionsUpTo(batch.lastOffset)
                        while aborted_txns
                            .last()
                            .is_some_and(|t| t.first_offset <= batch.last_offset())
                        {
                            if let Some(t) = aborted_txns.pop() {
                                aborted_producers.insert(t.producer_id);
                            }
                        }
                        let is_abort_marker = batch.is_control()
                            && batch.records().next().and_then(|r| control_type(r.key)) == Some(ControlType::Abort);
                        if is_abort_marker {
                            aborted_producers.remove(&batch.producer_id());
                        } else if batch.is_transactional() && aborted_producers.contains(&batch.producer_id()) {
                            continue;
                        }
                    }
                }
                if batch.is_control() {
                    continue;
                }
                for r in batch.records() {
                    if r.offset < from {
                        continue;
                    }
                    if out.len() >= max {
                        break 'segments;
                    }
                    out.push(FetchedRecord {
                        offset: r.offset,
                        timestamp_ms: batch.timestamp_of(&r),
                        key: r.key.map(Box::from),
                        value: r.value.map(Box::from),
                    });
                }
            }
        }
        Ok(out)
    }

    /// Every record from the log start, in order, with its batch (what a
    /// consumer reading from the beginning sees).
    pub fn records(&self) -> impl Iterator<Item = (&RecordBatch, Record<'_>)> {
        self.segments
            .iter()
            .flat_map(|s| s.batches().iter())
            .flat_map(|b| b.records().map(move |r| (b, r)))
    }

    /// Replaces the segments `[from, to)` (indices) with `replacement`; the
    /// cleaner's atomic swap (`replaceSegments`). The active segment is never
    /// part of a swap.
    pub(crate) fn replace_segments(&mut self, from: usize, to: usize, replacement: Vec<LogSegment>) {
        debug_assert!(to < self.segments.len(), "the active segment is never replaced");
        self.segments.splice(from..to, replacement);
        self.recount();
    }

    /// Deletes the `count` oldest segments (retention); the log start offset
    /// moves to the base of the first remaining segment. If every segment
    /// goes, the log first rolls a new empty active segment at the LEO
    /// (`deleteSegments` with `roll` when all are deletable).
    pub(crate) fn delete_oldest_segments(&mut self, count: usize, now_ms: i64, roll_jitter_ms: i64) -> Vec<LogSegment> {
        let mut count = count.min(self.segments.len());
        if count == self.segments.len() && !self.roll(now_ms, roll_jitter_ms) {
            // The active segment was empty and based at the LEO: roll only
            // replaced it, and a final empty segment is never deleted.
            count -= 1;
        }
        if count == 0 {
            return Vec::new();
        }
        let deleted: Vec<LogSegment> = self.segments.drain(..count).collect();
        self.recount();
        let first_base = self.segments[0].base_offset();
        if first_base > self.log_start_offset {
            self.log_start_offset = first_base;
        }
        deleted
    }
}
