//! The log cleaner: one cleaning round on one partition.
//!
//! Models Kafka 4.0's `Cleaner` (`doClean`, `buildOffsetMap`,
//! `groupSegmentsBySize`, `cleanSegments`, `cleanInto`, `shouldRetainRecord`)
//! with `MemoryRecords.filterTo`'s batch rules. [`manager`] decides which log
//! and which range; this module executes.
//!
//! ```text
//!  log start        first dirty (F)      first uncleanable (U)    LEO
//!     |  clean section  |  dirty section      |  uncleanable: active |
//!     |  (cleaned before)| (mapped this round) |  segment, min lag, HW |
//! ```
//!
//! A round maps every key of `[F, U)` to its latest offset (stopping early
//! when the offset map is full: then the round ends where the map stopped),
//! then recopies **every** segment below that end, from the start of the log,
//! grouped up to `segment.bytes`, keeping a record iff it is past the mapped
//! range or is the latest of its key (tombstones: only until their delete
//! horizon).
//!
//! Invariants (each has a test): offsets never change, so removed records
//! leave gaps; segment base offsets never change; the log start offset never
//! moves; the active segment and everything at or past the round's end are
//! untouched; a consumer reading from the start ends with the same key ->
//! value map (a tombstone past its horizon may be gone instead of present).
//!
//! As in Kafka, cleaning filters bytes: the first pass hashes each key of
//! the dirty range once into the [`OffsetMap`] (reading only offsets and
//! keys); the second reads each batch
//! of a group from its segment's bytes and writes what it keeps straight
//! into the new segment's buffer (`MemoryRecords.filterTo`): a batch that
//! keeps every record is copied as it is, one that loses some (or gets a
//! delete horizon) is rewritten, one that loses all is dropped or, when it
//! must stay, written as an empty header. Each group is swapped in as soon
//! as it is written, so a round holds one group's output beside the log.
//! Unlike Kafka, the second pass asks [`MappedOffsets`] (what the map says
//! of each record the first pass put) before it hashes a key again, and
//! drops a batch whose records were all superseded without reading them:
//! the same answers, without a second probe of the table per record.
//!
//! Transactions (Kafka 4.0, `CleanedTransactionMetadata` in
//! [`transaction_metadata`]): the map skips markers and aborted batches;
//! aborted batches are discarded whatever their keys; a marker may go once
//! no batch of its transaction is left, then after its own delete horizon,
//! as a tombstone; the last batch of each active producer stays, possibly
//! empty, so that its sequence and epoch survive. The manager never lets a
//! round pass the last stable offset, so every transaction seen is decided.
//!
//! Simplified: no legacy (v0/v1) batches, no I/O buffers or throttling.

pub mod manager;
pub mod offset_map;
pub mod stats;
pub mod transaction_metadata;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::batch::builder::{write_empty_header, BatchHeader, BatchWriter};
use crate::batch::RecordBatch;
use crate::config::{TimestampType, TopicConfig};
use crate::log::producer_state::LastRecord;
use crate::log::segment::LogSegment;
use crate::log::PartitionLog;
use crate::record::Record;
use crate::topic_partition::TopicPartition;
use offset_map::{Digest, MappedOffsets, OffsetMap};
pub use stats::CleanerStats;
use transaction_metadata::CleanedTransactionMetadata;

/// The outcome of one round.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CleanResult {
    /// Flattened: the JSON contract has `topic` and `partition` side by side.
    #[serde(flatten)]
    pub topic_partition: TopicPartition,
    pub first_dirty_offset: i64,
    pub first_uncleanable_offset: i64,
    /// The next first dirty offset: `U`, or less when the map filled up.
    pub end_offset: i64,
    /// Distinct keys one pass can map (capacity of the offset map).
    pub max_keys_per_pass: u64,
    /// Base offsets of the segments recopied, one list per output segment.
    pub groups: Vec<Vec<i64>>,
    /// The clock when the round ran.
    pub now_ms: i64,
    /// The horizon this round stamps on tombstones it keeps for the first
    /// time: `now + delete.retention.ms`.
    pub delete_horizon_ms: i64,
    /// Flattened so that `messages_read`, `bytes_written`, ... sit beside
    /// the offsets, as the scenario JSON contract has them.
    #[serde(flatten)]
    pub stats: CleanerStats,
}

