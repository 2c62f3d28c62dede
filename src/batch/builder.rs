//! Writing record batches: Kafka's `MemoryRecordsBuilder` for magic v2.
//!
//! A [`BatchWriter`] writes a batch's header into a buffer, appends records
//! as `DefaultRecord.writeTo` does (varint-framed, deltas relative to the
//! base offset and base timestamp), and patches the length, the last offset
//! delta and the record count when it finishes. The log's produce path and
//! the cleaner's `filterTo` both write through it, straight into a
//! segment's buffer, so no record is ever allocated on its own.
//!
//! A compressed batch is written uncompressed first, then compressed whole
//! ([`compress_into`]), as `MemoryRecordsBuilder` streams records through
//! its codec. The CRC is left 0 (see [`super`]).

use super::varint::write_varint;
use super::{i64_be_bytes, RecordBatch, CONTROL_FLAG_MASK, TRANSACTIONAL_FLAG_MASK};
use super::{
    record_body_size, DELETE_HORIZON_FLAG_MASK, LAST_OFFSET_DELTA_OFFSET, LENGTH_OFFSET, LOG_OVERHEAD, MAGIC_V2,
    NO_PRODUCER_EPOCH, NO_PRODUCER_ID, NO_SEQUENCE, RECORDS_COUNT_OFFSET, RECORD_BATCH_OVERHEAD, TIMESTAMP_TYPE_MASK,
};
use crate::record::{Header, Record, TimestampType};

/// The header fields a writer is given (the rest, length, last offset delta
/// and count, it fills in).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchHeader {
    pub base_offset: i64,
    pub partition_leader_epoch: i32,
    pub timestamp_type: TimestampType,
    pub is_transactional: bool,
    pub is_control: bool,
    /// KIP-534: written as the base timestamp, with attribute bit 0x40.
    pub delete_horizon_ms: Option<i64>,
    pub max_timestamp_ms: i64,
    pub producer_id: i64,
    pub producer_epoch: i16,
    pub base_sequence: i32,
}

impl BatchHeader {
    /// A plain (non-idempotent) producer's batch.
    pub fn plain(base_offset: i64, timestamp_type: TimestampType, max_timestamp_ms: i64) -> Self {
        BatchHeader {
            base_offset,
            partition_leader_epoch: 0,
            timestamp_type,
            is_transactional: false,
            is_control: false,
            delete_horizon_ms: None,
            max_timestamp_ms,
            producer_id: NO_PRODUCER_ID,
            producer_epoch: NO_PRODUCER_EPOCH,
            base_sequence: NO_SEQUENCE,
        }
    }

    /// The header of `batch`, to write a filtered copy of it (`filterTo`
    /// keeps the producer fields, flags and base offset of the original).
    pub fn of(batch: &RecordBatch) -> Self {
        BatchHeader {
            base_offset: batch.base_offset(),
            partition_leader_epoch: batch.partition_leader_epoch(),
            timestamp_type: batch.timestamp_type(),
            is_transactional: batch.is_transactional(),
            is_control: batch.is_control(),
            delete_horizon_ms: batch.delete_horizon_ms(),
            max_timestamp_ms: batch.max_timestamp_ms(),
            producer_id: batch.producer_id(),
            producer_epoch: batch.producer_epoch(),
            base_sequence: batch.base_sequence(),
        }
    }

    fn attributes(&self) -> u16 {
        let mut a = 0;
        if self.timestamp_type == TimestampType::LogAppendTime {
            a |= TIMESTAMP_TYPE_MASK;
        }
        if self.is_transactional {
            a |= TRANSACTIONAL_FLAG_MASK;
        }
        if self.is_control {
            a |= CONTROL_FLAG_MASK;
        }
        if self.delete_horizon_ms.is_some() {
            a |= DELETE_HORIZON_FLAG_MASK;
        }
        a
    }
}

/// One batch being written at the end of a buffer.
#[derive(Debug)]
pub struct BatchWriter {
    start: usize,
    base_offset: i64,
    base_timestamp: i64,
    count: i32,
}

impl BatchWriter {
    /// Writes the header at the end of `buf`. The base timestamp is the
    /// delete horizon when there is one, else `first_timestamp_ms` (the first
    /// record's, or -1 for a batch without records), as the builder sets it.
    pub fn begin(buf: &mut Vec<u8>, header: &BatchHeader, first_timestamp_ms: i64) -> Self {
        let base_timestamp = header.delete_horizon_ms.unwrap_or(first_timestamp_ms);
        let start = buf.len();
        let mut h = [0u8; RECORD_BATCH_OVERHEAD as usize];
        h[0..8].copy_from_slice(&i64_be_bytes(header.base_offset));
        // 8..12 length and 23..27 last offset delta: patched by `finish`.
        h[12..16].copy_from_slice(&header.partition_leader_epoch.to_be_bytes());
        h[16] = MAGIC_V2;
        // 17..21 CRC: 0 in memory.
        h[21..23].copy_from_slice(&header.attributes().to_be_bytes());
        h[27..35].copy_from_slice(&i64_be_bytes(base_timestamp));
        h[35..43].copy_from_slice(&i64_be_bytes(header.max_timestamp_ms));
        h[43..51].copy_from_slice(&i64_be_bytes(header.producer_id));
        h[51..53].copy_from_slice(&header.producer_epoch.to_be_bytes());
        h[53..57].copy_from_slice(&header.base_sequence.to_be_bytes());
        // 57..61 record count: patched by `finish`.
        buf.extend_from_slice(&h);
        BatchWriter {
            start,
            base_offset: header.base_offset,
            base_timestamp,
            count: 0,
        }
    }

