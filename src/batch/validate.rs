//! Checking a batch that comes from outside (an imported `.log`, a file to
//! dump) before any code reads it as a [`RecordBatch`](super::RecordBatch).
//!
//! Models `DefaultRecordBatch.ensureValid` (size, magic, CRC-32C) and the
//! checks `DefaultRecord.readFrom` makes while it reads (varint lengths, a
//! record's declared size, header counts, nothing left after the declared
//! count), with Kafka's wording where Kafka has one. Adds what the engine
//! relies on: record offsets strictly increase within `[base, last]`.
//!
//! A compressed batch's records (codec 1-4) are decompressed (bounded, see
//! [`super::compression`]) and checked the same way; a problem inside them
//! is reported at the start of the compressed records with its position in
//! the decompressed bytes.

use super::compression::MAX_INFLATED_BYTES;
use super::{
    ATTRIBUTES_OFFSET, COMPRESSION_CODEC_MASK, CRC_OFFSET, LAST_OFFSET_DELTA_OFFSET, LENGTH_OFFSET, LOG_OVERHEAD,
    MAGIC_OFFSET, MAGIC_V2, RECORDS_COUNT_OFFSET, RECORDS_OFFSET,
};

/// What is wrong with a batch, and where: `at` is the byte position, from
/// the start of the batch, of the field that is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchError {
    pub at: usize,
    pub message: String,
}

fn err<T>(at: usize, message: impl Into<String>) -> Result<T, BatchError> {
    Err(BatchError {
        at,
        message: message.into(),
    })
}

/// The codec names of `CompressionType`, by id.
pub fn codec_name(id: u8) -> &'static str {
    match id {
        0 => "none",
        1 => "gzip",
        2 => "snappy",
        3 => "lz4",
        4 => "zstd",
        _ => "unknown",
    }
}

/// `ByteUtils.readVarint`/`readVarlong`: at most `max_bytes` bytes.
fn read_varint(bytes: &[u8], pos: &mut usize, max_bytes: usize, what: &str) -> Result<i64, BatchError> {
    let start = *pos;
    let mut raw: u64 = 0;
    for i in 0..max_bytes {
        let Some(&b) = bytes.get(*pos) else {
            return err(start, format!("the batch ends inside a varint ({what})"));
        };
        *pos += 1;
        raw |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            let v = ((raw >> 1) as i64) ^ -((raw & 1) as i64);
            if max_bytes == 5 && i32::try_from(v).is_err() {
                return err(start, format!("Varint is too long ({what})"));
            }
            return Ok(v);
        }
    }
    let kind = if max_bytes == 5 { "Varint" } else { "Varlong" };
    err(start, format!("{kind} is too long ({what})"))
}

/// A varint length then the bytes; -1 is null.
fn skip_bytes_field(bytes: &[u8], pos: &mut usize, end: usize, what: &str) -> Result<(), BatchError> {
    let at = *pos;
    let len = read_varint(bytes, pos, 5, what)?;
    if len < -1 {
        return err(at, format!("Invalid negative {what} size {len}"));
    }
    if len >= 0 {
        let n = usize::try_from(len).unwrap_or(usize::MAX);
        if n > end.saturating_sub(*pos) {
            return err(at, format!("the {what} of {len} bytes runs past the end of its record"));
        }
        *pos += n;
    }
    Ok(())
}

