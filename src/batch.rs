//! A record batch (magic v2), stored as Kafka stores it: its encoded bytes.
//!
//! Models Kafka's `RecordBatch` / `DefaultRecordBatch`: a 61-byte header
//! (base offset, length, partition leader epoch, magic, CRC, attributes,
//! last offset delta, base and max timestamp, producer id, epoch and base
//! sequence, record count) followed by records whose fields are zig-zag
//! varints relative to the base offset and base timestamp
//! (`DefaultRecord`). [`RecordBatch`] is a view over those bytes, as `str`
//! is over UTF-8: a segment holds its batches back to back in one buffer,
//! and reading a field or a record decodes it in place. Sizes are therefore
//! exact by construction (the size of a batch is the length of its bytes),
//! and writing Kafka's files is a copy. [`builder`] writes batches
//! (`MemoryRecordsBuilder`); [`varint`] holds `ByteUtils`' varints.
//!
//! A compressed batch (codec in attribute bits 0-2, see [`compression`]) is
//! kept as stored, its records one compressed stream, so that it leaves the
//! playground byte for byte as it came. To read its records in place, the
//! engine keeps their decompressed bytes right after the batch in the
//! segment's buffer: a compressed `RecordBatch` is the stored batch (its
//! length field tells where it ends) followed by its records uncompressed.
//! [`RecordBatch::as_bytes`] and [`RecordBatch::size_bytes`] are the stored
//! batch only.
//!
//! Simplified: the playground's producers never compress, and the CRC field
//! is left 0 in memory (nothing checks it here; it is computed when bytes
//! leave the playground).

pub mod builder;
pub mod compression;
pub mod crc32c;
pub mod validate;
pub mod varint;

use std::fmt;

use crate::record::{Record, RecordHeaders, TimestampType};
use varint::read_varint;
pub use varint::varint_size;

/// `RECORD_BATCH_OVERHEAD`: the v2 batch header. An empty batch (all records
/// removed, kept by the cleaner) is exactly this size.
pub const RECORD_BATCH_OVERHEAD: u64 = 61;

/// `RecordBatch.NO_PRODUCER_ID`, `NO_PRODUCER_EPOCH`, `NO_SEQUENCE`.
pub const NO_PRODUCER_ID: i64 = -1;
pub const NO_PRODUCER_EPOCH: i16 = -1;
pub const NO_SEQUENCE: i32 = -1;
/// `RecordBatch.NO_TIMESTAMP`.
pub const NO_TIMESTAMP: i64 = -1;
/// `RecordBatch.CURRENT_MAGIC_VALUE`.
pub const MAGIC_V2: u8 = 2;

// `DefaultRecordBatch`'s field offsets (all big-endian).
const BASE_OFFSET_OFFSET: usize = 0;
const LENGTH_OFFSET: usize = 8;
const PARTITION_LEADER_EPOCH_OFFSET: usize = 12;
const MAGIC_OFFSET: usize = 16;
const CRC_OFFSET: usize = 17;
const ATTRIBUTES_OFFSET: usize = 21;
const LAST_OFFSET_DELTA_OFFSET: usize = 23;
const BASE_TIMESTAMP_OFFSET: usize = 27;
const MAX_TIMESTAMP_OFFSET: usize = 35;
const PRODUCER_ID_OFFSET: usize = 43;
const PRODUCER_EPOCH_OFFSET: usize = 51;
const BASE_SEQUENCE_OFFSET: usize = 53;
const RECORDS_COUNT_OFFSET: usize = 57;
const RECORDS_OFFSET: usize = 61;
/// `LOG_OVERHEAD`: base offset and length, which the length does not count.
pub(crate) const LOG_OVERHEAD: usize = 12;

// Attribute bits.
const COMPRESSION_CODEC_MASK: u16 = 0x07;
const TIMESTAMP_TYPE_MASK: u16 = 0x08;
const TRANSACTIONAL_FLAG_MASK: u16 = 0x10;
const CONTROL_FLAG_MASK: u16 = 0x20;
const DELETE_HORIZON_FLAG_MASK: u16 = 0x40;

