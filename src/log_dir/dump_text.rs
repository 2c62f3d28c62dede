//! Reading the text of `kafka-dump-log.sh --files X.log --print-data-log`
//! (with or without `--deep-iteration`; Kafka 4.0's format, which
//! [`crate::dump_log_segments`] prints) back into segment files, so that a
//! dump copied off a server imports as the `.log` files would.
//!
//! Each `Dumping <path>` of a `.log` file is one segment, based at the
//! offset its file name (or its `Log starting offset:` line) gives. Each
//! batch line gives the header (offsets, producer fields, leader epoch,
//! timestamp type and max timestamp, delete horizon, codec); its record
//! lines give each record's offset, timestamp, key and value (exactly
//! `keySize` and `valueSize` bytes of text, which may span lines), and its
//! header keys. The batch is written again as `MemoryRecordsBuilder` would
//! (base timestamp: the horizon, else the first record's timestamp) and,
//! when it was compressed, compressed with its codec.
//!
//! What the text does not carry is lost, and the import then differs from
//! the file: header values (only keys are printed: they come back null),
//! keys and values that are not valid UTF-8 (refused: their bytes are not
//! in the text), the record timestamps of a LogAppendTime batch (each reads
//! as the batch's time and comes back so), and a compressed batch's exact
//! bytes (compressed again by our compressor: see
//! [`crate::batch::compression`]). Index dumps in the same text are
//! skipped. Transactional batches come back with their producer fields and
//! flag; COMMIT and ABORT markers (`endTxnMarker: COMMIT coordinatorEpoch:
//! 0`) with their version 0 key and value, which is all such a line stands
//! for. Other control records (`controlType: LEADER_CHANGE(2)`, say) are
//! refused naming the line: their bytes are not in the text.

use crate::batch::builder::{compress_into, BatchHeader, BatchWriter};
use crate::batch::{with_checksums, RecordBatch, NO_TIMESTAMP};
use crate::record::{Header, TimestampType};

use super::import::{base_offset_of, ImportError, ImportFile};

/// Whether `bytes` look like the output of `kafka-dump-log.sh`.
pub fn is_dump_text(bytes: &[u8]) -> bool {
    bytes.starts_with(b"Dumping ")
}

/// A cursor over the text, reporting errors at its position.
struct Text<'a> {
    name: &'a str,
    text: &'a str,
    pos: usize,
}

impl<'a> Text<'a> {
    fn error<T>(&self, at: usize, message: impl Into<String>) -> Result<T, ImportError> {
        let line = self.text[..at.min(self.text.len())].matches('\n').count() + 1;
        Err(ImportError {
            file: self.name.to_string(),
            position: at as u64,
            message: format!("line {line}: {}", message.into()),
        })
    }

    fn at_end(&self) -> bool {
        self.pos >= self.text.len()
    }

    /// The rest of the current line (without its newline); the cursor
    /// moves past it.
    fn line(&mut self) -> (usize, &'a str) {
        let start = self.pos;
        let rest = &self.text[start..];
        let end = rest.find('\n').map_or(rest.len(), |i| i);
        self.pos = start + end + usize::from(end < rest.len());
        (start, rest[..end].trim_end_matches('\r'))
    }

    fn peek_line(&self) -> &'a str {
        let rest = &self.text[self.pos..];
        &rest[..rest.find('\n').unwrap_or(rest.len())]
    }
}

/// `name: value` pairs of a batch line (no value holds a space).
fn fields(line: &str) -> Vec<(&str, &str)> {
    let words: Vec<&str> = line.split(' ').collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 1 < words.len() {
        if let Some(name) = words[i].strip_suffix(':') {
            out.push((name, words[i + 1]));
            i += 2;
        } else {
            i += 1;
        }
    }
    out
}

struct BatchLine {
    base_offset: i64,
    last_offset: i64,
    count: i64,
    base_sequence: i32,
    producer_id: i64,
    producer_epoch: i16,
    partition_leader_epoch: i32,
    delete_horizon_ms: Option<i64>,
    timestamp_type: TimestampType,
    max_timestamp_ms: i64,
    codec: u8,
    is_transactional: bool,
    is_control: bool,
}