    /// `DefaultRecord.writeTo`: one record with these fields.
    #[inline]
    pub fn append(
        &mut self,
        buf: &mut Vec<u8>,
        offset: i64,
        timestamp_ms: i64,
        key: Option<&[u8]>,
        value: Option<&[u8]>,
        headers: &[Header],
    ) {
        let header_bytes = super::headers_size(headers);
        self.write_fields(buf, offset, timestamp_ms, key, value, header_bytes);
        write_varint(buf, headers.len() as i64);
        for h in headers {
            write_bytes_field(buf, Some(h.key.as_bytes()));
            write_bytes_field(buf, h.value.as_deref());
        }
    }

    /// Copies a stored record into this batch at `timestamp_ms` (its own,
    /// or the batch's append time for LogAppendTime), headers as they are.
    #[inline]
    pub fn append_stored(&mut self, buf: &mut Vec<u8>, record: &Record<'_>, timestamp_ms: i64) {
        let headers = record.headers;
        let header_bytes = super::varint_size(headers.len() as i64) + headers.raw().len() as u64;
        self.write_fields(buf, record.offset, timestamp_ms, record.key, record.value, header_bytes);
        write_varint(buf, headers.len() as i64);
        buf.extend_from_slice(headers.raw());
    }

    /// Length, attributes, deltas, key and value: everything but headers.
    #[inline]
    fn write_fields(
        &mut self,
        buf: &mut Vec<u8>,
        offset: i64,
        timestamp_ms: i64,
        key: Option<&[u8]>,
        value: Option<&[u8]>,
        header_bytes: u64,
    ) {
        // Java's long arithmetic: a delta that does not fit wraps (only
        // reachable with timestamps at the ends of the range).
        let offset_delta = offset.wrapping_sub(self.base_offset);
        let timestamp_delta = timestamp_ms.wrapping_sub(self.base_timestamp);
        let body = record_body_size(offset_delta, timestamp_delta, key, value, header_bytes);
        buf.reserve(body as usize + 5);
        write_varint(buf, body as i64);
        buf.push(0); // record attributes: unused in v2
        write_varint(buf, timestamp_delta);
        write_varint(buf, offset_delta);
        write_bytes_field(buf, key);
        write_bytes_field(buf, value);
        self.count += 1;
    }

    /// Patches the length, the last offset delta (`overrideLastOffset`: the
    /// cleaner keeps the original batch's last offset) and the count.
    pub fn finish(self, buf: &mut [u8], last_offset: i64) {
        let len = buf.len() - self.start;
        let b = &mut buf[self.start..];
        let length = i32::try_from(len - LOG_OVERHEAD).unwrap_or(i32::MAX);
        b[LENGTH_OFFSET..LENGTH_OFFSET + 4].copy_from_slice(&length.to_be_bytes());
        let delta = last_offset.wrapping_sub(self.base_offset) as i32;
        b[LAST_OFFSET_DELTA_OFFSET..LAST_OFFSET_DELTA_OFFSET + 4].copy_from_slice(&delta.to_be_bytes());
        b[RECORDS_COUNT_OFFSET..RECORDS_COUNT_OFFSET + 4].copy_from_slice(&self.count.to_be_bytes());
    }
}

/// A varint length then the bytes; null is length -1.
#[inline]
fn write_bytes_field(buf: &mut Vec<u8>, bytes: Option<&[u8]>) {
    match bytes {
        None => write_varint(buf, -1),
        Some(b) => {
            write_varint(buf, b.len() as i64);
            extend_short(buf, b);
        }
    }
}