/// A v2 record batch: the unit a producer sends and the cleaner keeps or
/// drops, as its encoded bytes. Borrowed from a segment's buffer (a
/// `&RecordBatch` is a slice of it); every accessor decodes its field.
#[repr(transparent)]
pub struct RecordBatch([u8]);

impl RecordBatch {
    /// Views `bytes` as a batch. The bytes must be one whole batch as
    /// [`builder::BatchWriter`] writes it (or as an import has checked), a
    /// compressed one followed by its records decompressed: accessors read
    /// the header's fixed positions.
    pub(crate) fn from_bytes(bytes: &[u8]) -> &RecordBatch {
        debug_assert!(bytes.len() >= RECORDS_OFFSET, "a batch is at least its header");
        // SAFETY: `RecordBatch` is `repr(transparent)` over `[u8]`, so the
        // two have the same layout and metadata (as `str` over `[u8]`).
        unsafe { &*(std::ptr::from_ref::<[u8]>(bytes) as *const RecordBatch) }
    }

    /// The batch's encoded bytes, exactly as a `.log` file holds them (but
    /// with the CRC field 0).
    pub fn as_bytes(&self) -> &[u8] {
        &self.0[..self.stored_len()]
    }

    /// The bytes as the engine holds them: [`Self::as_bytes`], then for a
    /// compressed batch its records decompressed. A copy of the batch is a
    /// copy of these.
    pub(crate) fn in_memory_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The stored length: the length field plus `LOG_OVERHEAD` (the whole
    /// view for an uncompressed batch).
    fn stored_len(&self) -> usize {
        let declared = usize::try_from(self.i32_at(LENGTH_OFFSET)).unwrap_or(0);
        declared
            .saturating_add(LOG_OVERHEAD)
            .clamp(RECORDS_OFFSET.min(self.0.len()), self.0.len())
    }

    fn i64_at(&self, at: usize) -> i64 {
        let mut b = [0u8; 8];
        b.copy_from_slice(&self.0[at..at + 8]);
        be_i64(b)
    }

    fn i32_at(&self, at: usize) -> i32 {
        let mut b = [0u8; 4];
        b.copy_from_slice(&self.0[at..at + 4]);
        i32::from_be_bytes(b)
    }

    fn i16_at(&self, at: usize) -> i16 {
        i16::from_be_bytes([self.0[at], self.0[at + 1]])
    }

    /// The attributes' low byte, which holds every flag v2 defines (bits
    /// 0-6; the high byte is unused): read as one byte, as decoding the
    /// big-endian field costs a byte swap that wasm has no instruction for.
    fn flags(&self) -> u16 {
        u16::from(self.0[ATTRIBUTES_OFFSET + 1])
    }

    /// The encoded size in bytes: header plus varint-framed records
    /// (compressed, for a compressed batch), as stored.
    pub fn size_bytes(&self) -> u64 {
        self.stored_len() as u64
    }

    /// First offset of the batch. Kept by the cleaner even when the record
    /// at this offset is removed.
    pub fn base_offset(&self) -> i64 {
        self.i64_at(BASE_OFFSET_OFFSET)
    }

    /// Last offset of the batch (`baseOffset + lastOffsetDelta`), also kept
    /// when the last record is removed: producers' sequence state needs it.
    pub fn last_offset(&self) -> i64 {
        self.base_offset()
            .wrapping_add(i64::from(self.i32_at(LAST_OFFSET_DELTA_OFFSET)))
    }

    /// The offset after this batch.
    pub fn next_offset(&self) -> i64 {
        self.last_offset().wrapping_add(1)
    }

    /// The leader epoch stamped at append (always 0: one replica that never
    /// changes leader).
    pub fn partition_leader_epoch(&self) -> i32 {
        self.i32_at(PARTITION_LEADER_EPOCH_OFFSET)
    }

    pub fn magic(&self) -> u8 {
        self.0[MAGIC_OFFSET]
    }

    /// Idempotent/transactional producer state; -1 for a plain producer.
    pub fn producer_id(&self) -> i64 {
        self.i64_at(PRODUCER_ID_OFFSET)
    }

    /// `producer_id() >= 0`, from the sign bit alone.
    pub fn has_producer_id(&self) -> bool {
        self.0[PRODUCER_ID_OFFSET] < 0x80
    }

    pub fn producer_epoch(&self) -> i16 {
        self.i16_at(PRODUCER_EPOCH_OFFSET)
    }

    pub fn base_sequence(&self) -> i32 {
        self.i32_at(BASE_SEQUENCE_OFFSET)
    }

    pub fn is_transactional(&self) -> bool {
        self.flags() & TRANSACTIONAL_FLAG_MASK != 0
    }

    pub fn is_control(&self) -> bool {
        self.flags() & CONTROL_FLAG_MASK != 0
    }

    /// A data batch of no producer: not a marker, not transactional, and
    /// without a producer id, so no producer or transaction state applies.
    pub fn is_plain_data(&self) -> bool {
        self.flags() & (CONTROL_FLAG_MASK | TRANSACTIONAL_FLAG_MASK) == 0 && !self.has_producer_id()
    }

    pub fn timestamp_type(&self) -> TimestampType {
        if self.flags() & TIMESTAMP_TYPE_MASK != 0 {
            TimestampType::LogAppendTime
        } else {
            TimestampType::CreateTime
        }
    }

    /// CreateTime: the largest record timestamp; LogAppendTime: the broker's
    /// clock at append. An emptied batch keeps its original value.
    pub fn max_timestamp_ms(&self) -> i64 {
        self.i64_at(MAX_TIMESTAMP_OFFSET)
    }

    /// The batch's base timestamp: the delete horizon once the cleaner set
    /// one, else the first record's timestamp, else -1 (empty batch).
    pub fn base_timestamp_ms(&self) -> i64 {
        self.i64_at(BASE_TIMESTAMP_OFFSET)
    }

    /// KIP-534: set by the cleaner the first time it retains a tombstone in
    /// this batch (`now + delete.retention.ms`); stored as the base timestamp
    /// with attribute bit 0x40.
    pub fn delete_horizon_ms(&self) -> Option<i64> {
        (self.flags() & DELETE_HORIZON_FLAG_MASK != 0).then(|| self.base_timestamp_ms())
    }

    /// Number of records still in the batch (the cleaner may have removed
    /// some; `last_offset - base_offset + 1` is the original count).
    pub fn record_count(&self) -> usize {
        usize::try_from(self.i32_at(RECORDS_COUNT_OFFSET)).unwrap_or(0)
    }

    /// The CRC field as stored (0 for a batch the playground wrote: it is
    /// computed when the bytes leave, see [`Self::compute_checksum`]).
    pub fn stored_checksum(&self) -> u32 {
        self.i32_at(CRC_OFFSET) as u32
    }

    /// `DefaultRecordBatch.computeChecksum`: CRC-32C of the bytes from the
    /// attributes to the end of the batch.
    pub fn compute_checksum(&self) -> u32 {
        crc32c::crc32c(&self.as_bytes()[ATTRIBUTES_OFFSET..])
    }

    /// The codec id of attribute bits 0-2 (0 none, 1 gzip, 2 snappy, 3 lz4,
    /// 4 zstd); the playground's producers write 0, imports keep theirs.
    pub fn compression_codec(&self) -> u8 {
        (self.flags() & COMPRESSION_CODEC_MASK) as u8
    }

    /// `DefaultRecordBatch.lastSequence`: -1 without a base sequence, else
    /// the base sequence plus the last offset delta, wrapping to 0 past
    /// `Integer.MAX_VALUE`.
    pub fn last_sequence(&self) -> i32 {
        increment_sequence(self.base_sequence(), self.i32_at(LAST_OFFSET_DELTA_OFFSET))
    }

    /// The records, decoded one at a time from the bytes, in offset order.
    pub fn records(&self) -> Records<'_> {
        // A compressed batch's records follow it, decompressed.
        let (bytes, pos) = if self.compression_codec() == 0 {
            (&self.0, RECORDS_OFFSET)
        } else {
            (&self.0[self.stored_len()..], 0)
        };
        Records {
            bytes,
            pos,
            remaining: self.record_count(),
            base_offset: self.base_offset(),
            base_timestamp: self.base_timestamp_ms(),
        }
    }