fn parse_batch_line(t: &Text<'_>, at: usize, line: &str) -> Result<BatchLine, ImportError> {
    let f = fields(line);
    let get = |name: &str| f.iter().find(|(n, _)| *n == name).map(|(_, v)| *v);
    let num = |name: &str| -> Result<i64, ImportError> {
        match get(name).and_then(|v| v.parse::<i64>().ok()) {
            Some(v) => Ok(v),
            None => t.error(at, format!("the batch line has no number {name}")),
        }
    };
    let horizon = match get("deleteHorizonMs") {
        Some("OptionalLong.empty") => None,
        Some(v) => match v
            .strip_prefix("OptionalLong[")
            .and_then(|v| v.strip_suffix(']'))
            .and_then(|v| v.parse().ok())
        {
            Some(h) => Some(h),
            None => return t.error(at, format!("deleteHorizonMs {v} is not OptionalLong[...]")),
        },
        None => None,
    };
    let (timestamp_type, max_timestamp_ms) = if get("LogAppendTime").is_some() {
        (TimestampType::LogAppendTime, num("LogAppendTime")?)
    } else {
        (TimestampType::CreateTime, num("CreateTime")?)
    };
    let codec = match get("compresscodec") {
        Some("none") | None => 0,
        Some("gzip") => 1,
        Some("snappy") => 2,
        Some("lz4") => 3,
        Some("zstd") => 4,
        Some(other) => return t.error(at, format!("unknown compresscodec {other}")),
    };
    if get("magic").is_some_and(|m| m != "2") {
        return t.error(at, "only record batch v2 (magic 2) is read");
    }
    let small = |name: &str, v: i64| -> Result<i64, ImportError> {
        if i32::try_from(v).is_ok() {
            Ok(v)
        } else {
            t.error(at, format!("{name} {v} is out of range"))
        }
    };
    Ok(BatchLine {
        base_offset: num("baseOffset")?,
        last_offset: num("lastOffset")?,
        count: num("count")?,
        base_sequence: small("baseSequence", num("baseSequence")?)? as i32,
        producer_id: num("producerId")?,
        producer_epoch: i16::try_from(num("producerEpoch")?).unwrap_or(-1),
        partition_leader_epoch: small("partitionLeaderEpoch", num("partitionLeaderEpoch")?)? as i32,
        delete_horizon_ms: horizon,
        timestamp_type,
        max_timestamp_ms,
        codec,
        is_transactional: get("isTransactional") == Some("true"),
        is_control: get("isControl") == Some("true"),
    })
}

struct RecordLine {
    offset: i64,
    timestamp_ms: i64,
    key: Option<Vec<u8>>,
    value: Option<Vec<u8>>,
    header_keys: Vec<String>,
}

/// Exactly `len` bytes of text at the cursor (a key or a payload, which may
/// hold newlines).
fn take_text(t: &mut Text<'_>, len: i64, what: &str, offset: i64) -> Result<Vec<u8>, ImportError> {
    let start = t.pos;
    let end = usize::try_from(len).ok().and_then(|l| start.checked_add(l));
    match end {
        Some(end) if end <= t.text.len() && t.text.is_char_boundary(end) => {
            t.pos = end;
            Ok(t.text.as_bytes()[start..end].to_vec())
        }
        _ => t.error(
            start,
            format!(
                "the {what} of the record at offset {offset} is not {len} bytes of text: it was not valid UTF-8, and \
                 its bytes are not in the dump"
            ),
        ),
    }
}

fn expect(t: &mut Text<'_>, word: &str) -> bool {
    if t.text[t.pos..].starts_with(word) {
        t.pos += word.len();
        true
    } else {
        false
    }
}

