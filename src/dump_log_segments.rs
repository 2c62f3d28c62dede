//! `kafka-dump-log.sh`: Kafka's `DumpLogSegments`, over file bytes.
//!
//! Models the text Kafka 4.0's `kafka.tools.DumpLogSegments` prints for
//! `.log` files (batch lines; with `--deep-iteration` a line per record; with
//! `--print-data-log` keys and payloads as UTF-8), `.index` and `.timeindex`
//! files (entries, their checks against the `.log`, `--index-sanity-check`,
//! `--verify-index-only`) and `.txnindex` files, on stdout, and its
//! end-of-run reports on stderr. The test `log_files` holds our text
//! byte-identical to Kafka's own tool for every export it checks.
//!
//! Compressed batches are decompressed for `--deep-iteration` (see
//! [`crate::batch::compression`]).
//!
//! Simplified: magic 2 batches only; no producer `.snapshot` files and no decoders other than the default
//! `StringDecoder`. Where Kafka's tool would die with an exception (a
//! corrupt batch or index), this dump writes the problem to stderr and
//! stops that file. Kafka prints its stderr reports from hash maps; here they
//! come in the order of the files.

use std::fmt::Write as _;

use crate::batch::validate::{codec_name, in_memory};
use crate::batch::{batch_length_at, increment_sequence, RecordBatch, LOG_OVERHEAD};
use crate::log::offset_index::OffsetIndex;
use crate::log::time_index::TimeIndex;

/// The options of `kafka-dump-log.sh` this dump follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DumpOptions {
    /// `--print-data-log` (implies deep iteration).
    pub print_data_log: bool,
    /// `--deep-iteration`.
    pub deep_iteration: bool,
    /// `--index-sanity-check`.
    pub index_sanity_check: bool,
    /// `--verify-index-only`.
    pub verify_index_only: bool,
    /// `--max-message-size` (5 MiB): how far an index check reads.
    pub max_message_size: usize,
}

impl Default for DumpOptions {
    fn default() -> Self {
        DumpOptions {
            print_data_log: false,
            deep_iteration: false,
            index_sanity_check: false,
            verify_index_only: false,
            max_message_size: 5 * 1024 * 1024,
        }
    }
}

/// What the tool printed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DumpOutput {
    pub stdout: String,
    pub stderr: String,
}

/// How the dump reads files: their bytes by path, and a path made absolute
/// (Kafka names files by `getAbsolutePath` in its reports).
pub trait DumpFiles {
    /// The bytes of the file at `path`, or why it cannot be read.
    ///
    /// # Errors
    ///
    /// The reason, e.g. `No such file or directory`.
    fn read(&self, path: &str) -> Result<Vec<u8>, String>;
    fn absolute(&self, path: &str) -> String;
}

/// The file name of a path (`File.getName`).
fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The path of a file beside `path` with the same base and another suffix.
fn sibling(path: &str, suffix: &str) -> String {
    let name = file_name(path);
    let dir = &path[..path.len() - name.len()];
    let base = name.split('.').next().unwrap_or(name);
    format!("{dir}{base}{suffix}")
}

/// `file.getName.split("\\.")(0).toLong`.
fn start_offset(path: &str) -> Result<i64, String> {
    let base = file_name(path).split('.').next().unwrap_or("");
    base.parse::<i64>()
        .map_err(|_| format!("For input string: \"{base}\" (the file name must be a base offset)"))
}

/// The batches of a file, (position, bytes) each, and where they end.
pub type FileBatches<'a> = (Vec<(usize, &'a [u8])>, usize);

/// Each batch of a `.log`'s bytes as `FileLogInputStream` finds them:
/// (position, bytes); stops at a batch that does not fit the file. The
/// second value is the position where the valid batches end.
///
/// # Errors
///
/// A batch length below the smallest record (Kafka's `CorruptRecordException`).
pub fn batches_of<'a>(log: &'a [u8], file: &str) -> Result<FileBatches<'a>, String> {
    let mut out = Vec::new();
    let mut pos = 0;
    // HEADER_SIZE_UP_TO_MAGIC: offset, length, leader epoch, magic.
    while log.len() - pos >= 17 {
        let size = i32::from_be_bytes([log[pos + 8], log[pos + 9], log[pos + 10], log[pos + 11]]);
        if size < 14 {
            return Err(format!(
                "Found record size {size} smaller than minimum record overhead (14) in file {file}."
            ));
        }
        let batch_size = size as usize + LOG_OVERHEAD;
        if batch_size > log.len() - pos {
            break;
        }
        out.push((pos, &log[pos..pos + batch_size]));
        pos += batch_size;
    }
    Ok((out, pos))
}