    /// The offset and key of each record, as [`Self::records`] reads them
    /// from the bytes this module wrote or an import checked
    /// ([`validate`]), without decoding values and headers.
    pub fn offsets_and_keys(&self) -> OffsetsAndKeys<'_> {
        OffsetsAndKeys(self.records())
    }

    /// The timestamp a consumer sees for `record` (LogAppendTime batches
    /// report the batch's max timestamp for every record).
    pub fn timestamp_of(&self, record: &Record<'_>) -> i64 {
        match self.timestamp_type() {
            TimestampType::LogAppendTime => self.max_timestamp_ms(),
            TimestampType::CreateTime => record.timestamp_ms,
        }
    }

    /// True when a record of this batch is a tombstone.
    pub fn has_tombstone(&self) -> bool {
        self.records().any(|r| r.has_key() && r.is_tombstone())
    }
}

impl fmt::Debug for RecordBatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecordBatch")
            .field("base_offset", &self.base_offset())
            .field("last_offset", &self.last_offset())
            .field("size_bytes", &self.size_bytes())
            .field("max_timestamp_ms", &self.max_timestamp_ms())
            .field("delete_horizon_ms", &self.delete_horizon_ms())
            .field("records", &self.records().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl PartialEq for RecordBatch {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

impl Eq for RecordBatch {}

/// The records of a batch, decoded as they are read.
#[derive(Debug, Clone)]
pub struct Records<'a> {
    bytes: &'a [u8],
    pos: usize,
    remaining: usize,
    base_offset: i64,
    base_timestamp: i64,
}

impl<'a> Iterator for Records<'a> {
    type Item = Record<'a>;

    #[inline(always)]
    fn next(&mut self) -> Option<Record<'a>> {
        if self.remaining == 0 {
            return None;
        }
        self.remaining -= 1;
        let record = read_record(self.bytes, &mut self.pos, self.base_offset, self.base_timestamp);
        if record.is_none() {
            // Only bytes this module did not write can end early; stop there.
            self.remaining = 0;
        }
        record
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

impl ExactSizeIterator for Records<'_> {}

/// The offset and key of each record of a batch, in order: all the map
/// pass of the cleaner reads. The value and headers are skipped by the
/// record's length rather than decoded.
#[derive(Debug, Clone)]
pub struct OffsetsAndKeys<'a>(Records<'a>);

impl<'a> Iterator for OffsetsAndKeys<'a> {
    type Item = (i64, Option<&'a [u8]>);

    #[inline(always)]
    fn next(&mut self) -> Option<(i64, Option<&'a [u8]>)> {
        let r = &mut self.0;
        if r.remaining == 0 {
            return None;
        }
        r.remaining -= 1;
        let item = read_offset_and_key(r.bytes, &mut r.pos, r.base_offset);
        if item.is_none() {
            r.remaining = 0;
        }
        item
    }
}

/// The offset and key of the record at `*pos`, moving past the record
/// (`DefaultRecord.readFrom` up to the key).
#[inline(always)]
fn read_offset_and_key<'a>(bytes: &'a [u8], pos: &mut usize, base_offset: i64) -> Option<(i64, Option<&'a [u8]>)> {
    let length = usize::try_from(read_varint(bytes, pos)?).ok()?;
    let end = pos.checked_add(length).filter(|&e| e <= bytes.len())?;
    let body = &bytes[..end];
    // Most records have a one-byte timestamp delta, offset delta and key
    // length: one bounds check and one test of their continuation bits
    // instead of three varint reads. The cleaner's map pass reads every
    // record here: at 1M records its decoding (without the map's puts) went
    // from 13.8 to 13.4 ms in wasm and from 8.9 to 8.3 ms natively.
    let mut p = *pos + 1; // attributes: unused in v2
    if let Some(&[ts, od, kl]) = body.get(p..).and_then(<[u8]>::first_chunk::<3>) {
        if (ts | od | kl) < 0x80 {
            let zigzag = |b: u8| i64::from(b >> 1) ^ -i64::from(b & 1);
            let key = match usize::try_from(zigzag(kl)) {
                Ok(len) => Some(body.get(p + 3..p + 3 + len)?),
                Err(_) => None,
            };
            *pos = end;
            return Some((base_offset.wrapping_add(zigzag(od)), key));
        }
    }
    read_varint(body, &mut p)?; // timestamp delta
    let offset_delta = read_varint(body, &mut p)?;
    let key = read_bytes_field(body, &mut p)?;
    *pos = end;
    Some((base_offset.wrapping_add(offset_delta), key))
}

/// `DefaultRecord.readFrom`: one varint-framed record at `*pos`.
#[inline(always)]
fn read_record<'a>(bytes: &'a [u8], pos: &mut usize, base_offset: i64, base_timestamp: i64) -> Option<Record<'a>> {
    let length = usize::try_from(read_varint(bytes, pos)?).ok()?;
    let end = pos.checked_add(length).filter(|&e| e <= bytes.len())?;
    let body = &bytes[..end];
    let mut p = *pos + 1; // attributes: unused in v2
    let timestamp_delta = read_varint(body, &mut p)?;
    let offset_delta = read_varint(body, &mut p)?;
    let key = read_bytes_field(body, &mut p)?;
    let value = read_bytes_field(body, &mut p)?;
    let header_count = usize::try_from(read_varint(body, &mut p)?).ok()?;
    let headers = RecordHeaders::new(header_count, body.get(p..end)?);
    *pos = end;
    Some(Record {
        offset: base_offset.wrapping_add(offset_delta),
        timestamp_ms: base_timestamp.wrapping_add(timestamp_delta),
        key,
        value,
        headers,
    })
}