/// One `| offset: ...` line (the cursor is at its `|`).
fn parse_record(t: &mut Text<'_>) -> Result<RecordLine, ImportError> {
    let at = t.pos;
    let line = t.peek_line();
    let Some(open) = line.find(" headerKeys: [") else {
        return t.error(at, "a record line without headerKeys");
    };
    let f = fields(&line[..open]);
    let get = |name: &str| {
        f.iter()
            .find(|(n, _)| *n == name)
            .and_then(|(_, v)| v.parse::<i64>().ok())
    };
    let (Some(offset), Some(key_size), Some(value_size)) = (get("offset"), get("keySize"), get("valueSize")) else {
        return t.error(at, "a record line needs offset, keySize and valueSize");
    };
    let Some(timestamp_ms) = get("CreateTime").or_else(|| get("LogAppendTime")) else {
        return t.error(at, "a record line needs its timestamp");
    };
    // Header keys: up to the `]` that ends the line or comes before key:,
    // payload: or a control marker.
    let keys_from = open + " headerKeys: [".len();
    let rest = &line[keys_from..];
    let close = [" key: ", " payload: ", " endTxnMarker: ", " controlType: "]
        .iter()
        .filter_map(|w| rest.find(&format!("]{w}")))
        .min()
        .or_else(|| rest.ends_with(']').then(|| rest.len() - 1));
    let Some(close) = close else {
        return t.error(at, "the headerKeys of a record line are not closed");
    };
    let header_keys: Vec<String> = if close == 0 {
        Vec::new()
    } else {
        rest[..close].split(',').map(str::to_string).collect()
    };
    t.pos = at + keys_from + close + 1;
    if t.text[t.pos..].starts_with(" endTxnMarker: ") {
        return parse_end_txn_marker(t, at, offset, timestamp_ms, key_size, value_size, header_keys);
    }
    if let Some(rest) = t.text[t.pos..].strip_prefix(" controlType: ") {
        let name = rest.split([' ', '\n', '\r']).next().unwrap_or("");
        return t.error(
            at,
            format!("a control record of type {name} at offset {offset}: its key and value bytes are not in the dump"),
        );
    }
    let key = if key_size >= 0 {
        if !expect(t, " key: ") {
            return t.error(
                at,
                "the record line has no key: text (keys and values are printed only with --print-data-log)",
            );
        }
        Some(take_text(t, key_size, "key", offset)?)
    } else {
        None
    };
    let value = if value_size >= 0 {
        if !expect(t, " payload: ") {
            return t.error(
                at,
                "the record line has no payload: text (keys and values are printed only with --print-data-log)",
            );
        }
        Some(take_text(t, value_size, "payload", offset)?)
    } else {
        None
    };
    let here = t.pos;
    let (_, tail) = t.line();
    if !tail.is_empty() {
        return t.error(
            here,
            format!(
                "{tail:?} follows the record at offset {offset}: its key or payload is not keySize or valueSize bytes \
                 of text (bytes that were not valid UTF-8 are not in the dump)"
            ),
        );
    }
    Ok(RecordLine {
        offset,
        timestamp_ms,
        key,
        value,
        header_keys,
    })
}

/// The rest of a transaction marker's record line, ` endTxnMarker: COMMIT
/// coordinatorEpoch: 0`: its key (version 0, the control type) and value
/// (`EndTransactionMarker` version 0, the coordinator epoch) are all the
/// text needs to give them back, when their sizes are those of version 0.
#[allow(clippy::too_many_arguments)]
fn parse_end_txn_marker(
    t: &mut Text<'_>,
    at: usize,
    offset: i64,
    timestamp_ms: i64,
    key_size: i64,
    value_size: i64,
    header_keys: Vec<String>,
) -> Result<RecordLine, ImportError> {
    let (_, rest) = t.line();
    let words: Vec<&str> = rest.split(' ').collect();
    let control: i16 = match words.as_slice() {
        ["", "endTxnMarker:", "ABORT", "coordinatorEpoch:", _] => 0,
        ["", "endTxnMarker:", "COMMIT", "coordinatorEpoch:", _] => 1,
        _ => {
            return t.error(
                at,
                format!("the transaction marker at offset {offset} is not ABORT or COMMIT"),
            )
        }
    };
    let Some(epoch) = words.get(4).and_then(|e| e.parse::<i32>().ok()) else {
        return t.error(
            at,
            format!("the marker at offset {offset} has no number coordinatorEpoch"),
        );
    };
    if key_size != 4 || value_size != 6 || !header_keys.is_empty() {
        return t.error(
            at,
            format!(
                "the marker at offset {offset} is not a version 0 marker (keySize 4, valueSize 6, no headers): its \
                 bytes are not in the dump"
            ),
        );
    }
    let mut key = vec![0u8; 4];
    key[2..4].copy_from_slice(&control.to_be_bytes());
    let mut value = vec![0u8; 6];
    value[2..6].copy_from_slice(&epoch.to_be_bytes());
    Ok(RecordLine {
        offset,
        timestamp_ms,
        key: Some(key),
        value: Some(value),
        header_keys,
    })
}

