//! Reading Kafka's `.log` files back into a partition: the import.
//!
//! Models what `LogLoader` does when a broker opens a partition directory:
//! segments by the base offset in their file names, batches walked as
//! `FileLogInputStream` does, each checked as `DefaultRecordBatch.ensureValid`
//! and `DefaultRecord.readFrom` check it (see [`crate::batch::validate`]).
//! Unlike recovery, which truncates a segment at its first bad batch, an
//! import refuses the whole input, naming the file and the byte position,
//! so nothing is half-imported. Indexes and checkpoints are not read: the
//! engine rebuilds what it needs from the batches.
//!
//! Compressed batches (gzip, snappy, lz4, zstd) are kept as stored, their
//! records decompressed beside them (see [`crate::batch`]), so that an
//! export writes them back byte for byte.
//!
//! Idempotent, transactional and control batches (COMMIT and ABORT markers)
//! are kept byte for byte. The partition's producer state, its open
//! transactions and last stable offset are rebuilt from the batches as
//! `LogLoader` rebuilds them without a producer snapshot
//! (`loadProducersFromRecords` from the log start). A segment's aborted
//! transactions come from its `.txnindex` when one is given (as Kafka reads
//! the index of a segment below the recovery point: the cleaner's rewritten
//! entries survive) and are otherwise rebuilt from the markers, as
//! `LogSegment.recover` rebuilds them.
//!
//! Simplified: the producer snapshots (`.snapshot`) and checkpoints are not
//! read; a transaction left open in the files stays open (no coordinator
//! here will abort it), as a hanging transaction does.

use std::fmt;

use super::dump_text::{is_dump_text, segments_from_dump};
use crate::batch::validate::in_memory;
use crate::batch::{clear_checksum, RecordBatch, LOG_OVERHEAD};
use crate::log::transaction_index::{AbortedTxn, ABORTED_TXN_SIZE, ABORTED_TXN_VERSION};

/// One file given to an import: its name (a path or a file name) and bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Why an import was refused: the file, the byte position in it, and what
/// is wrong there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    pub file: String,
    pub position: u64,
    pub message: String,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}: {}", self.file, self.position, self.message)
    }
}

/// One segment read from a `.log` file: its base offset and its batches'
/// bytes as the engine keeps them in memory (CRC fields cleared, compressed
/// batches followed by their records decompressed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedSegment {
    pub base_offset: i64,
    pub bytes: Vec<u8>,
    /// The `.log` file's length.
    pub stored_bytes: u64,
    /// Where each batch starts in `bytes`.
    pub positions: Vec<usize>,
    /// The entries of the segment's `.txnindex`, when one was given.
    pub txn_index: Option<Vec<AbortedTxn>>,
}

impl ImportedSegment {
    pub fn batches(&self) -> impl Iterator<Item = &RecordBatch> {
        self.positions.iter().enumerate().map(|(i, &p)| {
            let end = self.positions.get(i + 1).copied().unwrap_or(self.bytes.len());
            RecordBatch::from_bytes(&self.bytes[p..end])
        })
    }
}

/// A partition's log as read from files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedLog {
    pub segments: Vec<ImportedSegment>,
    pub records: u64,
    /// The `.log` files' bytes.
    pub bytes: u64,
    /// What the engine holds: the stored bytes and compressed batches'
    /// records decompressed.
    pub held_bytes: u64,
}

impl ImportedLog {
    /// The log start offset: the first segment's base offset.
    pub fn log_start_offset(&self) -> i64 {
        self.segments.first().map_or(0, |s| s.base_offset)
    }

    /// The log end offset: past the last batch, or the last segment's base
    /// when it holds no batch.
    pub fn log_end_offset(&self) -> i64 {
        let last = self.segments.last();
        let next = last.and_then(|s| s.batches().last().map(RecordBatch::next_offset));
        next.unwrap_or_else(|| last.map_or(0, |s| s.base_offset))
    }
}

/// The file name of a path.
fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// The base offset a `.log` file name carries (`00000000000000000042.log`).
pub fn base_offset_of(name: &str) -> Option<i64> {
    let stem = file_name(name).strip_suffix(".log")?;
    (stem.len() == 20 && stem.bytes().all(|b| b.is_ascii_digit()))
        .then(|| stem.parse().ok())
        .flatten()
}