/// One cleaner thread's cleaning machinery.
#[derive(Debug, Clone)]
pub struct Cleaner {
    map: OffsetMap,
    /// What the map says of each record it mapped, read by the second pass.
    mapped: MappedOffsets,
    max_keys_per_pass: usize,
}

impl Cleaner {
    /// A cleaner whose offset map has `slots` entries and may hold
    /// `max_keys_per_pass` keys (`slots * load factor`).
    pub fn new(slots: usize, max_keys_per_pass: usize) -> Self {
        Cleaner {
            map: OffsetMap::new(slots),
            mapped: MappedOffsets::default(),
            max_keys_per_pass: max_keys_per_pass.max(1),
        }
    }

    /// `doClean`: one round over `[first_dirty, first_uncleanable)`;
    /// `first_uncleanable` must be a segment base offset at or below the
    /// active segment's.
    pub fn clean(
        &mut self,
        log: &mut PartitionLog,
        config: &TopicConfig,
        first_dirty: i64,
        first_uncleanable: i64,
        now_ms: i64,
    ) -> CleanResult {
        let mut stats = CleanerStats::default();
        // The caller applied the producer expiration checks due by now.
        let active = log.producer_state().last_records_of_active_producers();
        self.build_offset_map(log, first_dirty, first_uncleanable, &mut stats);
        let end_offset = self.map.latest_offset() + 1;
        stats.map_keys = self.map.size() as u64;
        stats.buffer_utilization = self.map.utilization();

        // Every segment below the end is recopied, from the start of the log.
        let count = log
            .segments()
            .partition_point(|s| s.base_offset() < end_offset)
            .min(log.segments().len() - 1);
        let groups = group_segments_by_size(
            &log.segments()[..count],
            u64::try_from(config.segment_bytes).unwrap_or(0),
            u64::try_from(config.segment_index_bytes).unwrap_or(0),
            first_uncleanable,
        );
        let interval = u64::try_from(config.index_interval_bytes).unwrap_or(0);
        let mut group_bases = Vec::with_capacity(groups.len());
        // Each group is written and swapped in before the next (Kafka's
        // cleanSegments + replaceSegments), so the indices of the groups
        // after it move down by the segments it merged.
        let mut merged = 0;
        // One transaction state for the whole round, across groups.
        let mut txns = CleanedTransactionMetadata::default();
        let log_start = log.log_start_offset();
        for range in &groups {
            let (from, to) = (range.start - merged, range.end - merged);
            let sources = &log.segments()[from..to];
            group_bases.push(sources.iter().map(LogSegment::base_offset).collect());
            let base = sources[0].base_offset();
            let last_modified = sources[sources.len() - 1].last_modified_ms();
            // Room for what a clean keeps of a small group; a big one grows
            // its buffer as it is written rather than reserving its input's
            // size (most of which a cleaning usually removes).
            let input: u64 = sources.iter().map(LogSegment::size_bytes).sum();
            let mut out = LogSegment::for_cleaning(base, now_ms, input.min(1 << 20) as usize);
            for (k, seg) in sources.iter().enumerate() {
                // cleanSegments: the aborted transactions up to the next
                // source segment (or this one's end).
                let upper = sources.get(k + 1).map_or_else(
                    || seg.next_offset().unwrap_or(seg.base_offset()),
                    LogSegment::base_offset,
                );
                txns.add_aborted_transactions(log.collect_aborted_transactions(seg.base_offset(), log_start, upper));
                let round = Round {
                    config,
                    upper_bound: first_uncleanable,
                    now_ms,
                    index_interval_bytes: interval,
                    active: &active,
                };
                for batch in seg.batches() {
                    self.clean_batch(batch, &round, &mut txns, &mut stats, &mut out);
                }
            }
            out.seal_cleaned(last_modified);
            log.replace_segments(from, to, vec![out]);
            merged += to - from - 1;
        }
        stats.segments_written = groups.len() as u64;
        CleanResult {
            topic_partition: log.topic_partition().clone(),
            first_dirty_offset: first_dirty,
            first_uncleanable_offset: first_uncleanable,
            end_offset,
            max_keys_per_pass: self.max_keys_per_pass as u64,
            groups: group_bases,
            now_ms,
            delete_horizon_ms: now_ms.saturating_add(config.delete_retention_ms),
            stats,
        }
    }

