//! A log segment: a run of batches starting at a fixed base offset.
//!
//! Models Kafka's `LogSegment` (storage `internals/log/LogSegment.java`): its
//! `.log` file as one buffer of encoded batches back to back (so its size is
//! the buffer's length, and freeing it is one deallocation), its offset and
//! time index entry counts (only the counts matter: they decide the "index
//! full" roll rule and the cleaner's grouping), the timestamp its time-based
//! roll is measured from, and its file times.
//!
//! A compressed batch is followed in the buffer by its records
//! decompressed (see [`crate::batch`]); the segment counts those bytes
//! apart, so its size is the stored size.
//!
//! Simplified: the buffer lives in memory, there is no file and no page
//! cache; instead of Kafka's sparse offset index the segment keeps the start
//! position of every batch (4 bytes a batch), which [`Batches`] reads to find
//! a batch by position or offset. `last_modified_ms` is the simulated clock
//! at the last write.

use std::borrow::Cow;
use std::ops::Index;

use super::transaction_index::{AbortedTxn, TransactionIndex};
use crate::batch::{batch_length_at, RecordBatch};

/// Offset-index entries are 8 bytes, time-index entries 12 (`OffsetIndex`,
/// `TimeIndex`): `segment.index.bytes` caps how many a segment may hold.
pub const OFFSET_INDEX_ENTRY_BYTES: u64 = 8;
pub const TIME_INDEX_ENTRY_BYTES: u64 = 12;

/// The per-append inputs of `LogSegment.shouldRoll` (Kafka's `RollParams`).
#[derive(Debug, Clone, Copy)]
pub struct RollParams {
    /// `LogConfig.maxSegmentMs`: `segment.ms`, capped by
    /// `max.compaction.lag.ms` on compacted topics.
    pub max_segment_ms: i64,
    pub max_segment_bytes: u64,
    pub max_index_bytes: u64,
    /// Max timestamp of the incoming batches.
    pub max_timestamp_in_messages: i64,
    /// Last offset of the incoming batches.
    pub max_offset_in_messages: i64,
    /// Size of the incoming batches.
    pub messages_size: u64,
    pub now_ms: i64,
}

/// Why the log rolled a new active segment; shown to learners.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RollReason {
    /// `segment.bytes`: the batch would push the segment past its size.
    SegmentBytes,
    /// `segment.ms` (minus jitter), measured on record timestamps.
    SegmentMs,
    /// `max.compaction.lag.ms` is below `segment.ms` on a compacted topic and
    /// capped the time-based roll.
    MaxCompactionLagMs,
    /// `segment.index.bytes`: the offset or time index is full.
    IndexFull,
    /// Relative offsets must fit in 4 bytes.
    OffsetOverflow,
    /// A person or a script asked for it (`roll`).
    Explicit,
    /// Retention needed to delete the active segment, so the log first rolled.
    Retention,
}

impl RollReason {
    /// The config (or cause) a learner should look at; also its `Display`.
    pub fn describe(self) -> &'static str {
        match self {
            RollReason::SegmentBytes => "segment.bytes",
            RollReason::SegmentMs => "segment.ms",
            RollReason::MaxCompactionLagMs => "max.compaction.lag.ms",
            RollReason::IndexFull => "segment.index.bytes",
            RollReason::OffsetOverflow => "offset overflow",
            RollReason::Explicit => "roll",
            RollReason::Retention => "retention",
        }
    }
}

impl std::fmt::Display for RollReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.describe())
    }
}