/// `DefaultRecordBatch.incrementSequence` for a sequence that may be
/// `NO_SEQUENCE` (then -1, as `DefaultRecord.sequence` and `lastSequence`
/// give): wraps from `Integer.MAX_VALUE` to 0, not to `Integer.MIN_VALUE`.
pub fn increment_sequence(sequence: i32, increment: i32) -> i32 {
    if sequence < 0 {
        return NO_SEQUENCE;
    }
    // Java's int arithmetic, wrapping as it does.
    if sequence > i32::MAX.wrapping_sub(increment) {
        increment.wrapping_sub(i32::MAX.wrapping_sub(sequence)).wrapping_sub(1)
    } else {
        sequence.wrapping_add(increment)
    }
}

/// A copy of a segment's bytes with every batch's CRC computed, as a `.log`
/// file holds them. `positions` are where the batches start.
pub fn with_checksums(log: &[u8], positions: impl IntoIterator<Item = usize>) -> Vec<u8> {
    let mut out = log.to_vec();
    for start in positions {
        let Some(len) = batch_length_at(&log[start..]) else {
            continue;
        };
        let crc = RecordBatch::from_bytes(&log[start..start + len]).compute_checksum();
        out[start + CRC_OFFSET..start + CRC_OFFSET + 4].copy_from_slice(&crc.to_be_bytes());
    }
    out
}