fn i32_at(bytes: &[u8], at: usize) -> i32 {
    i32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

/// Checks one whole batch (`bytes` is exactly the batch: its length field
/// agrees with `bytes.len()`). `check_crc`: whether to verify the CRC.
///
/// # Errors
///
/// The first problem found, with its position in the batch: a size below
/// the v2 header, another magic, a CRC mismatch (`Record is corrupt (stored
/// crc = 1, computed crc = 2)`), an unknown codec, records that do not
/// decompress, a malformed record.
pub fn check_batch(bytes: &[u8], check_crc: bool) -> Result<(), BatchError> {
    checked_records(bytes, check_crc).map(|_| ())
}

/// [`check_batch`], then the batch as the engine holds it: its bytes, and
/// for a compressed batch its records decompressed after them (see
/// [`super`]).
///
/// # Errors
///
/// As [`check_batch`].
pub fn in_memory(bytes: &[u8], check_crc: bool) -> Result<Vec<u8>, BatchError> {
    let inflated = checked_records(bytes, check_crc)?;
    let mut out = Vec::with_capacity(bytes.len() + inflated.as_ref().map_or(0, Vec::len));
    out.extend_from_slice(bytes);
    if let Some(records) = inflated {
        out.extend_from_slice(&records);
    }
    Ok(out)
}

/// The checks; the decompressed records of a compressed batch.
fn checked_records(bytes: &[u8], check_crc: bool) -> Result<Option<Vec<u8>>, BatchError> {
    if bytes.len() < RECORDS_OFFSET {
        return err(
            LENGTH_OFFSET,
            format!(
                "Record batch is corrupt (the size {} is smaller than the minimum allowed overhead {})",
                bytes.len(),
                RECORDS_OFFSET
            ),
        );
    }
    let declared = i32_at(bytes, LENGTH_OFFSET);
    if usize::try_from(declared).ok().and_then(|d| d.checked_add(LOG_OVERHEAD)) != Some(bytes.len()) {
        return err(
            LENGTH_OFFSET,
            format!("the batch length {declared} does not match its bytes"),
        );
    }
    if bytes[MAGIC_OFFSET] != MAGIC_V2 {
        return err(
            MAGIC_OFFSET,
            format!(
                "magic {} is not supported: only record batch v2 (magic 2, Kafka 0.11 and later) is read",
                bytes[MAGIC_OFFSET] as i8
            ),
        );
    }
    if check_crc {
        let stored = i32_at(bytes, CRC_OFFSET) as u32;
        let computed = super::crc32c::crc32c(&bytes[ATTRIBUTES_OFFSET..]);
        if stored != computed {
            return err(
                CRC_OFFSET,
                format!("Record is corrupt (stored crc = {stored}, computed crc = {computed})"),
            );
        }
    }
    let last_delta = i32_at(bytes, LAST_OFFSET_DELTA_OFFSET);
    if last_delta < 0 {
        return err(
            LAST_OFFSET_DELTA_OFFSET,
            format!("negative last offset delta {last_delta}"),
        );
    }
    let count = i32_at(bytes, RECORDS_COUNT_OFFSET);
    if count < 0 {
        return err(RECORDS_COUNT_OFFSET, format!("Found invalid record count {count}"));
    }
    let codec =
        (u16::from_be_bytes([bytes[ATTRIBUTES_OFFSET], bytes[ATTRIBUTES_OFFSET + 1]]) & COMPRESSION_CODEC_MASK) as u8;
    if codec == 0 {
        check_records(bytes, RECORDS_OFFSET, count, last_delta)?;
        return Ok(None);
    }
    if codec > 4 {
        return err(ATTRIBUTES_OFFSET, format!("Unknown compression type id: {codec}"));
    }
    let inflated =
        super::compression::decompress(codec, &bytes[RECORDS_OFFSET..], MAX_INFLATED_BYTES).map_err(|e| {
            BatchError {
                at: RECORDS_OFFSET,
                message: format!("the {} records cannot be decompressed: {e}", codec_name(codec)),
            }
        })?;
    check_records(&inflated, 0, count, last_delta).map_err(|e| BatchError {
        at: RECORDS_OFFSET,
        message: format!(
            "in the {} records, at byte {} of {} decompressed: {}",
            codec_name(codec),
            e.at,
            inflated.len(),
            e.message
        ),
    })?;
    Ok(Some(inflated))
}

/// `count` records from `bytes[start..]` to the end of `bytes`.
fn check_records(bytes: &[u8], start: usize, count: i32, last_delta: i32) -> Result<(), BatchError> {
    let mut pos = start;
    let mut last_offset_delta = -1i64;
    for _ in 0..count {
        let record_start = pos;
        if pos >= bytes.len() {
            return err(
                pos,
                format!("the batch declares {count} records but its bytes end first"),
            );
        }
        let size = read_varint(bytes, &mut pos, 5, "record length")?;
        let body_start = pos;
        let end = match usize::try_from(size).ok().and_then(|s| body_start.checked_add(s)) {
            Some(e) if e <= bytes.len() => e,
            _ => {
                return err(
                    record_start,
                    format!("Invalid record size {size}: the batch ends first"),
                )
            }
        };
        if body_start >= end {
            return err(record_start, format!("Invalid record size {size}"));
        }
        pos += 1; // attributes
        read_varint(bytes, &mut pos, 10, "timestamp delta")?;
        let delta_at = pos;
        let offset_delta = read_varint(bytes, &mut pos, 5, "offset delta")?;
        if offset_delta <= last_offset_delta || offset_delta > i64::from(last_delta) {
            return err(
                delta_at,
                format!(
                    "offset delta {offset_delta} is not above the previous record's ({last_offset_delta}) and at \
                     most the batch's last offset delta {last_delta}"
                ),
            );
        }
        last_offset_delta = offset_delta;
        skip_bytes_field(bytes, &mut pos, end, "key")?;
        skip_bytes_field(bytes, &mut pos, end, "value")?;
        let headers_at = pos;
        let headers = read_varint(bytes, &mut pos, 5, "header count")?;
        if headers < 0 || usize::try_from(headers).unwrap_or(usize::MAX) > end.saturating_sub(pos) {
            return err(headers_at, format!("Found invalid number of record headers {headers}"));
        }
        for _ in 0..headers {
            let key_at = pos;
            let key_len = read_varint(bytes, &mut pos, 5, "header key length")?;
            if key_len < 0 {
                return err(key_at, format!("Invalid negative header key size {key_len}"));
            }
            pos = key_at;
            skip_bytes_field(bytes, &mut pos, end, "header key")?;
            skip_bytes_field(bytes, &mut pos, end, "header value")?;
        }
        if pos != end {
            return err(
                record_start,
                format!(
                    "Invalid record size: expected to read {size} bytes in record payload, but instead read {}",
                    pos - body_start
                ),
            );
        }
    }
    if pos != bytes.len() {
        return err(pos, "Incorrect declared batch size, records still remaining in file");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::builder::{BatchHeader, BatchWriter};
    use super::super::{with_checksums, NO_TIMESTAMP};
    use super::*;
    use crate::record::TimestampType;

    fn batch() -> Vec<u8> {
        let mut buf = Vec::new();
        let header = BatchHeader::plain(7, TimestampType::CreateTime, 5);
        let mut w = BatchWriter::begin(&mut buf, &header, 5);
        w.append(&mut buf, 7, 5, Some(b"k"), Some(b"v"), &[]);
        w.append(&mut buf, 8, 5, Some(b"k"), None, &[]);
        w.finish(&mut buf, 8);
        with_checksums(&buf, [0])
    }

    #[test]
    fn a_written_batch_passes_and_any_flipped_byte_is_caught() {
        let good = batch();
        assert_eq!(check_batch(&good, true), Ok(()));
        // Every byte the CRC covers is caught by it.
        for i in ATTRIBUTES_OFFSET..good.len() {
            let mut bad = good.clone();
            bad[i] ^= 0x01;
            assert!(check_batch(&bad, true).is_err(), "byte {i}");
        }
        let mut bad = good.clone();
        bad[CRC_OFFSET] ^= 1;
        let e = check_batch(&bad, true).unwrap_err();
        assert_eq!(e.at, CRC_OFFSET);
        assert!(
            e.message.starts_with("Record is corrupt (stored crc = "),
            "{}",
            e.message
        );
    }

    #[test]
    fn structure_errors_name_their_position() {
        let mut good = batch();
        // A record count of 3 where there are 2.
        good[RECORDS_COUNT_OFFSET + 3] = 3;
        let e = check_batch(&good, false).unwrap_err();
        assert_eq!(e.at, good.len());
        // Too short for a header.
        assert!(check_batch(&good[..40], false).is_err());
        let _ = NO_TIMESTAMP;
    }
}