/// One segment of a partition log. Every field is private: the base offset,
/// creation time and roll jitter are fixed at creation, and the size, times
/// and index counts change only through `LogSegment::append`.
#[derive(Debug, Clone, PartialEq)]
pub struct LogSegment {
    /// The offset in the segment's file name; never changes, also not when
    /// the cleaner rewrites the segment and its first records are gone.
    base_offset: i64,
    /// The `.log` file: every batch's bytes, back to back. Its length is the
    /// segment's size. At most `segment.bytes` (an `i32`) plus what a delete
    /// horizon adds to cleaned batches, so positions fit a `u32`.
    log: Vec<u8>,
    /// Where each batch starts in `log`, in order.
    positions: Vec<u32>,
    /// Bytes of `log` that are compressed batches' records decompressed,
    /// not stored bytes (0 for a segment of uncompressed batches).
    inflated_bytes: u64,
    /// Records in `log`, kept in step by `append` (the only method that
    /// writes the log), so that counting a log's records costs one addition
    /// per segment, not a walk over every batch.
    record_count: u64,
    /// Simulated time of creation: the time-based roll falls back to it when
    /// records carry no timestamps.
    created_ms: i64,
    /// File mtime: the last append. Cleaned segments inherit the mtime of the
    /// last segment of their group.
    last_modified_ms: i64,
    /// Drawn once at creation from `segment.jitter.ms` (`LogConfig.randomSegmentJitter`).
    roll_jitter_ms: i64,
    /// `rollingBasedTimestamp`: max timestamp of the first append into the
    /// empty segment; the time-based roll is measured from it.
    rolling_based_timestamp_ms: Option<i64>,
    max_timestamp_so_far_ms: i64,
    offset_index_entries: u64,
    time_index_entries: u64,
    last_time_index_timestamp_ms: i64,
    bytes_since_last_index_entry: u64,
    /// `.txnindex`: the transactions aborted by markers in this segment.
    txn_index: TransactionIndex,
}

impl LogSegment {
    /// An empty segment, as the log creates on a roll.
    pub(crate) fn new(base_offset: i64, now_ms: i64, roll_jitter_ms: i64) -> Self {
        LogSegment {
            base_offset,
            log: Vec::new(),
            positions: Vec::new(),
            inflated_bytes: 0,
            record_count: 0,
            created_ms: now_ms,
            last_modified_ms: now_ms,
            roll_jitter_ms,
            rolling_based_timestamp_ms: None,
            max_timestamp_so_far_ms: -1,
            offset_index_entries: 0,
            time_index_entries: 0,
            last_time_index_timestamp_ms: -1,
            bytes_since_last_index_entry: 0,
            txn_index: TransactionIndex::default(),
        }
    }

    /// The segment's aborted-transaction index (`.txnindex`).
    pub fn txn_index(&self) -> &TransactionIndex {
        &self.txn_index
    }

    /// `LogSegment.updateTxnIndex`: an ABORT marker in this segment ended
    /// `txn` (the cleaner also writes back the entries it keeps).
    pub(crate) fn append_aborted_txn(&mut self, txn: AbortedTxn) {
        self.txn_index.append(txn);
    }

    pub fn base_offset(&self) -> i64 {
        self.base_offset
    }

    /// Simulated time of creation.
    pub fn created_ms(&self) -> i64 {
        self.created_ms
    }

    /// File mtime: the last append (for a cleaned segment, inherited).
    pub fn last_modified_ms(&self) -> i64 {
        self.last_modified_ms
    }

    /// This segment's `segment.jitter.ms` draw.
    pub fn roll_jitter_ms(&self) -> i64 {
        self.roll_jitter_ms
    }

    /// Records still in the segment.
    pub fn record_count(&self) -> u64 {
        self.record_count
    }