    /// `buildOffsetMap`: maps each key of `[start, end)` to its latest
    /// offset, segment by segment, until the map is full.
    fn build_offset_map(&mut self, log: &PartitionLog, start: i64, end: i64, stats: &mut CleanerStats) {
        let segs = log.segments();
        let from = log.segment_index_for(start).unwrap_or(0);
        let dirty: Vec<&LogSegment> = segs[from..].iter().take_while(|s| s.base_offset() < end).collect();
        self.map.clear();
        self.mapped = MappedOffsets::new(start, end, dirty.iter().map(|s| s.record_count()).sum());
        let mut txns = CleanedTransactionMetadata::default();
        txns.add_aborted_transactions(log.collect_aborted_transactions(start, log.log_start_offset(), end));
        self.map_segments(&dirty, start, end, txns, stats);
        self.mapped.mark_latest(&self.map);
    }

    /// `buildOffsetMapForSegment` for each of `dirty`, until the map is full.
    fn map_segments(
        &mut self,
        dirty: &[&LogSegment],
        start: i64,
        end: i64,
        mut txns: CleanedTransactionMetadata,
        stats: &mut CleanerStats,
    ) {
        for (i, seg) in dirty.iter().enumerate() {
            let next_start = dirty.get(i + 1).map_or(end, |s| s.base_offset());
            // buildOffsetMapForSegment (Kafka starts at the index entry at or
            // below `start`; with no index lookup we start at the segment's
            // first batch, which only changes map_messages_read).
            for batch in seg.batches() {
                // Markers and aborted data never enter the map
                // (buildOffsetMapForSegment).
                let last_offset = batch.last_offset();
                let mapped = if !batch.is_control() && !batch.is_transactional() {
                    // No transaction to track (the common case, first; a
                    // producer id does not matter to the map).
                    true
                } else if batch.is_control() {
                    txns.on_control_batch_read(batch);
                    stats.map_messages_read += 1;
                    false
                } else if txns.on_batch_read(batch) {
                    stats.map_messages_read += batch.record_count() as u64;
                    false
                } else {
                    true
                };
                for (offset, key) in batch.offsets_and_keys().take(if mapped { usize::MAX } else { 0 }) {
                    if let Some(key) = key {
                        if offset >= start {
                            // The capacity check comes before every put, even
                            // of a key already in the map.
                            if self.map.size() >= self.max_keys_per_pass {
                                return;
                            }
                            self.map.put(Digest::of(key), offset);
                            self.mapped.on_put(offset);
                        }
                    }
                    stats.map_messages_read += 1;
                }
                if last_offset >= start {
                    self.map.update_latest_offset(last_offset);
                }
                stats.map_bytes_read += stored_size(batch);
            }
            // A fully mapped segment covers up to the next one, skipping any
            // offset gap at its end (testCleaningBeyondMissingOffsets).
            self.map.update_latest_offset(next_start - 1);
        }
    }

    /// `shouldRetainRecord` for a record of a batch whose deletes are
    /// retained or not (`retain_deletes`): beyond the mapped range, kept;
    /// keyed, kept iff it is its key's latest (and, for a tombstone, while
    /// deletes are retained); unkeyed (the policy changed), dropped.
    #[inline]
    fn should_retain(&self, r: &Record<'_>, latest: i64, retain_deletes: bool) -> Retain {
        if r.offset > latest {
            return Retain::Yes;
        }
        let Some(key) = r.key else {
            return Retain::NoUnkeyed;
        };
        let superseded = match self.mapped.is_latest(r.offset) {
            Some(latest_of_key) => !latest_of_key,
            None => r.offset < self.map.get(Digest::of(key)),
        };
        if superseded {
            Retain::No
        } else if r.value.is_some() || retain_deletes {
            Retain::Yes
        } else {
            Retain::NoTombstonePastHorizon
        }
    }