/// `buf.extend_from_slice(bytes)`, with up to 16 bytes copied by fixed-size
/// moves. A copy of a length not known when compiling is a call to
/// `memcpy` (natively) or `memory.copy` (wasm), and in wasm that call costs
/// far more than moving a short key or value: the engine's `generate`
/// copies four such pieces per record (measured in Chromium).
#[inline(always)]
pub(crate) fn extend_short(buf: &mut Vec<u8>, bytes: &[u8]) {
    let n = bytes.len();
    if n > 16 {
        buf.extend_from_slice(bytes);
        return;
    }
    let at = buf.len();
    // Room for 16 (a fixed-size write), cut back to n below.
    buf.extend_from_slice(&[0u8; 16]);
    let dst = &mut buf[at..at + 16];
    // Two overlapping moves cover every length from w to 2w.
    if n >= 8 {
        dst[..8].copy_from_slice(&bytes[..8]);
        dst[n - 8..n].copy_from_slice(&bytes[n - 8..]);
    } else if n >= 4 {
        dst[..4].copy_from_slice(&bytes[..4]);
        dst[n - 4..n].copy_from_slice(&bytes[n - 4..]);
    } else if n > 0 {
        // 1 to 3 bytes: the first, the middle and the last.
        dst[0] = bytes[0];
        dst[n / 2] = bytes[n / 2];
        dst[n - 1] = bytes[n - 1];
    }
    buf.truncate(at + n);
}

/// `MemoryRecords.withEndTransactionMarker`: a control batch of one
/// record, key (int16 version 0, int16 type) and value (int16 version 0,
/// int32 coordinator epoch), transactional, base sequence -1, at
/// `timestamp_ms`: 78 bytes.
pub fn write_end_txn_marker(
    buf: &mut Vec<u8>,
    base_offset: i64,
    producer_id: i64,
    producer_epoch: i16,
    control_type: i16,
    coordinator_epoch: i32,
    timestamp_ms: i64,
) {
    let header = BatchHeader {
        is_transactional: true,
        is_control: true,
        producer_id,
        producer_epoch,
        ..BatchHeader::plain(base_offset, TimestampType::CreateTime, timestamp_ms)
    };
    let mut key = [0u8; 4];
    key[2..4].copy_from_slice(&control_type.to_be_bytes());
    let mut value = [0u8; 6];
    value[2..6].copy_from_slice(&coordinator_epoch.to_be_bytes());
    let mut w = BatchWriter::begin(buf, &header, timestamp_ms);
    w.append(buf, base_offset, timestamp_ms, Some(&key), Some(&value), &[]);
    w.finish(buf, base_offset);
}

/// `DefaultRecordBatch.writeEmptyHeader`: a batch with no records, keeping
/// `batch`'s offsets, producer fields and max timestamp (base timestamp -1,
/// no delete horizon), as the cleaner writes a batch it must keep although
/// every record went.
pub fn write_empty_header(buf: &mut Vec<u8>, batch: &RecordBatch) {
    let header = BatchHeader {
        delete_horizon_ms: None,
        ..BatchHeader::of(batch)
    };
    let w = BatchWriter::begin(buf, &header, super::NO_TIMESTAMP);
    w.finish(buf, batch.last_offset());
}

/// Appends to `buf` the batch `plain` (one uncompressed batch) compressed
/// with `codec`, in the engine's in-memory form: the header with the codec
/// in its attributes and the stored length, the compressed records, then
/// the records decompressed (see [`super`]). Records that cannot be
/// compressed (see [`super::compression::compress`]) are stored as `plain`
/// is, uncompressed: a size that differs from Kafka's, never a batch whose
/// codec does not match its bytes.
pub fn compress_into(buf: &mut Vec<u8>, plain: &[u8], codec: u8) {
    let header = &plain[..RECORD_BATCH_OVERHEAD as usize];
    let records = &plain[RECORD_BATCH_OVERHEAD as usize..];
    let Some(packed) = super::compression::compress(codec, records) else {
        buf.extend_from_slice(plain);
        return;
    };
    let start = buf.len();
    buf.extend_from_slice(header);
    let length = (RECORD_BATCH_OVERHEAD as usize - LOG_OVERHEAD + packed.len()) as i32;
    buf[start + LENGTH_OFFSET..start + LENGTH_OFFSET + 4].copy_from_slice(&length.to_be_bytes());
    let at = start + super::ATTRIBUTES_OFFSET;
    let attributes = (u16::from_be_bytes([buf[at], buf[at + 1]]) & !super::COMPRESSION_CODEC_MASK) | u16::from(codec);
    buf[at..at + 2].copy_from_slice(&attributes.to_be_bytes());
    buf.extend_from_slice(&packed);
    buf.extend_from_slice(records);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn a_short_extend_is_extend_from_slice(
            before in proptest::collection::vec(any::<u8>(), 0..40),
            bytes in proptest::collection::vec(any::<u8>(), 0..40),
        ) {
            let mut short = before.clone();
            extend_short(&mut short, &bytes);
            let mut plain = before;
            plain.extend_from_slice(&bytes);
            prop_assert_eq!(short, plain);
        }
    }

    #[test]
    fn a_short_extend_copies_every_length_exactly() {
        for n in 0..=20u8 {
            let bytes: Vec<u8> = (1..=n).collect();
            let mut buf = vec![0xAA; 3];
            extend_short(&mut buf, &bytes);
            assert_eq!(&buf[..3], &[0xAA; 3]);
            assert_eq!(&buf[3..], &bytes[..], "{n} bytes");
        }
    }
}