fn refuse<T>(file: &str, position: usize, message: impl Into<String>) -> Result<T, ImportError> {
    Err(ImportError {
        file: file.to_string(),
        position: position as u64,
        message: message.into(),
    })
}

/// Reads the `.log` files among `files` (others, such as indexes and
/// checkpoints, are ignored; a file of `kafka-dump-log.sh --print-data-log`
/// text stands for the segments it shows, see [`super::dump_text`]) as one
/// partition's log. A single `.log` whose
/// name is not a base offset is based at its first batch's offset.
///
/// # Errors
///
/// The first problem, with its file and byte position: no `.log` file, two
/// segments with one base offset, a truncated or oversized batch, a batch
/// that fails Kafka's checks (CRC, sizes, records, decompression), offsets
/// that do not increase, a `.txnindex` that is not whole 34-byte entries of
/// version 0.
pub fn read_log(files: &[ImportFile]) -> Result<ImportedLog, ImportError> {
    read_log_within(files, u64::MAX)
}

/// [`read_log`], refusing (at the batch that crosses it) more than
/// `max_held_bytes` held in memory, so that records that decompress far
/// beyond their files' size are refused before they are all decompressed.
///
/// # Errors
///
/// As [`read_log`], and past `max_held_bytes`.
pub fn read_log_within(files: &[ImportFile], max_held_bytes: u64) -> Result<ImportedLog, ImportError> {
    // A file of kafka-dump-log.sh's text stands for the segments it shows.
    let mut expanded = Vec::new();
    let files = if files
        .iter()
        .any(|f| !f.name.ends_with(".log") && is_dump_text(&f.bytes))
    {
        for f in files {
            if !f.name.ends_with(".log") && is_dump_text(&f.bytes) {
                expanded.extend(segments_from_dump(&f.name, &f.bytes)?);
            } else {
                expanded.push(f.clone());
            }
        }
        &expanded[..]
    } else {
        files
    };
    let logs: Vec<&ImportFile> = files.iter().filter(|f| f.name.ends_with(".log")).collect();
    if logs.is_empty() {
        return refuse(
            files.first().map_or("(no file)", |f| f.name.as_str()),
            0,
            "no .log segment file to import",
        );
    }
    let mut named: Vec<(i64, &ImportFile)> = Vec::new();
    for f in &logs {
        let base = match base_offset_of(&f.name) {
            Some(b) => b,
            None if logs.len() == 1 => first_base_offset(&f.bytes).unwrap_or(0),
            None => {
                return refuse(
                    &f.name,
                    0,
                    "a segment file is named by its base offset in 20 digits (00000000000000000000.log)",
                )
            }
        };
        named.push((base, f));
    }
    named.sort_by_key(|(b, _)| *b);
    let mut out = ImportedLog {
        segments: Vec::new(),
        records: 0,
        bytes: 0,
        held_bytes: 0,
    };
    // The last offset of the previous batch, over all segments.
    let mut prev_last: Option<i64> = None;
    for (i, (base, f)) in named.iter().enumerate() {
        if i > 0 && named[i - 1].0 == *base {
            return refuse(&f.name, 0, format!("two segments have the base offset {base}"));
        }
        if *base < 0 {
            return refuse(&f.name, 0, format!("the segment's base offset {base} is negative"));
        }
        if prev_last.is_some_and(|l| *base <= l) {
            return refuse(
                &f.name,
                0,
                format!("the segment's base offset {base} is not above the previous segment's last offset"),
            );
        }
        let room = max_held_bytes.saturating_sub(out.held_bytes);
        let mut segment = read_segment(&f.name, *base, &f.bytes, prev_last, room)?;
        // The segment's `.txnindex`: the file beside it with the same prefix.
        let stem = &f.name[..f.name.len() - ".log".len()];
        let txn_name = format!("{stem}.txnindex");
        if let Some(txn) = files.iter().find(|t| t.name == txn_name) {
            segment.txn_index = Some(read_txn_index(&txn.name, &txn.bytes)?);
        }
        if let Some(last) = segment.batches().last() {
            prev_last = Some(last.last_offset());
        }
        out.records += segment.batches().map(|b| b.record_count() as u64).sum::<u64>();
        out.bytes += segment.stored_bytes;
        out.held_bytes += segment.bytes.len() as u64;
        out.segments.push(segment);
    }
    Ok(out)
}