/// `DumpLogSegments.main` over `files` (paths as given on `--files`).
pub fn dump(files: &[&str], opts: DumpOptions, fs: &impl DumpFiles) -> DumpOutput {
    let mut out = DumpOutput::default();
    for &path in files {
        let _ = writeln!(out.stdout, "Dumping {path}");
        let name = file_name(path);
        let suffix = name.rfind('.').map_or("", |i| &name[i..]);
        let result = match suffix {
            ".log" => dump_log(path, opts, fs, &mut out),
            ".index" => dump_index(path, opts, fs, &mut out),
            ".timeindex" => dump_time_index(path, opts, fs, &mut out),
            ".txnindex" => dump_txn_index(path, fs, &mut out),
            _ => {
                let _ = writeln!(out.stderr, "Ignoring unknown file {path}");
                Ok(())
            }
        };
        if let Err(e) = result {
            let _ = writeln!(out.stderr, "Cannot dump {path}: {e}");
        }
    }
    out
}

/// The batch line (`printBatchLevel`) for magic 2.
fn batch_line(b: &RecordBatch, position: usize, out: &mut String) {
    let horizon = match b.delete_horizon_ms() {
        Some(h) => format!("OptionalLong[{h}]"),
        None => "OptionalLong.empty".to_string(),
    };
    let crc = b.stored_checksum();
    let _ = writeln!(
        out,
        "baseOffset: {} lastOffset: {} count: {} baseSequence: {} lastSequence: {} producerId: {} producerEpoch: {} \
         partitionLeaderEpoch: {} isTransactional: {} isControl: {} deleteHorizonMs: {horizon} position: {position} \
         {}: {} size: {} magic: {} compresscodec: {} crc: {crc} isvalid: {}",
        b.base_offset(),
        b.last_offset(),
        b.record_count(),
        b.base_sequence(),
        b.last_sequence(),
        b.producer_id(),
        b.producer_epoch(),
        b.partition_leader_epoch(),
        b.is_transactional(),
        b.is_control(),
        b.timestamp_type(),
        b.max_timestamp_ms(),
        b.size_bytes(),
        b.magic(),
        codec_name(b.compression_codec()),
        crc == b.compute_checksum()
    );
}

/// `ControlRecordType` names by id.
fn control_type_name(id: i16) -> &'static str {
    match id {
        0 => "ABORT",
        1 => "COMMIT",
        2 => "LEADER_CHANGE",
        3 => "SNAPSHOT_HEADER",
        4 => "SNAPSHOT_FOOTER",
        5 => "KRAFT_VERSION",
        6 => "KRAFT_VOTERS",
        _ => "UNKNOWN",
    }
}

/// The control part of a record line: ` endTxnMarker: COMMIT
/// coordinatorEpoch: 5`, or ` controlType: NAME(id)`.
fn control_text(key: Option<&[u8]>, value: Option<&[u8]>) -> Result<String, String> {
    let key = key.unwrap_or(&[]);
    if key.len() < 4 {
        return Err(format!(
            "Invalid value size found for end control record key. Must have at least 4 bytes, but found only {}",
            key.len()
        ));
    }
    let type_id = i16::from_be_bytes([key[2], key[3]]);
    match type_id {
        0 | 1 => {
            let v = value.unwrap_or(&[]);
            if v.len() < 6 {
                return Err(format!("Invalid end transaction marker value of {} bytes", v.len()));
            }
            let epoch = i32::from_be_bytes([v[2], v[3], v[4], v[5]]);
            Ok(format!(
                " endTxnMarker: {} coordinatorEpoch: {epoch}",
                control_type_name(type_id)
            ))
        }
        _ => Ok(format!(" controlType: {}({type_id})", control_type_name(type_id))),
    }
}