/// The same bytes with the CRC field set to 0, as the playground keeps
/// batches in memory (an import checks the CRC, then clears it).
pub(crate) fn clear_checksum(batch: &mut [u8]) {
    batch[CRC_OFFSET..CRC_OFFSET + 4].fill(0);
}

/// `i64::from_be_bytes`, through [`swap_bytes`]: the cleaner reads a few
/// of these fields for every batch, in both passes.
#[inline(always)]
fn be_i64(b: [u8; 8]) -> i64 {
    swap_bytes(u64::from_le_bytes(b)) as i64
}

/// `v.to_be_bytes()`, through [`swap_bytes`]: a produced batch's header
/// has four `i64` fields.
#[inline(always)]
pub(crate) fn i64_be_bytes(v: i64) -> [u8; 8] {
    swap_bytes(v as u64).to_le_bytes()
}

/// `u64::swap_bytes`. Without SIMD, wasm32 has no byte swap and takes 22
/// operations for it (an `i32` takes 5); the JavaScript API's wasm is built
/// with SIMD (www/build/post-build.mjs), where one shuffle reverses the
/// bytes: the cleaner cleaned about a tenth faster in Chromium with it.
#[inline(always)]
fn swap_bytes(x: u64) -> u64 {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        use core::arch::wasm32::{i8x16_shuffle, u64x2, u64x2_extract_lane};
        let v = u64x2(x, 0);
        let r = i8x16_shuffle::<7, 6, 5, 4, 3, 2, 1, 0, 8, 9, 10, 11, 12, 13, 14, 15>(v, v);
        u64x2_extract_lane::<0>(r)
    }
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    x.swap_bytes()
}