    /// The segment's batches, read from its bytes.
    pub fn batches(&self) -> Batches<'_> {
        Batches {
            log: &self.log,
            positions: &self.positions,
        }
    }

    /// The segment's bytes: its `.log` file (CRC fields 0). Borrowed unless
    /// the segment holds compressed batches, whose decompressed records are
    /// left out.
    pub fn as_bytes(&self) -> Cow<'_, [u8]> {
        if self.inflated_bytes == 0 {
            return Cow::Borrowed(&self.log);
        }
        let mut out = Vec::with_capacity(self.size_bytes() as usize);
        for b in self.batches() {
            out.extend_from_slice(b.as_bytes());
        }
        Cow::Owned(out)
    }

    /// The stored size: the `.log` file's length.
    pub fn size_bytes(&self) -> u64 {
        self.log.len() as u64 - self.inflated_bytes
    }

    pub fn is_empty(&self) -> bool {
        self.log.is_empty()
    }

    /// Bytes held in memory for this segment: its buffer's capacity and its
    /// batch positions (what the memory benchmark compares with the log).
    pub fn heap_bytes(&self) -> u64 {
        (self.log.capacity() + self.positions.capacity() * std::mem::size_of::<u32>()) as u64
    }

    pub fn offset_index_entries(&self) -> u64 {
        self.offset_index_entries
    }

    pub fn time_index_entries(&self) -> u64 {
        self.time_index_entries
    }

    /// `offsetIndex.sizeInBytes + ...`: what the cleaner's grouping sums.
    pub fn offset_index_size_bytes(&self) -> u64 {
        self.offset_index_entries * OFFSET_INDEX_ENTRY_BYTES
    }

    pub fn time_index_size_bytes(&self) -> u64 {
        self.time_index_entries * TIME_INDEX_ENTRY_BYTES
    }

    /// Max record timestamp so far, -1 when there is none.
    pub fn max_timestamp_so_far_ms(&self) -> i64 {
        self.max_timestamp_so_far_ms
    }

    /// `LogSegment.largestTimestamp`: the max record timestamp, or the
    /// file's mtime when the records carry none. Drives
    /// `min.compaction.lag.ms` and time retention.
    pub fn largest_timestamp_ms(&self) -> i64 {
        if self.max_timestamp_so_far_ms >= 0 {
            self.max_timestamp_so_far_ms
        } else {
            self.last_modified_ms
        }
    }

    /// Max timestamp of the segment's first batch (`getFirstBatchTimestamp`),
    /// used by `max.compaction.lag.ms`; None when the segment is empty.
    pub fn first_batch_timestamp_ms(&self) -> Option<i64> {
        self.batches().first().map(RecordBatch::max_timestamp_ms)
    }

    /// The offset after the last batch, if any.
    pub fn next_offset(&self) -> Option<i64> {
        self.batches().last().map(RecordBatch::next_offset)
    }

    /// `LogSegment.shouldRoll`, with the rule that fired. The caller checks
    /// the active segment before every append.
    pub fn should_roll(&self, p: &RollParams, time_reason: RollReason) -> Option<RollReason> {
        // Kafka: size > maxSegmentBytes - messagesSize (a segment may end
        // exactly at segment.bytes).
        if self.size_bytes() > p.max_segment_bytes.saturating_sub(p.messages_size) {
            return Some(RollReason::SegmentBytes);
        }
        // Kafka: size > 0 && timeWaitedForRoll > maxSegmentMs - rollJitterMs;
        // an empty segment never rolls by time.
        if !self.is_empty()
            && self.time_waited_for_roll_ms(p.now_ms, p.max_timestamp_in_messages)
                > p.max_segment_ms.saturating_sub(self.roll_jitter_ms)
        {
            return Some(time_reason);
        }
        // offsetIndex.isFull || timeIndex.isFull
        if self.offset_index_entries >= p.max_index_bytes / OFFSET_INDEX_ENTRY_BYTES
            || self.time_index_entries >= p.max_index_bytes / TIME_INDEX_ENTRY_BYTES
        {
            return Some(RollReason::IndexFull);
        }
        // canConvertToRelativeOffset: the index stores 4-byte relative offsets.
        let relative = p.max_offset_in_messages - self.base_offset;
        if !(0..=i64::from(i32::MAX)).contains(&relative) {
            return Some(RollReason::OffsetOverflow);
        }
        None
    }

    /// `timeWaitedForRoll`: record-timestamp driven when the segment's first
    /// append carried a timestamp, else wall-clock since creation.
    pub fn time_waited_for_roll_ms(&self, now_ms: i64, message_timestamp_ms: i64) -> i64 {
        match self.rolling_based_timestamp_ms {
            Some(ts) if ts >= 0 => message_timestamp_ms.saturating_sub(ts),
            _ => now_ms.saturating_sub(self.created_ms),
        }
    }

    /// `LogSegment.append` of one batch, which `write` writes at the end of
    /// the segment's bytes (the produce path encodes it there; the cleaner
    /// writes a filtered copy there). Writing nothing appends nothing and
    /// returns false. Keeps the index entry counts as Kafka would (an entry
    /// when more than `index.interval.bytes` were appended since the last).
    pub(crate) fn append_with(
        &mut self,
        index_interval_bytes: u64,
        now_ms: i64,
        write: impl FnOnce(&mut Vec<u8>),
    ) -> bool {
        let start = self.log.len();
        write(&mut self.log);
        if self.log.len() == start {
            return false;
        }
        let batch = RecordBatch::from_bytes(&self.log[start..]);
        debug_assert_eq!(batch_length_at(&self.log[start..]), Some(batch.as_bytes().len()));
        self.inflated_bytes += (self.log.len() - start - batch.as_bytes().len()) as u64;
        let (max_timestamp, size, count) = (batch.max_timestamp_ms(), batch.size_bytes(), batch.record_count());
        if start == 0 && self.rolling_based_timestamp_ms.is_none() {
            self.rolling_based_timestamp_ms = Some(max_timestamp);
        }
        if max_timestamp > self.max_timestamp_so_far_ms {
            self.max_timestamp_so_far_ms = max_timestamp;
        }
        if self.bytes_since_last_index_entry > index_interval_bytes {
            self.offset_index_entries += 1;
            self.maybe_append_time_index_entry();
            self.bytes_since_last_index_entry = 0;
        }
        self.bytes_since_last_index_entry += size;
        self.record_count += count as u64;
        // Positions fit a u32: see the `log` field.
        self.positions.push(u32::try_from(start).unwrap_or(u32::MAX));
        self.last_modified_ms = now_ms;
        true
    }

    /// Appends a copy of `batch`'s bytes (with its decompressed records,
    /// when it is compressed).
    pub(crate) fn append_batch(&mut self, batch: &RecordBatch, index_interval_bytes: u64, now_ms: i64) {
        self.append_with(index_interval_bytes, now_ms, |log| {
            log.extend_from_slice(batch.in_memory_bytes())
        });
    }

    /// `onBecomeInactiveSegment`: a final time-index entry if the max
    /// timestamp advanced past the last one.
    pub(crate) fn on_become_inactive(&mut self) {
        self.maybe_append_time_index_entry();
    }

    fn maybe_append_time_index_entry(&mut self) {
        // TimeIndex.maybeAppend: only a strictly larger timestamp is added.
        if self.max_timestamp_so_far_ms > self.last_time_index_timestamp_ms {
            self.time_index_entries += 1;
            self.last_time_index_timestamp_ms = self.max_timestamp_so_far_ms;
        }
    }

    /// Batches whose `last_offset >= offset`, in order (fetch semantics:
    /// a removed offset lands on the next surviving record).
    pub fn batches_from(&self, offset: i64) -> Batches<'_> {
        let all = self.batches();
        let start = all.partition_point(|b| b.last_offset() < offset);
        all.tail(start)
    }

    /// A new segment for the cleaner to write a group into (Kafka's
    /// `LogCleaner.createNewCleanedSegment`), with room for `capacity` bytes.
    pub(crate) fn for_cleaning(base_offset: i64, created_ms: i64, capacity: usize) -> Self {
        let mut seg = LogSegment::new(base_offset, created_ms, 0);
        seg.log.reserve_exact(capacity);
        seg
    }

    /// Gives a segment that has no buffer yet room for `bytes`: the log
    /// reserves a whole small segment at its first append (a wasm page
    /// cannot grow a buffer in place, so each doubling would copy it), and
    /// a capped amount for a big one, which then grows as it fills.
    pub(crate) fn reserve_for_appends(&mut self, bytes: usize) {
        if self.log.capacity() == 0 {
            self.log.reserve_exact(bytes);
        }
    }

    /// Seals a segment the cleaner wrote: it is inactive (its time index is
    /// closed), it inherits the mtime of its group's last segment (Kafka's
    /// `cleanSegments` sets `lastModified`), and it gives back the room it
    /// did not use.
    pub(crate) fn seal_cleaned(&mut self, last_modified_ms: i64) {
        self.on_become_inactive();
        self.last_modified_ms = last_modified_ms;
        self.log.shrink_to_fit();
        self.positions.shrink_to_fit();
    }

    /// When the segment stops being the active one, it gives back the room
    /// its buffer kept for appends, if that is more than an eighth of what
    /// it holds (giving back less is not worth copying the buffer).
    pub(crate) fn shrink_to_fit(&mut self) {
        if self.log.capacity() - self.log.len() > self.log.len() / 8 {
            self.log.shrink_to_fit();
        }
        self.positions.shrink_to_fit();
    }
}

