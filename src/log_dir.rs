//! A session as a broker's log directory: what `log.dirs` holds after a
//! clean shutdown, file by file.
//!
//! Models what Kafka's `LogManager`, `LogSegment` and the checkpoint classes
//! leave on disk: per partition `<topic>-<p>/` with each segment's
//! `<20-digit base offset>.log` (the segment's bytes with every batch's
//! CRC-32C computed), `.index` and `.timeindex` (rebuilt with
//! `LogSegment.append`'s rule: an entry before a batch when more than
//! `index.interval.bytes` were appended since the last one, never for a
//! segment's first batch; the time index closed with the segment's max
//! timestamp, as `LogSegment.close` does on shutdown, and both trimmed to
//! their entries as `AbstractIndex.close` does), `leader-epoch-checkpoint`
//! and `partition.metadata`; and at the root `cleaner-offset-checkpoint`,
//! `log-start-offset-checkpoint`, `recovery-point-offset-checkpoint` and
//! `replication-offset-checkpoint`.
//!
//! Simplified: the indexes are rebuilt from the `.log` with the topic's
//! current `index.interval.bytes` (what Kafka's recovery does); if that config
//! changed while a segment was written, Kafka's own index of it would differ
//! (both are valid). No producer-state `.snapshot`, `meta.properties` or
//! `.kafka_cleanshutdown` files (optional for a broker, or specific to one
//! cluster). A segment's `.txnindex` comes from [`txn_index`]: the
//! engine's aborted-transaction index of the segment, written only when it
//! has entries. Transactional batches and control batches (markers) are in
//! the `.log` as the engine holds them, producer fields included.
//!
//! [`export`] comes with the `files` feature (the page is built without it);
//! the reader ([`import`]) is always compiled, as the broker's `import` API
//! names its types, but without the feature the broker refuses to run it.

#[cfg(feature = "files")]
pub mod archive;
pub mod dump_text;
pub mod import;

use crate::batch::{with_checksums, RecordBatch};
#[cfg(feature = "files")]
use crate::checkpoint;
use crate::log::offset_index::OffsetIndex;
use crate::log::segment::LogSegment;
use crate::log::time_index::TimeIndex;
use crate::log::PartitionLog;
#[cfg(feature = "files")]
use crate::log_manager::LogManager;

/// `LogFileUtils.filenamePrefixFromOffset`: the offset in 20 digits.
pub fn filename_prefix(offset: i64) -> String {
    format!("{offset:020}")
}

/// The files of one segment, as the broker leaves them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentFiles {
    pub base_offset: i64,
    /// `.log`: the batches, CRCs computed.
    pub log: Vec<u8>,
    pub offset_index: OffsetIndex,
    pub time_index: TimeIndex,
    /// `.txnindex`, when the segment has aborted transactions.
    pub txn_index: Option<Vec<u8>>,
}

/// The positions of the batches in a segment's bytes, in order.
fn batch_positions(segment: &LogSegment) -> impl Iterator<Item = (usize, &RecordBatch)> {
    segment.batches().iter().scan(0usize, |pos, b| {
        let at = *pos;
        *pos += b.as_bytes().len();
        Some((at, b))
    })
}

/// `LogSegment.append`'s index rule replayed over a segment's batches,
/// then `LogSegment.close`'s final time-index entry.
pub fn rebuild_indexes<'a>(
    base_offset: i64,
    batches: impl IntoIterator<Item = (usize, &'a RecordBatch)>,
    index_interval_bytes: u64,
) -> (OffsetIndex, TimeIndex) {
    let mut offset_index = OffsetIndex::new(base_offset);
    let mut time_index = TimeIndex::new(base_offset);
    let mut bytes_since_last_entry = 0u64;
    let mut max_timestamp = crate::batch::NO_TIMESTAMP;
    let mut offset_of_max = base_offset;
    let mut any = false;
    for (position, batch) in batches {
        any = true;
        if batch.max_timestamp_ms() > max_timestamp {
            max_timestamp = batch.max_timestamp_ms();
            offset_of_max = batch.last_offset();
        }
        if bytes_since_last_entry > index_interval_bytes {
            offset_index.append(batch.last_offset(), u32::try_from(position).unwrap_or(u32::MAX));
            time_index.maybe_append(max_timestamp, offset_of_max);
            bytes_since_last_entry = 0;
        }
        bytes_since_last_entry += batch.size_bytes();
    }
    // LogSegment.close (and onBecomeInactiveSegment): the segment's max,
    // when it has one (maxTimestampAndOffsetSoFar != UNKNOWN).
    if any {
        time_index.maybe_append(max_timestamp, offset_of_max);
    }
    (offset_index, time_index)
}

/// The aborted transactions of a segment as a `.txnindex` (34-byte
/// `AbortedTxn` entries, in the order the ABORT markers were appended, or
/// as the cleaner wrote them back), or `None` when it has none: Kafka's
/// `TransactionIndex` opens its file on the first append only, so a segment
/// without aborted transactions has no `.txnindex` on disk.
pub fn txn_index(_log: &PartitionLog, segment: &LogSegment) -> Option<Vec<u8>> {
    let index = segment.txn_index();
    (!index.is_empty()).then(|| index.to_bytes())
}