/// A varint length then that many bytes; length -1 is null (`Some(None)`).
/// `None` when the bytes end first.
#[inline(always)]
pub(crate) fn read_bytes_field<'a>(bytes: &'a [u8], pos: &mut usize) -> Option<Option<&'a [u8]>> {
    let len = read_varint(bytes, pos)?;
    if len < 0 {
        return Some(None);
    }
    let start = *pos;
    let end = start
        .checked_add(usize::try_from(len).ok()?)
        .filter(|&e| e <= bytes.len())?;
    *pos = end;
    Some(Some(&bytes[start..end]))
}

/// The length of the batch starting at `bytes[0]`, from its length field,
/// when the bytes hold at least a whole header and the whole batch.
pub(crate) fn batch_length_at(bytes: &[u8]) -> Option<usize> {
    let raw: [u8; 4] = bytes.get(LENGTH_OFFSET..LENGTH_OFFSET + 4)?.try_into().ok()?;
    let len = usize::try_from(i32::from_be_bytes(raw))
        .ok()?
        .checked_add(LOG_OVERHEAD)?;
    (len >= RECORDS_OFFSET && len <= bytes.len()).then_some(len)
}

/// `DefaultRecord.sizeInBytes`: varint(body length) + body, where the body is
/// attributes (1) + timestamp delta (varlong) + offset delta (varint) + key
/// and value (varint length, -1 for null, then the bytes) + header count and
/// headers.
pub fn record_size_in_bytes(
    offset_delta: i64,
    timestamp_delta: i64,
    key: Option<&[u8]>,
    value: Option<&[u8]>,
    headers_size: u64,
) -> u64 {
    let body = record_body_size(offset_delta, timestamp_delta, key, value, headers_size);
    varint_size(body as i64) + body
}

/// Size of a record body without its own length prefix; `headers_size` is
/// the header count varint plus the headers ([`headers_size`]).
pub fn record_body_size(
    offset_delta: i64,
    timestamp_delta: i64,
    key: Option<&[u8]>,
    value: Option<&[u8]>,
    headers_size: u64,
) -> u64 {
    1 + varint_size(timestamp_delta)
        + varint_size(offset_delta)
        + bytes_field_size(key)
        + bytes_field_size(value)
        + headers_size
}

/// The encoded size of a record's headers, count included.
pub fn headers_size(headers: &[crate::record::Header]) -> u64 {
    let mut size = varint_size(headers.len() as i64);
    for h in headers {
        size += bytes_field_size(Some(h.key.as_bytes()));
        size += bytes_field_size(h.value.as_deref());
    }
    size
}

/// The size of a single-record batch holding `key` and `value` at offset
/// delta 0 and timestamp delta 0: what one `produce` line appends.
pub fn single_record_batch_size(key: Option<&[u8]>, value: Option<&[u8]>) -> u64 {
    RECORD_BATCH_OVERHEAD + record_size_in_bytes(0, 0, key, value, 1)
}

pub(crate) fn bytes_field_size(bytes: Option<&[u8]>) -> u64 {
    match bytes {
        None => 1, // length -1 as a zig-zag varint
        Some(b) => varint_size(b.len() as i64) + b.len() as u64,
    }
}

#[cfg(test)]
mod tests {
    use super::builder::{BatchHeader, BatchWriter};
    use super::*;
    use crate::record::{Header, SimpleRecord};