fn dump_log(path: &str, opts: DumpOptions, fs: &impl DumpFiles, out: &mut DumpOutput) -> Result<(), String> {
    let start = start_offset(path)?;
    let _ = writeln!(out.stdout, "Log starting offset: {start}");
    let bytes = fs.read(path)?;
    let (batches, valid) = batches_of(&bytes, path)?;
    let deep = opts.deep_iteration || opts.print_data_log;
    let mut last_offset = -1i64;
    let mut non_consecutive = Vec::new();
    for (position, raw) in batches {
        if raw.len() < 61 || raw[16] != 2 {
            return Err(format!("the batch at position {position} is not a record batch v2"));
        }
        let b = RecordBatch::from_bytes(raw);
        batch_line(b, position, &mut out.stdout);
        if !deep {
            continue;
        }
        let held = in_memory(raw, false).map_err(|e| format!("position {}: {}", position + e.at, e.message))?;
        let b = RecordBatch::from_bytes(&held);
        for r in b.records() {
            // The Scala tool starts from the first record it sees.
            if last_offset != -1 && r.offset != last_offset + 1 {
                non_consecutive.push((last_offset, r.offset));
            }
            last_offset = r.offset;
            let line = &mut out.stdout;
            let seq = increment_sequence(b.base_sequence(), r.offset.wrapping_sub(b.base_offset()) as i32);
            let keys: Vec<String> = r
                .headers
                .iter()
                .map(|(k, _)| String::from_utf8_lossy(k).into_owned())
                .collect();
            let _ = write!(
                line,
                "| offset: {} {}: {} keySize: {} valueSize: {} sequence: {seq} headerKeys: [{}]",
                r.offset,
                b.timestamp_type(),
                b.timestamp_of(&r),
                r.key.map_or(-1, |k| k.len() as i64),
                r.value.map_or(-1, |v| v.len() as i64),
                keys.join(",")
            );
            if b.is_control() {
                line.push_str(&control_text(r.key, r.value)?);
            }
            if opts.print_data_log && !b.is_control() {
                if let Some(k) = r.key {
                    let _ = write!(line, " key: {}", String::from_utf8_lossy(k));
                }
                if let Some(v) = r.value {
                    let _ = write!(line, " payload: {}", String::from_utf8_lossy(v));
                }
            }
            line.push('\n');
        }
    }
    let trailing = bytes.len() - valid;
    if trailing > 0 {
        let _ = writeln!(
            out.stdout,
            "Found {trailing} invalid bytes at the end of {}",
            file_name(path)
        );
    }
    if !non_consecutive.is_empty() {
        let _ = writeln!(out.stderr, "Non-consecutive offsets in {}", fs.absolute(path));
        // Kafka prepends to a list, so the pairs come last first.
        for (a, b) in non_consecutive.iter().rev() {
            let _ = writeln!(out.stderr, "  {a} is followed by {b}");
        }
    }
    Ok(())
}

fn dump_index(path: &str, opts: DumpOptions, fs: &impl DumpFiles, out: &mut DumpOutput) -> Result<(), String> {
    let start = start_offset(path)?;
    let log = fs.read(&sibling(path, ".log"))?;
    let bytes = fs.read(path)?;
    let index = OffsetIndex::parse(start, &bytes);
    if index.entries().is_empty() {
        let _ = writeln!(out.stdout, "{path} is empty.");
        return Ok(());
    }
    if opts.index_sanity_check {
        index.sanity_check(&fs.absolute(path), bytes.len())?;
        let _ = writeln!(out.stdout, "{path} passed sanity check.");
        return Ok(());
    }
    let mut mismatches = Vec::new();
    for (i, entry) in index.entries().iter().enumerate() {
        if entry.offset == start && i > 0 {
            break;
        }
        let at = entry.position as usize;
        let end = log.len().min(at.saturating_add(opts.max_message_size));
        let batch_last = log
            .get(at..end)
            .and_then(|slice| batch_length_at(slice).map(|len| RecordBatch::from_bytes(&slice[..len]).last_offset()))
            .ok_or_else(|| format!("no batch at position {at} of the log for index entry {}", entry.offset))?;
        if batch_last != entry.offset {
            mismatches.push((entry.offset, batch_last));
        }
        if !opts.verify_index_only {
            let _ = writeln!(out.stdout, "offset: {} position: {}", entry.offset, entry.position);
        }
    }
    if !mismatches.is_empty() {
        let _ = writeln!(out.stderr, "Mismatches in :{}", fs.absolute(path));
        for (a, b) in mismatches.iter().rev() {
            let _ = writeln!(out.stderr, "  Index offset: {a}, log offset: {b}");
        }
    }
    Ok(())
}