    /// `cleanInto` for one batch: `checkBatchRetention` then
    /// `shouldRetainRecord` for each record, as `MemoryRecords.filterTo`,
    /// writing what is kept into `out`.
    fn clean_batch(
        &self,
        batch: &RecordBatch,
        round: &Round<'_>,
        txns: &mut CleanedTransactionMetadata,
        stats: &mut CleanerStats,
        out: &mut LogSegment,
    ) {
        let now_ms = round.now_ms;
        // The header fields read more than once, decoded once (each is a
        // big-endian field: a byte swap, which wasm does with shifts).
        let (base_offset, last_offset, record_count) = (batch.base_offset(), batch.last_offset(), batch.record_count());
        let control = batch.is_control();
        stats.bytes_read += stored_size(batch);
        // The common case first: a plain data batch whose records were all
        // mapped and all superseded, not the round's last batch, is dropped
        // with nothing else to decide (the steps below would find no
        // transaction, no producer to keep it for, and Retain::No for each
        // record). Skipping the aborted-transaction bookkeeping is safe: it
        // catches up at the next batch that reads it.
        if batch.is_plain_data()
            && last_offset.wrapping_add(1) != round.upper_bound
            && last_offset <= self.map.latest_offset()
            && self.mapped.all_superseded(base_offset, last_offset, record_count)
        {
            stats.messages_read += record_count as u64;
            return;
        }
        // shouldDiscardBatch: aborted data, or a marker whose transaction
        // has no batch left this round (then the ABORT entry is not kept).
        let can_discard = if control {
            let (discard, keep_entry) = txns.on_control_batch_read(batch);
            if let Some(txn) = keep_entry {
                out.append_aborted_txn(txn);
            }
            discard
        } else {
            txns.on_batch_read(batch)
        };
        // A removable marker goes only once its own delete horizon passed.
        let discard_records = if control {
            can_discard && batch.delete_horizon_ms().is_some_and(|h| h <= now_ms)
        } else {
            can_discard
        };
        // The batch of an active producer that holds its last sequence (or,
        // when it wrote only markers in its epoch, its last marker) stays,
        // even empty; so does the last batch of the round (Kafka 4.0,
        // KAFKA-17076), so that the round's last offset is not lost.
        let last_of_producer = batch.has_producer_id()
            && round
                .active
                .get(&batch.producer_id())
                .is_some_and(|last| match last.last_data_offset {
                    Some(offset) => last_offset == offset,
                    None => control && batch.producer_epoch() == last.producer_epoch,
                });
        let retain_empty = last_of_producer || last_offset.wrapping_add(1) == round.upper_bound;
        if discard_records && !retain_empty {
            // BatchRetention.DELETE: dropped without reading its records.
            return;
        }
        let contains_marker_for_empty_txn = can_discard && control;
        stats.messages_read += record_count as u64;
        let latest = self.map.latest_offset();
        // shouldRetainDeletes: no horizon yet, or not reached.
        let retain_deletes = batch.delete_horizon_ms().is_none_or(|h| now_ms < h);
        let mode = if discard_records {
            Filter::DropAll
        } else if control {
            Filter::KeepAll
        } else {
            Filter::Map { latest, retain_deletes }
        };

        // filterBatch: what each record's fate is, and what that asks of
        // the batch.
        let (mut kept, mut kept_tombstones, mut max_kept_timestamp) = (0usize, 0u64, i64::MIN);
        // A batch whose records were all mapped and all superseded loses
        // them all (Retain::No each, nothing counted): the bits say so
        // without reading its records.
        let all_superseded = match mode {
            Filter::Map { latest, .. } => {
                last_offset <= latest && self.mapped.all_superseded(base_offset, last_offset, record_count)
            }
            _ => false,
        };
        if all_superseded && !retain_empty {
            // Nothing of it stays (see `kept == 0` below).
            return;
        }
        if !all_superseded {
            for r in batch.records() {
                match self.fate(&r, mode) {
                    Retain::Yes => {
                        kept += 1;
                        if r.value.is_none() {
                            kept_tombstones += 1;
                        }
                        max_kept_timestamp = max_kept_timestamp.max(r.timestamp_ms);
                    }
                    Retain::No => {}
                    Retain::NoTombstonePastHorizon => stats.tombstones_removed += 1,
                    Retain::NoUnkeyed => stats.invalid_messages_read += 1,
                }
            }
        }
        let removed = record_count - kept;

        let written_before = out.batches().len();
        let interval = round.index_interval_bytes;
        if kept == 0 {
            if !retain_empty {
                return;
            }
            // An empty batch is a bare header with the original offsets and
            // max timestamp (MemoryRecords.writeEmptyHeader).
            out.append_with(interval, now_ms, |log| write_empty_header(log, batch));
        } else {
            // filterTo: the first cleaning that retains a tombstone, or a
            // marker whose transaction is gone, stamps the batch with
            // now + delete.retention.ms (KIP-534).
            let set_horizon =
                (kept_tombstones > 0 || contains_marker_for_empty_txn) && batch.delete_horizon_ms().is_none();
            if removed == 0 && !set_horizon {
                // writeOriginalBatch: the bytes as they are.
                out.append_batch(batch, interval, now_ms);
            } else {
                let horizon = if set_horizon {
                    // Java's long addition wraps, and MemoryRecordsBuilder
                    // sets a horizon only when it is >= 0: past the end of
                    // time (a huge delete.retention.ms, or a clock near the
                    // end) the batch is rewritten without one, and its
                    // tombstones stay.
                    let h = now_ms.wrapping_add(round.config.delete_retention_ms);
                    if h >= 0 {
                        stats.tombstones_stamped += kept_tombstones;
                    }
                    (h >= 0).then_some(h)
                } else {
                    batch.delete_horizon_ms()
                };
                self.rewrite_batch(batch, horizon, removed, max_kept_timestamp, mode, interval, now_ms, out);
            }
        }
        if let Some(written) = out.batches().tail(written_before).first() {
            stats.messages_written += written.record_count() as u64;
            stats.bytes_written += written.size_bytes();
        }
    }

