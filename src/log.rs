//! The log of one partition: segments, offsets, appends, rolls and fetches.
//!
//! Models Kafka's `UnifiedLog` / `LocalLog` for a single-replica partition.
//! The offsets a learner meets:
//!
//! * **log start offset**: the first offset a consumer may ask for. Only
//!   segment deletion (retention) moves it; compaction never does.
//! * **log end offset (LEO)**: the offset the next record gets.
//! * **high watermark (HW)**: what consumers may read. With one replica it
//!   equals the LEO after every append; so does the last stable offset, as
//!   there are no transactions yet.
//!
//! Invariants (each has a property test): offsets strictly increase within
//! the log; segment base offsets never change; the last segment is the
//! active one, where every append goes.
//!
//! Simplified: no replication, no leader epochs, no producer state, no
//! compression, nothing on disk (segments hold their `.log` bytes in memory).

pub mod offset_index;
pub mod retention;
pub mod segment;
pub mod time_index;

use crate::batch::builder::{BatchHeader, BatchWriter};
use crate::batch::{headers_size, record_size_in_bytes, RecordBatch, NO_TIMESTAMP, RECORD_BATCH_OVERHEAD};
use crate::config::TopicConfig;
use crate::error::{Error, OffsetOutOfRange, Result};
use crate::record::{Record, SimpleRecord};
use crate::topic_partition::TopicPartition;
use segment::{LogSegment, RollParams, RollReason};

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
        }
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

    /// No transactions: the last stable offset is the high watermark.
    pub fn last_stable_offset(&self) -> i64 {
        self.high_watermark()
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
    /// base and the log end past the last batch.
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
        let interval = u64::try_from(config.index_interval_bytes).unwrap_or(0);
        let header = BatchHeader::plain(first_offset, config.message_timestamp_type, max_timestamp_ms);
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
        LogAppendInfo {
            first_offset,
            last_offset,
            size_bytes: size,
            rolled,
        }
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
        'segments: for seg in &self.segments[start..] {
            for batch in seg.batches_from(from) {
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
