//! A log segment: a run of batches starting at a fixed base offset.
//!
//! Models Kafka's `LogSegment` (storage `internals/log/LogSegment.java`): its
//! size in bytes, its offset and time index entry counts (only the counts
//! matter: they decide the "index full" roll rule and the cleaner's grouping),
//! the timestamp its time-based roll is measured from, and its file times.
//! Simplified: batches live in memory, there is no file, no page cache and no
//! index lookup; `last_modified_ms` is the simulated clock at the last write.

use crate::batch::RecordBatch;

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
    batches: Vec<RecordBatch>,
    size_bytes: u64,
    /// Records in `batches`, kept in step by `append` and `take_batches`
    /// (the only methods that change the batches), so that counting a log's
    /// records costs one addition per segment, not a walk over every batch.
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
}

impl LogSegment {
    /// An empty segment, as the log creates on a roll.
    pub(crate) fn new(base_offset: i64, now_ms: i64, roll_jitter_ms: i64) -> Self {
        LogSegment {
            base_offset,
            batches: Vec::new(),
            size_bytes: 0,
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
        }
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

    pub fn batches(&self) -> &[RecordBatch] {
        &self.batches
    }

    /// Takes the batches out, leaving the segment empty (the cleaner consumes
    /// source segments this way instead of copying every record).
    pub(crate) fn take_batches(&mut self) -> Vec<RecordBatch> {
        self.size_bytes = 0;
        self.record_count = 0;
        std::mem::take(&mut self.batches)
    }

    pub fn size_bytes(&self) -> u64 {
        self.size_bytes
    }

    pub fn is_empty(&self) -> bool {
        self.size_bytes == 0
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
        self.batches.first().map(|b| b.max_timestamp_ms)
    }

    /// The offset after the last batch, if any.
    pub fn next_offset(&self) -> Option<i64> {
        self.batches.last().map(RecordBatch::next_offset)
    }

    /// `LogSegment.shouldRoll`, with the rule that fired. The caller checks
    /// the active segment before every append.
    pub fn should_roll(&self, p: &RollParams, time_reason: RollReason) -> Option<RollReason> {
        // Kafka: size > maxSegmentBytes - messagesSize (a segment may end
        // exactly at segment.bytes).
        if self.size_bytes > p.max_segment_bytes.saturating_sub(p.messages_size) {
            return Some(RollReason::SegmentBytes);
        }
        // Kafka: size > 0 && timeWaitedForRoll > maxSegmentMs - rollJitterMs;
        // an empty segment never rolls by time.
        if self.size_bytes > 0
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

    /// `LogSegment.append`: adds batches, keeping the index entry counts as
    /// Kafka would (an entry when more than `index.interval.bytes` were
    /// appended since the last one).
    pub(crate) fn append(
        &mut self,
        batches: impl IntoIterator<Item = RecordBatch>,
        index_interval_bytes: u64,
        now_ms: i64,
    ) {
        for batch in batches {
            if self.size_bytes == 0 && self.rolling_based_timestamp_ms.is_none() {
                self.rolling_based_timestamp_ms = Some(batch.max_timestamp_ms);
            }
            if batch.max_timestamp_ms > self.max_timestamp_so_far_ms {
                self.max_timestamp_so_far_ms = batch.max_timestamp_ms;
            }
            if self.bytes_since_last_index_entry > index_interval_bytes {
                self.offset_index_entries += 1;
                self.maybe_append_time_index_entry();
                self.bytes_since_last_index_entry = 0;
            }
            let size = batch.size_bytes();
            self.bytes_since_last_index_entry += size;
            self.size_bytes += size;
            self.record_count += batch.record_count() as u64;
            self.batches.push(batch);
        }
        self.last_modified_ms = now_ms;
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
    pub fn batches_from(&self, offset: i64) -> &[RecordBatch] {
        let start = self.batches.partition_point(|b| b.last_offset() < offset);
        &self.batches[start..]
    }

    /// Rebuilds a segment from cleaned batches: base offset kept, mtime
    /// inherited, indexes rebuilt by appending (Kafka's `cleanInto`).
    pub(crate) fn cleaned(
        base_offset: i64,
        batches: Vec<RecordBatch>,
        created_ms: i64,
        last_modified_ms: i64,
        index_interval_bytes: u64,
    ) -> Self {
        let mut seg = LogSegment::new(base_offset, created_ms, 0);
        seg.append(batches, index_interval_bytes, last_modified_ms);
        // A rewritten segment is inactive: its time index is closed.
        seg.on_become_inactive();
        seg.last_modified_ms = last_modified_ms;
        seg
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::TimestampType;
    use crate::record::Record;

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
        let rec = Record {
            offset: 100,
            timestamp_ms: 0,
            key: Some(Box::from(&b"k"[..])),
            value: None,
            headers: vec![],
        };
        seg.append([RecordBatch::new(vec![rec], TimestampType::CreateTime, 0)], 4096, 0);
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