    /// A record's fate under the batch's filter.
    #[inline]
    fn fate(&self, r: &Record<'_>, mode: Filter) -> Retain {
        match mode {
            Filter::KeepAll => Retain::Yes,
            Filter::DropAll => Retain::No,
            Filter::Map { latest, retain_deletes } => self.should_retain(r, latest, retain_deletes),
        }
    }

    /// `buildRetainedRecordsInto`: the kept records of `batch` as a new
    /// batch with the original's base offset, last offset, producer fields
    /// and flags. The base timestamp is the horizon, else the first kept
    /// record's timestamp, so the records' timestamp deltas (and sizes)
    /// follow it. Kafka's builder writes each record with the timestamp it
    /// reads, and a record of a LogAppendTime batch reads as the batch's
    /// append time, so its timestamp follows that time from now on. A
    /// rebuilt CreateTime batch's max timestamp is that of its kept records.
    /// A compressed batch is rebuilt with its codec (`Compression.of(
    /// originalBatch.compressionType())`): its records are compressed again,
    /// by our compressor, so its size may differ from Kafka's (see
    /// [`crate::batch::compression`]).
    #[allow(clippy::too_many_arguments)]
    fn rewrite_batch(
        &self,
        batch: &RecordBatch,
        horizon: Option<i64>,
        removed: usize,
        max_kept_timestamp: i64,
        mode: Filter,
        index_interval_bytes: u64,
        now_ms: i64,
        out: &mut LogSegment,
    ) {
        let log_append_time = batch.timestamp_type() == TimestampType::LogAppendTime;
        let max_timestamp = if removed > 0 && !log_append_time {
            max_kept_timestamp
        } else {
            batch.max_timestamp_ms()
        };
        let header = BatchHeader {
            delete_horizon_ms: horizon,
            max_timestamp_ms: max_timestamp,
            ..BatchHeader::of(batch)
        };
        let timestamp = |r: &Record<'_>| {
            if log_append_time {
                batch.max_timestamp_ms()
            } else {
                r.timestamp_ms
            }
        };
        let keep = |r: &Record<'_>| removed == 0 || self.fate(r, mode) == Retain::Yes;
        let first = batch
            .records()
            .find(keep)
            .map_or(crate::batch::NO_TIMESTAMP, |r| timestamp(&r));
        let codec = batch.compression_codec();
        out.append_with(index_interval_bytes, now_ms, |log| {
            if codec == crate::batch::compression::NONE {
                let mut w = BatchWriter::begin(log, &header, first);
                for r in batch.records().filter(keep) {
                    w.append_stored(log, &r, timestamp(&r));
                }
                w.finish(log, batch.last_offset());
            } else {
                let mut plain = Vec::new();
                let mut w = BatchWriter::begin(&mut plain, &header, first);
                for r in batch.records().filter(keep) {
                    w.append_stored(&mut plain, &r, timestamp(&r));
                }
                w.finish(&mut plain, batch.last_offset());
                crate::batch::builder::compress_into(log, &plain, codec);
            }
        });
    }
}