/// The batches of a segment: positions into its bytes. Indexing and
/// iteration give `&RecordBatch` views, as a slice of owned batches would.
#[derive(Debug, Clone, Copy)]
pub struct Batches<'a> {
    log: &'a [u8],
    positions: &'a [u32],
}

impl<'a> Batches<'a> {
    pub fn len(&self) -> usize {
        self.positions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.positions.is_empty()
    }

    /// The `i`-th batch.
    pub fn get(&self, i: usize) -> Option<&'a RecordBatch> {
        let start = *self.positions.get(i)? as usize;
        let end = self.positions.get(i + 1).map_or(self.log.len(), |&p| p as usize);
        Some(RecordBatch::from_bytes(&self.log[start..end]))
    }

    pub fn first(&self) -> Option<&'a RecordBatch> {
        self.get(0)
    }

    pub fn last(&self) -> Option<&'a RecordBatch> {
        self.len().checked_sub(1).and_then(|i| self.get(i))
    }

    /// The batches from the `start`-th on.
    pub fn tail(&self, start: usize) -> Batches<'a> {
        let start = start.min(self.positions.len());
        Batches {
            log: self.log,
            positions: &self.positions[start..],
        }
    }

    /// The index of the first batch for which `pred` is false, the batches
    /// being partitioned by it (as `slice::partition_point`).
    pub fn partition_point(&self, mut pred: impl FnMut(&RecordBatch) -> bool) -> usize {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.get(mid).is_some_and(&mut pred) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    pub fn iter(&self) -> BatchIter<'a> {
        BatchIter {
            batches: *self,
            front: 0,
            back: self.len(),
        }
    }
}