    /// One batch of `records` at offsets from `base`, CreateTime.
    fn batch(base: i64, records: &[SimpleRecord<'_>]) -> Vec<u8> {
        let max_ts = records.iter().map(|r| r.timestamp_ms).max().unwrap_or(NO_TIMESTAMP);
        let mut buf = Vec::new();
        let header = BatchHeader::plain(base, TimestampType::CreateTime, max_ts);
        let mut w = BatchWriter::begin(
            &mut buf,
            &header,
            records.first().map_or(NO_TIMESTAMP, |r| r.timestamp_ms),
        );
        for (i, r) in records.iter().enumerate() {
            w.append(&mut buf, base + i as i64, r.timestamp_ms, r.key, r.value, r.headers);
        }
        w.finish(&mut buf, base + records.len() as i64 - 1);
        buf
    }

    #[test]
    fn one_byte_key_and_value_make_a_70_byte_batch() {
        let bytes = batch(0, &[SimpleRecord::new(5, Some(b"0"), Some(b"0"))]);
        let b = RecordBatch::from_bytes(&bytes);
        assert_eq!(b.size_bytes(), 70);
        assert_eq!(single_record_batch_size(Some(b"0"), Some(b"0")), 70);
        assert_eq!(batch_length_at(&bytes), Some(70));
        assert_eq!((b.base_offset(), b.last_offset(), b.record_count()), (0, 0, 1));
        assert_eq!((b.magic(), b.producer_id(), b.base_sequence()), (2, -1, -1));
    }

    #[test]
    fn worked_example_of_the_record_format_doc_is_103_bytes_and_reads_back() {
        // kp_roundtrip_example.py: 3 records, one with a header and a null
        // header value, one tombstone, one unkeyed.
        let t0 = 1_700_000_000_000;
        let h0 = [Header {
            key: "h1".into(),
            value: Some(Box::from(&b"x"[..])),
        }];
        let h1 = [Header {
            key: "h-null".into(),
            value: None,
        }];
        let records = [
            SimpleRecord {
                headers: &h0,
                ..SimpleRecord::new(t0, Some(b"k1"), Some(b"v1"))
            },
            SimpleRecord {
                headers: &h1,
                ..SimpleRecord::new(t0 + 7, Some(b"k2"), None)
            },
            SimpleRecord::new(t0 + 3, None, Some(b"v3")),
        ];
        let bytes = batch(0, &records);
        let b = RecordBatch::from_bytes(&bytes);
        assert_eq!(b.size_bytes(), 103);
        assert_eq!(b.max_timestamp_ms(), t0 + 7);
        let read: Vec<Record<'_>> = b.records().collect();
        assert_eq!(read.len(), 3);
        assert_eq!((read[1].offset, read[1].timestamp_ms), (1, t0 + 7));
        assert_eq!((read[1].key, read[1].value), (Some(&b"k2"[..]), None));
        assert_eq!(read[2].key, None);
        let h: Vec<_> = read[0].headers.iter().collect();
        assert_eq!(h, vec![(&b"h1"[..], Some(&b"x"[..]))]);
        let h: Vec<_> = read[1].headers.iter().collect();
        assert_eq!(h, vec![(&b"h-null"[..], None)]);
        assert!(b.has_tombstone());
        let keys: Vec<(i64, Option<&[u8]>)> = b.offsets_and_keys().collect();
        let expected: Vec<(i64, Option<&[u8]>)> = read.iter().map(|r| (r.offset, r.key)).collect();
        assert_eq!(keys, expected);
        // A batch cut anywhere in its records stops where records() stops.
        for len in 61..bytes.len() {
            let cut = RecordBatch::from_bytes(&bytes[..len]);
            assert_eq!(cut.offsets_and_keys().count(), cut.records().count(), "{len}");
        }
        let cut = RecordBatch::from_bytes(&bytes[..bytes.len() - 10]);
        assert_eq!(cut.offsets_and_keys().count(), 1);
    }

    #[test]
    fn sizes_from_appendix_a() {
        assert_eq!(single_record_batch_size(Some(b"10"), Some(b"10")), 72);
        assert_eq!(single_record_batch_size(Some(b"0"), None), 69);
        assert_eq!(single_record_batch_size(None, Some(b"0")), 69);
        // A 6-byte key with a 60-byte value needs a 2-byte length varint.
        assert_eq!(single_record_batch_size(Some(b"abcdef"), Some(&[b'v'; 60])), 135);
        // Two records of 1-byte keys and values in one batch: 61 + 9 + 9.
        let bytes = batch(
            0,
            &[
                SimpleRecord::new(1, Some(b"a"), Some(b"b")),
                SimpleRecord::new(1, Some(b"c"), Some(b"d")),
            ],
        );
        assert_eq!(RecordBatch::from_bytes(&bytes).size_bytes(), 79);
    }

    #[test]
    fn flags_and_the_producer_id_sign_read_as_their_fields_do() {
        for (pid, transactional, control, horizon) in [
            (-1, false, false, None),
            (0, true, false, Some(5)),
            (i64::MAX, true, true, None),
            (i64::MIN, false, true, Some(-3)),
            (255, false, false, Some(0)),
        ] {
            let header = BatchHeader {
                producer_id: pid,
                is_transactional: transactional,
                is_control: control,
                delete_horizon_ms: horizon,
                ..BatchHeader::plain(7, TimestampType::LogAppendTime, 9)
            };
            let mut buf = Vec::new();
            let mut w = BatchWriter::begin(&mut buf, &header, 9);
            w.append(&mut buf, 7, 9, Some(b"k"), Some(b"v"), &[]);
            w.finish(&mut buf, 7);
            let b = RecordBatch::from_bytes(&buf);
            assert_eq!(b.has_producer_id(), b.producer_id() >= 0, "{pid}");
            assert_eq!(b.producer_id(), pid);
            assert_eq!((b.is_transactional(), b.is_control()), (transactional, control));
            assert_eq!(b.delete_horizon_ms(), horizon);
            assert_eq!(
                (b.timestamp_type(), b.compression_codec()),
                (TimestampType::LogAppendTime, 0)
            );
        }
    }

    #[test]
    fn a_cut_batch_has_no_length() {
        let bytes = batch(0, &[SimpleRecord::new(5, Some(b"0"), Some(b"0"))]);
        assert_eq!(batch_length_at(&bytes[..69]), None);
        assert_eq!(batch_length_at(&bytes[..10]), None);
    }

    /// `offsets_and_keys` (with its shortcut for one-byte timestamp deltas,
    /// offset deltas and key lengths) reads what `records` reads, whatever
    /// the varints' sizes, for whole batches and batches cut anywhere.
    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use super::*;
        use proptest::collection::vec;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn offsets_and_keys_read_what_records_read(
                // Small deltas (one-byte varints) and big ones, mixed.
                recs in vec((
                    prop_oneof![Just(1i64), 1i64..300],
                    prop_oneof![-30i64..30, -200_000i64..200_000],
                    proptest::option::of(vec(any::<u8>(), 0..140)),
                    vec(any::<u8>(), 0..3),
                ), 1..12),
            ) {
                let base = 1_000;
                let t0 = 1_700_000_000_000;
                let mut offset = base - 1;
                let mut records = Vec::new();
                let mut offsets = Vec::new();
                for (gap, ts, key, value) in &recs {
                    offset += gap;
                    offsets.push(offset);
                    records.push(SimpleRecord::new(t0 + ts, key.as_deref(), Some(value.as_slice())));
                }
                let max_ts = records.iter().map(|r| r.timestamp_ms).max().unwrap_or(NO_TIMESTAMP);
                let mut bytes = Vec::new();
                let header = BatchHeader::plain(base, TimestampType::CreateTime, max_ts);
                let mut w = BatchWriter::begin(&mut bytes, &header, t0);
                for (r, &o) in records.iter().zip(&offsets) {
                    w.append(&mut bytes, o, r.timestamp_ms, r.key, r.value, r.headers);
                }
                w.finish(&mut bytes, offset);
                for len in RECORDS_OFFSET..=bytes.len() {
                    let b = RecordBatch::from_bytes(&bytes[..len]);
                    let fast: Vec<(i64, Option<&[u8]>)> = b.offsets_and_keys().collect();
                    let read: Vec<(i64, Option<&[u8]>)> = b.records().map(|r| (r.offset, r.key)).collect();
                    prop_assert_eq!(&fast, &read, "cut at {} of {}", len, bytes.len());
                    if len == bytes.len() {
                        let expected: Vec<(i64, Option<&[u8]>)> = offsets.iter().zip(&recs).map(|(&o, r)| (o, r.2.as_deref())).collect();
                        prop_assert_eq!(fast, expected);
                    }
                }
            }
        }
    }
}