/// `batch.size_bytes()` for a batch read from a segment, where an
/// uncompressed batch's view is exactly its stored bytes (the segment
/// delimits its batches by position, and `LogSegment::append_with` checks
/// that the length field agrees): its length is the size, and the
/// big-endian length field (a byte swap, which wasm does with shifts) need
/// not be decoded.
#[inline]
fn stored_size(batch: &RecordBatch) -> u64 {
    if batch.compression_codec() == crate::batch::compression::NONE {
        batch.in_memory_bytes().len() as u64
    } else {
        batch.size_bytes()
    }
}

/// What one round passes to each batch it filters.
struct Round<'a> {
    config: &'a TopicConfig,
    /// The round's first uncleanable offset.
    upper_bound: i64,
    now_ms: i64,
    index_interval_bytes: u64,
    /// `lastRecordsOfActiveProducers`.
    active: &'a BTreeMap<i64, LastRecord>,
}

/// How a batch's records are filtered: a removable marker past its horizon
/// or aborted data loses them all; a marker keeps its record; data goes
/// through the offset map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Filter {
    KeepAll,
    DropAll,
    Map { latest: i64, retain_deletes: bool },
}

/// A record's fate in `shouldRetainRecord`, with why it goes (the cleaner
/// counts each reason).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Retain {
    Yes,
    /// A later record of its key is in the map.
    No,
    /// The latest of its key, but a tombstone whose horizon has passed.
    NoTombstonePastHorizon,
    /// No key: dropped and counted as invalid.
    NoUnkeyed,
}

/// `groupSegmentsBySize`: greedy groups of consecutive segments whose
/// pre-clean sizes sum to at most `max_size` (`segment.bytes`), whose index
/// sizes fit `max_index_size` (`segment.index.bytes`), and whose offsets span
/// at most 2^31-1 (an empty candidate skips that check). Returns index
/// ranges into `segments`.
pub fn group_segments_by_size(
    segments: &[LogSegment],
    max_size: u64,
    max_index_size: u64,
    first_uncleanable: i64,
) -> Vec<std::ops::Range<usize>> {
    let mut groups = Vec::new();
    let mut i = 0;
    while i < segments.len() {
        let first = &segments[i];
        let mut log_size = first.size_bytes();
        let mut index_size = first.offset_index_size_bytes();
        let mut time_index_size = first.time_index_size_bytes();
        let mut j = i + 1;
        while j < segments.len() {
            let s = &segments[j];
            // lastOffsetForFirstSegment: the next base - 1, or U - 1.
            let last_offset = segments.get(j + 1).map_or(first_uncleanable, |n| n.base_offset()) - 1;
            let fits = log_size + s.size_bytes() <= max_size
                && index_size + s.offset_index_size_bytes() <= max_index_size
                && time_index_size + s.time_index_size_bytes() <= max_index_size
                && (s.is_empty() || last_offset - first.base_offset() <= i64::from(i32::MAX));
            if !fits {
                break;
            }
            log_size += s.size_bytes();
            index_size += s.offset_index_size_bytes();
            time_index_size += s.time_index_size_bytes();
            j += 1;
        }
        groups.push(i..j);
        i = j;
    }
    groups
}