fn dump_time_index(path: &str, opts: DumpOptions, fs: &impl DumpFiles, out: &mut DumpOutput) -> Result<(), String> {
    let start = start_offset(path)?;
    let log = fs.read(&sibling(path, ".log"))?;
    let index = OffsetIndex::parse(start, &fs.read(&sibling(path, ".index"))?);
    let bytes = fs.read(path)?;
    let time_index = TimeIndex::parse(start, &bytes);
    if opts.index_sanity_check {
        time_index.sanity_check(&fs.absolute(path), bytes.len())?;
        let _ = writeln!(out.stdout, "{path} passed sanity check.");
        return Ok(());
    }
    let abs = fs.absolute(path);
    let (mut mismatch, mut out_of_order, mut not_found) = (Vec::new(), Vec::new(), Vec::new());
    let mut prev = crate::batch::NO_TIMESTAMP;
    for (i, entry) in time_index.entries().iter().enumerate() {
        if entry.offset == start && i > 0 {
            break;
        }
        let position = index.lookup(entry.offset).position as usize;
        let (batches, _) = batches_of(log.get(position..).unwrap_or(&[]), path)?;
        let found = batches
            .iter()
            .map(|(_, raw)| RecordBatch::from_bytes(raw))
            .find(|b| b.last_offset() >= entry.offset);
        match found {
            None => not_found.push((entry.offset, -1)),
            Some(b) if b.last_offset() != entry.offset => not_found.push((entry.offset, b.last_offset())),
            Some(b) => {
                // A compressed batch's records are read decompressed.
                let held = in_memory(b.as_bytes(), false).unwrap_or_else(|_| b.as_bytes().to_vec());
                let b = RecordBatch::from_bytes(&held);
                let max = b
                    .records()
                    .map(|r| b.timestamp_of(&r))
                    .fold(crate::batch::NO_TIMESTAMP, i64::max);
                if max != entry.timestamp {
                    mismatch.push((entry.timestamp, max));
                }
                if prev >= entry.timestamp {
                    out_of_order.push((entry.timestamp, prev));
                }
            }
        }
        if !opts.verify_index_only {
            let _ = writeln!(out.stdout, "timestamp: {} offset: {}", entry.timestamp, entry.offset);
        }
        prev = entry.timestamp;
    }
    if !mismatch.is_empty() {
        let _ = writeln!(out.stderr, "Found timestamp mismatch in :{abs}");
        for (a, b) in mismatch {
            let _ = writeln!(out.stderr, "  Index timestamp: {a}, log timestamp: {b}");
        }
    }
    if !out_of_order.is_empty() {
        let _ = writeln!(out.stderr, "Found out of order timestamp in :{abs}");
        for (a, b) in out_of_order {
            let _ = writeln!(out.stderr, "  Index timestamp: {a}, Previously indexed timestamp: {b}");
        }
    }
    if !not_found.is_empty() {
        let _ = writeln!(out.stderr, "The following indexed offsets are not found in the log.");
        for (a, b) in not_found {
            let _ = writeln!(out.stderr, "Indexed offset: {a}, found log offset: {b}");
        }
    }
    Ok(())
}

/// `.txnindex`: 34-byte `AbortedTxn` entries.
fn dump_txn_index(path: &str, fs: &impl DumpFiles, out: &mut DumpOutput) -> Result<(), String> {
    let bytes = fs.read(path)?;
    for e in bytes.chunks_exact(34) {
        let long = |at: usize| {
            let mut b = [0u8; 8];
            b.copy_from_slice(&e[at..at + 8]);
            i64::from_be_bytes(b)
        };
        let _ = writeln!(
            out.stdout,
            "version: {} producerId: {} firstOffset: {} lastOffset: {} lastStableOffset: {}",
            i16::from_be_bytes([e[0], e[1]]),
            long(2),
            long(10),
            long(18),
            long(26)
        );
    }
    Ok(())
}