/// One batch written again: its stored bytes (CRC 0).
fn write_batch(b: &BatchLine, records: &[RecordLine]) -> Vec<u8> {
    let header = BatchHeader {
        base_offset: b.base_offset,
        partition_leader_epoch: b.partition_leader_epoch,
        timestamp_type: b.timestamp_type,
        is_transactional: b.is_transactional,
        is_control: b.is_control,
        delete_horizon_ms: b.delete_horizon_ms,
        max_timestamp_ms: b.max_timestamp_ms,
        producer_id: b.producer_id,
        producer_epoch: b.producer_epoch,
        base_sequence: b.base_sequence,
    };
    let mut plain = Vec::new();
    let first = records.first().map_or(NO_TIMESTAMP, |r| r.timestamp_ms);
    let mut w = BatchWriter::begin(&mut plain, &header, first);
    for r in records {
        let headers: Vec<Header> = r
            .header_keys
            .iter()
            .map(|k| Header {
                key: k.clone(),
                value: None,
            })
            .collect();
        w.append(
            &mut plain,
            r.offset,
            r.timestamp_ms,
            r.key.as_deref(),
            r.value.as_deref(),
            &headers,
        );
    }
    w.finish(&mut plain, b.last_offset);
    if b.codec == 0 || records.is_empty() {
        return plain;
    }
    let mut held = Vec::new();
    compress_into(&mut held, &plain, b.codec);
    RecordBatch::from_bytes(&held).as_bytes().to_vec()
}

/// The `.log` segments a dump's text describes, as files named by their
/// base offset (`<name>/00000000000000000000.log`), CRCs computed.
///
/// # Errors
///
/// The first line that cannot be read back, with its line number and byte
/// position in the text: not UTF-8, no `.log` dumped, a batch without
/// its record lines (a dump without `--print-data-log`), a key or value
/// whose bytes the text does not hold, a control record other than a
/// version 0 COMMIT or ABORT marker.
pub fn segments_from_dump(name: &str, bytes: &[u8]) -> Result<Vec<ImportFile>, ImportError> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            return Err(ImportError {
                file: name.to_string(),
                position: e.valid_up_to() as u64,
                message: "a dump's text is UTF-8, and this is not".into(),
            })
        }
    };
    let mut t = Text { name, text, pos: 0 };
    let mut out = Vec::new();
    // The segment being read: its base offset, bytes and batch starts.
    let mut segment: Option<(i64, Vec<u8>, Vec<usize>)> = None;
    let mut in_log = false;
    let finish = |segment: &mut Option<(i64, Vec<u8>, Vec<usize>)>, out: &mut Vec<ImportFile>| {
        if let Some((base, bytes, positions)) = segment.take() {
            // Without a base offset in the text: the first batch's.
            let base = if base >= 0 {
                base
            } else {
                bytes
                    .get(..8)
                    .map_or(0, |b| i64::from_be_bytes(b.try_into().unwrap_or([0; 8])))
            };
            out.push(ImportFile {
                name: format!("{name}/{base:020}.log"),
                bytes: with_checksums(&bytes, positions),
            });
        }
    };
    while !t.at_end() {
        let (at, line) = t.line();
        if let Some(path) = line.strip_prefix("Dumping ") {
            finish(&mut segment, &mut out);
            in_log = path.ends_with(".log");
            if in_log {
                segment = Some((base_offset_of(path).unwrap_or(-1), Vec::new(), Vec::new()));
            }
            continue;
        }
        if !in_log || line.trim().is_empty() {
            continue;
        }
        let Some((base, bytes, positions)) = segment.as_mut() else {
            continue;
        };
        if let Some(start) = line.strip_prefix("Log starting offset: ") {
            if *base < 0 {
                *base = start
                    .trim()
                    .parse()
                    .or_else(|_| t.error(at, "Log starting offset is not a number"))?;
            }
            continue;
        }
        if line.starts_with("Found ") && line.contains(" invalid bytes at the end of ") {
            continue;
        }
        if !line.starts_with("baseOffset: ") {
            return t.error(at, format!("not a line of kafka-dump-log.sh's output: {line:?}"));
        }
        let batch = parse_batch_line(&t, at, line)?;
        let mut records = Vec::new();
        while t.peek_line().starts_with("| offset: ") {
            records.push(parse_record(&mut t)?);
        }
        if i64::try_from(records.len()) != Ok(batch.count) {
            return t.error(
                at,
                format!(
                    "the batch at offset {} holds {} records and the dump shows {} (dump with --print-data-log)",
                    batch.base_offset,
                    batch.count,
                    records.len()
                ),
            );
        }
        positions.push(bytes.len());
        bytes.extend_from_slice(&write_batch(&batch, &records));
    }
    finish(&mut segment, &mut out);
    if out.is_empty() {
        return t.error(
            0,
            "the dump holds no .log file (kafka-dump-log.sh --files X.log --print-data-log)",
        );
    }
    Ok(out)
}