/// A `.txnindex`: whole `AbortedTxn` entries (`TransactionIndex.iterator`
/// refuses a partial one and an unknown version).
fn read_txn_index(file: &str, bytes: &[u8]) -> Result<Vec<AbortedTxn>, ImportError> {
    if bytes.len() % ABORTED_TXN_SIZE != 0 {
        return refuse(
            file,
            bytes.len() - bytes.len() % ABORTED_TXN_SIZE,
            format!(
                "the transaction index is {} bytes, not whole {ABORTED_TXN_SIZE}-byte entries",
                bytes.len()
            ),
        );
    }
    let mut out = Vec::with_capacity(bytes.len() / ABORTED_TXN_SIZE);
    for (i, e) in bytes.chunks_exact(ABORTED_TXN_SIZE).enumerate() {
        let version = i16::from_be_bytes([e[0], e[1]]);
        if version != ABORTED_TXN_VERSION {
            return refuse(
                file,
                i * ABORTED_TXN_SIZE,
                format!(
                    "Unexpected aborted transaction version {version} in transaction index {file}, current version is \
                     {ABORTED_TXN_VERSION}"
                ),
            );
        }
        let long = |at: usize| i64::from_be_bytes(e[at..at + 8].try_into().unwrap_or([0; 8]));
        out.push(AbortedTxn {
            producer_id: long(2),
            first_offset: long(10),
            last_offset: long(18),
            last_stable_offset: long(26),
        });
    }
    Ok(out)
}

fn first_base_offset(bytes: &[u8]) -> Option<i64> {
    let raw: [u8; 8] = bytes.get(..8)?.try_into().ok()?;
    Some(i64::from_be_bytes(raw))
}

/// One `.log` file: every batch checked, offsets above `after`.
fn read_segment(
    file: &str,
    base: i64,
    bytes: &[u8],
    mut after: Option<i64>,
    max_held_bytes: u64,
) -> Result<ImportedSegment, ImportError> {
    // Positions are u32 in a segment, as Kafka's (an int32 file size).
    if bytes.len() > i32::MAX as usize {
        return refuse(
            file,
            0,
            format!(
                "the segment is {} bytes, more than a Kafka segment can hold",
                bytes.len()
            ),
        );
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut positions = Vec::new();
    let mut pos = 0;
    while pos < bytes.len() {
        let rest = &bytes[pos..];
        if rest.len() < LOG_OVERHEAD + 5 {
            return refuse(
                file,
                pos,
                format!("the file ends inside a batch header ({} bytes left)", rest.len()),
            );
        }
        let length = i32::from_be_bytes([rest[8], rest[9], rest[10], rest[11]]);
        if length < 49 {
            return refuse(
                file,
                pos + 8,
                format!("Found record size {length} smaller than minimum record overhead (49)"),
            );
        }
        let size = length as usize + LOG_OVERHEAD;
        if size > rest.len() {
            return refuse(
                file,
                pos,
                format!(
                    "the batch of {size} bytes is truncated: the file ends after {} of them",
                    rest.len()
                ),
            );
        }
        let raw = &rest[..size];
        let mut held = match in_memory(raw, true) {
            Ok(held) => held,
            Err(e) => return refuse(file, pos + e.at, e.message),
        };
        let batch = RecordBatch::from_bytes(&held);
        if batch.base_offset() < base || after.is_some_and(|a| batch.base_offset() <= a) {
            return refuse(
                file,
                pos,
                format!(
                    "the batch's base offset {} is below the segment's base offset {base} or not above the previous \
                     batch's last offset",
                    batch.base_offset(),
                ),
            );
        }
        if batch.last_offset() - base > i64::from(i32::MAX) || batch.last_offset() == i64::MAX {
            return refuse(
                file,
                pos,
                format!(
                    "the batch's last offset {} is too far from the segment's base offset {base} for its indexes",
                    batch.last_offset()
                ),
            );
        }
        after = Some(batch.last_offset());
        clear_checksum(&mut held);
        if (out.len() + held.len()) as u64 > max_held_bytes {
            return refuse(
                file,
                pos,
                format!("the records decompress to more than the {max_held_bytes} bytes the session can still hold"),
            );
        }
        positions.push(out.len());
        out.extend_from_slice(&held);
        pos += size;
    }
    Ok(ImportedSegment {
        base_offset: base,
        bytes: out,
        stored_bytes: bytes.len() as u64,
        positions,
        txn_index: None,
    })
}