/// The files of `segment` of `log`, indexes rebuilt with
/// `index_interval_bytes`.
pub fn segment_files(log: &PartitionLog, segment: &LogSegment, index_interval_bytes: u64) -> SegmentFiles {
    let (offset_index, time_index) =
        rebuild_indexes(segment.base_offset(), batch_positions(segment), index_interval_bytes);
    SegmentFiles {
        base_offset: segment.base_offset(),
        log: with_checksums(&segment.as_bytes(), batch_positions(segment).map(|(p, _)| p)),
        offset_index,
        time_index,
        txn_index: txn_index(log, segment),
    }
}

/// `LeaderEpochFileCache` as a broker that led the partition since its
/// creation holds it: each (epoch, base offset) where a batch's partition
/// leader epoch rises above the latest one, the first moved back to the
/// log start offset. The leader assigned its epoch at the log end when it
/// became leader (`maybeAssignEpochStartOffset`: (0, 0) for a new
/// partition, even before any record) and `truncateFromStart` moves that
/// entry up with the log start, while cleaning, which removes batches but
/// not offsets, leaves it. A partition without batches is led at epoch 0
/// from its log start.
pub fn leader_epoch_entries(log: &PartitionLog) -> Vec<(i32, i64)> {
    let mut out: Vec<(i32, i64)> = Vec::new();
    for segment in log.segments() {
        for batch in segment.batches() {
            let epoch = batch.partition_leader_epoch();
            if epoch >= 0 && out.last().is_none_or(|&(e, _)| epoch > e) {
                out.push((epoch, batch.base_offset()));
            }
        }
    }
    match out.first_mut() {
        Some(first) => first.1 = first.1.min(log.log_start_offset()),
        None => out.push((0, log.log_start_offset())),
    }
    out
}

/// Every file of the session's log directory, in order (partition
/// directories by topic and partition, then the root checkpoints), each
/// given to `write` with its path relative to the directory.
///
/// # Errors
///
/// The first error `write` returns; nothing after it is written.
#[cfg(feature = "files")]
pub fn export<E>(broker: &LogManager, mut write: impl FnMut(&str, &[u8]) -> Result<(), E>) -> Result<(), E> {
    let mut cleaner = Vec::new();
    let mut log_start = Vec::new();
    let mut recovery = Vec::new();
    let mut replication = Vec::new();
    for topic in broker.topics() {
        let interval = u64::try_from(topic.config().index_interval_bytes).unwrap_or(0);
        let topic_id = checkpoint::topic_id(topic.name());
        for log in topic.partitions() {
            let dir = format!("{}-{}", topic.name(), log.partition());
            for segment in log.segments() {
                let files = segment_files(log, segment, interval);
                let prefix = format!("{dir}/{}", filename_prefix(files.base_offset));
                write(&format!("{prefix}.log"), &files.log)?;
                write(&format!("{prefix}.index"), &files.offset_index.to_bytes())?;
                write(&format!("{prefix}.timeindex"), &files.time_index.to_bytes())?;
                if let Some(txn) = &files.txn_index {
                    write(&format!("{prefix}.txnindex"), txn)?;
                }
            }
            write(
                &format!("{dir}/leader-epoch-checkpoint"),
                checkpoint::leader_epoch_checkpoint(&leader_epoch_entries(log)).as_bytes(),
            )?;
            write(
                &format!("{dir}/partition.metadata"),
                checkpoint::partition_metadata(&topic_id).as_bytes(),
            )?;
            let p = log.partition();
            if let Ok(Some(offset)) = broker.cleaner_checkpoint(topic.name(), p) {
                cleaner.push((topic.name(), p, offset));
            }
            // checkpointLogStartOffsetsInDir: only logs whose start is past
            // their first segment's base (after DeleteRecords, say).
            if log
                .segments()
                .first()
                .is_some_and(|s| log.log_start_offset() > s.base_offset())
            {
                log_start.push((topic.name(), p, log.log_start_offset()));
            }
            // A clean shutdown flushes every log: the recovery point is the LEO.
            recovery.push((topic.name(), p, log.log_end_offset()));
            replication.push((topic.name(), p, log.high_watermark()));
        }
    }
    write(
        "cleaner-offset-checkpoint",
        checkpoint::offset_checkpoint(&cleaner).as_bytes(),
    )?;
    write(
        "log-start-offset-checkpoint",
        checkpoint::offset_checkpoint(&log_start).as_bytes(),
    )?;
    write(
        "recovery-point-offset-checkpoint",
        checkpoint::offset_checkpoint(&recovery).as_bytes(),
    )?;
    write(
        "replication-offset-checkpoint",
        checkpoint::offset_checkpoint(&replication).as_bytes(),
    )?;
    Ok(())
}