impl Index<usize> for Batches<'_> {
    type Output = RecordBatch;

    /// Panics when `i` is out of range, as slice indexing does.
    fn index(&self, i: usize) -> &RecordBatch {
        match self.get(i) {
            Some(b) => b,
            None => panic!("batch index {i} out of range for {} batches", self.len()),
        }
    }
}

impl<'a> IntoIterator for Batches<'a> {
    type Item = &'a RecordBatch;
    type IntoIter = BatchIter<'a>;

    fn into_iter(self) -> BatchIter<'a> {
        self.iter()
    }
}

impl<'a> IntoIterator for &Batches<'a> {
    type Item = &'a RecordBatch;
    type IntoIter = BatchIter<'a>;

    fn into_iter(self) -> BatchIter<'a> {
        self.iter()
    }
}

/// Iterates a segment's batches, either way.
#[derive(Debug, Clone)]
pub struct BatchIter<'a> {
    batches: Batches<'a>,
    front: usize,
    back: usize,
}

impl<'a> Iterator for BatchIter<'a> {
    type Item = &'a RecordBatch;

    #[inline]
    fn next(&mut self) -> Option<&'a RecordBatch> {
        if self.front >= self.back {
            return None;
        }
        self.front += 1;
        self.batches.get(self.front - 1)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.back - self.front;
        (n, Some(n))
    }
}

impl DoubleEndedIterator for BatchIter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.front >= self.back {
            return None;
        }
        self.back -= 1;
        self.batches.get(self.back)
    }
}

impl ExactSizeIterator for BatchIter<'_> {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::builder::{BatchHeader, BatchWriter};
    use crate::config::TimestampType;

    fn params(max_offset: i64) -> RollParams {
        RollParams {
            max_segment_ms: i64::MAX,
            max_segment_bytes: 1 << 30,
            max_index_bytes: 10 << 20,
            max_timestamp_in_messages: 0,
            max_offset_in_messages: max_offset,
            messages_size: 70,
            now_ms: 0,
        }
    }

    #[test]
    fn relative_offsets_that_no_longer_fit_in_four_bytes_roll_the_segment() {
        // LogSegment.canConvertToRelativeOffset: lastOffset - baseOffset must
        // lie in [0, Int.MaxValue].
        let mut seg = LogSegment::new(100, 0, 0);
        seg.append_with(4096, 0, |log| {
            let mut w = BatchWriter::begin(log, &BatchHeader::plain(100, TimestampType::CreateTime, 0), 0);
            w.append(log, 100, 0, Some(b"k"), None, &[]);
            w.finish(log, 100);
        });
        assert_eq!((seg.size_bytes(), seg.record_count(), seg.batches().len()), (69, 1, 1));
        assert_eq!(seg.batches()[0].base_offset(), 100);
        assert_eq!(
            seg.should_roll(&params(100 + i64::from(i32::MAX)), RollReason::SegmentMs),
            None
        );
        assert_eq!(
            seg.should_roll(&params(101 + i64::from(i32::MAX)), RollReason::SegmentMs),
            Some(RollReason::OffsetOverflow)
        );
        assert_eq!(
            seg.should_roll(&params(99), RollReason::SegmentMs),
            Some(RollReason::OffsetOverflow)
        );
    }
}
