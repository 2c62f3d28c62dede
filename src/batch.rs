//! A record batch (magic v2) and its exact encoded size.
//!
//! Models Kafka's `RecordBatch` / `DefaultRecordBatch` and the size rules of
//! `DefaultRecord.sizeInBytes`: a 61-byte header followed by records whose
//! fields are zig-zag varints relative to the batch's base offset and base
//! timestamp. Sizes matter because segment rolling, the dirty ratio and the
//! cleaner's grouping are all byte based. Simplified: batches are never
//! compressed, and the CRC is not computed (nothing here is written to disk).

use crate::record::{Header, Record, TimestampType};

/// `RECORD_BATCH_OVERHEAD`: the v2 batch header. An empty batch (all records
/// removed, kept by the cleaner) is exactly this size.
pub const RECORD_BATCH_OVERHEAD: u64 = 61;

/// `RecordBatch.NO_PRODUCER_ID`, `NO_PRODUCER_EPOCH`, `NO_SEQUENCE`.
pub const NO_PRODUCER_ID: i64 = -1;
pub const NO_PRODUCER_EPOCH: i16 = -1;
pub const NO_SEQUENCE: i32 = -1;
/// `RecordBatch.NO_TIMESTAMP`.
pub const NO_TIMESTAMP: i64 = -1;

/// A v2 record batch: the unit a producer sends and the cleaner keeps or drops.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordBatch {
    /// First offset of the batch. Kept by the cleaner even when the record
    /// at this offset is removed. Private, as are the records and the
    /// horizon: the encoded size depends on them, so only the batch's own
    /// methods change them, and they keep `size_bytes` in step.
    base_offset: i64,
    /// Last offset of the batch (`baseOffset + lastOffsetDelta`), also kept
    /// when the last record is removed: producers' sequence state needs it.
    last_offset: i64,
    /// Idempotent/transactional producer state; -1 for a plain producer.
    /// Present so that transactions can be added without reshaping batches.
    pub producer_id: i64,
    pub producer_epoch: i16,
    pub base_sequence: i32,
    pub is_transactional: bool,
    pub is_control: bool,
    pub timestamp_type: TimestampType,
    /// CreateTime: the largest record timestamp; LogAppendTime: the broker's
    /// clock at append. An emptied batch keeps its original value.
    pub max_timestamp_ms: i64,
    /// KIP-534: set by the cleaner the first time it retains a tombstone in
    /// this batch (`now + delete.retention.ms`); stored in Kafka as the base
    /// timestamp with attribute bit 0x40.
    delete_horizon_ms: Option<i64>,
    records: Vec<Record>,
    /// The encoded size of the fields above.
    size_bytes: u32,
}

impl RecordBatch {
    /// A batch of records from a plain (non-idempotent) producer. `records`
    /// must be non-empty with increasing offsets.
    pub(crate) fn new(records: Vec<Record>, timestamp_type: TimestampType, max_timestamp_ms: i64) -> Self {
        let base_offset = records.first().map_or(0, |r| r.offset);
        let last_offset = records.last().map_or(base_offset, |r| r.offset);
        let mut batch = RecordBatch {
            base_offset,
            last_offset,
            producer_id: NO_PRODUCER_ID,
            producer_epoch: NO_PRODUCER_EPOCH,
            base_sequence: NO_SEQUENCE,
            is_transactional: false,
            is_control: false,
            timestamp_type,
            max_timestamp_ms,
            delete_horizon_ms: None,
            records,
            size_bytes: 0,
        };
        batch.recompute_size();
        batch
    }

    /// The encoded size in bytes: header plus varint-framed records.
    pub fn size_bytes(&self) -> u64 {
        u64::from(self.size_bytes)
    }

    pub fn base_offset(&self) -> i64 {
        self.base_offset
    }

    pub fn last_offset(&self) -> i64 {
        self.last_offset
    }

    /// KIP-534: set by the cleaner the first time it retains a tombstone in
    /// this batch (`now + delete.retention.ms`).
    pub fn delete_horizon_ms(&self) -> Option<i64> {
        self.delete_horizon_ms
    }

    /// The records still in the batch, in offset order.
    pub fn records(&self) -> &[Record] {
        &self.records
    }

    /// Keeps the records for which `keep` is true (the cleaner's
    /// `filterTo`); the offsets of the batch do not change. Returns how many
    /// were removed.
    pub(crate) fn retain_records(&mut self, keep: impl FnMut(&Record) -> bool) -> usize {
        let before = self.records.len();
        self.records.retain(keep);
        let removed = before - self.records.len();
        if removed > 0 {
            self.rebuilt();
        }
        removed
    }

    /// Sets or clears the delete horizon, which becomes the base timestamp
    /// (so the records' timestamp deltas, and the size, change with it).
    pub(crate) fn set_delete_horizon_ms(&mut self, horizon_ms: Option<i64>) {
        if self.delete_horizon_ms != horizon_ms {
            self.delete_horizon_ms = horizon_ms;
            self.rebuilt();
        }
    }

    /// The batch's base timestamp: the delete horizon once the cleaner set
    /// one, else the first record's timestamp, else -1 (empty batch).
    pub fn base_timestamp_ms(&self) -> i64 {
        match self.delete_horizon_ms {
            Some(h) => h,
            None => self.records.first().map_or(NO_TIMESTAMP, |r| r.timestamp_ms),
        }
    }

    /// The timestamp a consumer sees for `record` (LogAppendTime batches
    /// report the batch's max timestamp for every record).
    pub fn timestamp_of(&self, record: &Record) -> i64 {
        match self.timestamp_type {
            TimestampType::LogAppendTime => self.max_timestamp_ms,
            TimestampType::CreateTime => record.timestamp_ms,
        }
    }

    /// The offset after this batch.
    pub fn next_offset(&self) -> i64 {
        self.last_offset + 1
    }

    /// True when a record of this batch is a tombstone.
    pub fn has_tombstone(&self) -> bool {
        self.records.iter().any(|r| r.has_key() && r.is_tombstone())
    }

    /// Number of records still in the batch (the cleaner may have removed
    /// some; `last_offset - base_offset + 1` is the original count).
    pub fn record_count(&self) -> usize {
        self.records.len()
    }

    /// The cleaner wrote this batch anew (`MemoryRecords.filterTo` builds a
    /// new batch unless it keeps every record and the horizon): Kafka's
    /// builder writes each record with the timestamp it reads, and a record
    /// of a LogAppendTime batch reads as the batch's append time, so its
    /// timestamp delta (and the batch's size) follow that time from now on.
    pub(crate) fn rebuilt(&mut self) {
        if self.timestamp_type == TimestampType::LogAppendTime {
            for r in &mut self.records {
                r.timestamp_ms = self.max_timestamp_ms;
            }
        }
        self.recompute_size();
    }

    /// Recomputes the encoded size after the records or the horizon changed.
    fn recompute_size(&mut self) {
        let base_ts = self.base_timestamp_ms();
        let records: u64 = self
            .records
            .iter()
            // Java's long arithmetic: a delta that does not fit wraps (only
            // reachable with timestamps at the ends of the range).
            .map(|r| {
                record_size_in_bytes(
                    r.offset.wrapping_sub(self.base_offset),
                    r.timestamp_ms.wrapping_sub(base_ts),
                    r,
                )
            })
            .sum();
        self.size_bytes = u32::try_from(RECORD_BATCH_OVERHEAD + records).unwrap_or(u32::MAX);
    }
}

/// `DefaultRecord.sizeInBytes`: varint(body length) + body, where the body is
/// attributes (1) + timestamp delta (varlong) + offset delta (varint) + key
/// and value (varint length, -1 for null, then the bytes) + header count and
/// headers.
pub fn record_size_in_bytes(offset_delta: i64, timestamp_delta: i64, record: &Record) -> u64 {
    let body = record_body_size(
        offset_delta,
        timestamp_delta,
        record.key.as_deref(),
        record.value.as_deref(),
        &record.headers,
    );
    varint_size(body as i64) + body
}

/// Size of a record body without its own length prefix.
pub fn record_body_size(
    offset_delta: i64,
    timestamp_delta: i64,
    key: Option<&[u8]>,
    value: Option<&[u8]>,
    headers: &[Header],
) -> u64 {
    let mut size = 1 + varint_size(timestamp_delta) + varint_size(offset_delta);
    size += bytes_field_size(key);
    size += bytes_field_size(value);
    size += varint_size(headers.len() as i64);
    for h in headers {
        size += bytes_field_size(Some(h.key.as_bytes()));
        size += bytes_field_size(h.value.as_deref());
    }
    size
}

/// The size of a single-record batch holding `key` and `value` at offset
/// delta 0 and timestamp delta 0: what one `produce` line appends.
pub fn single_record_batch_size(key: Option<&[u8]>, value: Option<&[u8]>) -> u64 {
    let body = record_body_size(0, 0, key, value, &[]);
    RECORD_BATCH_OVERHEAD + varint_size(body as i64) + body
}

fn bytes_field_size(bytes: Option<&[u8]>) -> u64 {
    match bytes {
        None => 1, // length -1 as a zig-zag varint
        Some(b) => varint_size(b.len() as i64) + b.len() as u64,
    }
}

/// Bytes taken by `value` as a zig-zag varint/varlong (`ByteUtils.sizeOfVarlong`):
/// 7 bits per byte, so -64..=63 take one byte, -8192..=8191 two, and so on.
pub fn varint_size(value: i64) -> u64 {
    let zigzag = ((value << 1) ^ (value >> 63)) as u64;
    let bits = 64 - zigzag.leading_zeros().min(63);
    u64::from(bits.div_ceil(7))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(offset: i64, ts: i64, key: Option<&str>, value: Option<&str>) -> Record {
        Record {
            offset,
            timestamp_ms: ts,
            key: key.map(|k| Box::from(k.as_bytes())),
            value: value.map(|v| Box::from(v.as_bytes())),
            headers: vec![],
        }
    }

    #[test]
    fn varint_sizes_follow_zigzag() {
        assert_eq!(varint_size(0), 1);
        assert_eq!(varint_size(-1), 1);
        assert_eq!(varint_size(63), 1);
        assert_eq!(varint_size(-64), 1);
        assert_eq!(varint_size(64), 2);
        assert_eq!(varint_size(-65), 2);
        assert_eq!(varint_size(8191), 2);
        assert_eq!(varint_size(8192), 3);
        assert_eq!(varint_size(i64::from(i32::MAX)), 5);
        assert_eq!(varint_size(i64::from(i32::MIN)), 5);
        assert_eq!(varint_size(1 << 40), 6);
        assert_eq!(varint_size(i64::MIN), 10);
    }

    #[test]
    fn one_byte_key_and_value_make_a_70_byte_batch() {
        let b = RecordBatch::new(vec![rec(0, 5, Some("0"), Some("0"))], TimestampType::CreateTime, 5);
        assert_eq!(b.size_bytes(), 70);
        assert_eq!(single_record_batch_size(Some(b"0"), Some(b"0")), 70);
    }

    #[test]
    fn worked_example_of_the_record_format_doc_is_103_bytes() {
        // kp_roundtrip_example.py: 3 records, one with a header and a null
        // header value, one tombstone, one unkeyed.
        let t0 = 1_700_000_000_000;
        let mut r0 = rec(0, t0, Some("k1"), Some("v1"));
        r0.headers.push(Header {
            key: "h1".into(),
            value: Some(Box::from(&b"x"[..])),
        });
        let mut r1 = rec(1, t0 + 7, Some("k2"), None);
        r1.headers.push(Header {
            key: "h-null".into(),
            value: None,
        });
        let r2 = rec(2, t0 + 3, None, Some("v3"));
        let b = RecordBatch::new(vec![r0, r1, r2], TimestampType::CreateTime, t0 + 7);
        assert_eq!(b.size_bytes(), 103);
    }

    #[test]
    fn sizes_from_appendix_a() {
        assert_eq!(single_record_batch_size(Some(b"10"), Some(b"10")), 72);
        assert_eq!(single_record_batch_size(Some(b"0"), None), 69);
        assert_eq!(single_record_batch_size(None, Some(b"0")), 69);
        // A 6-byte key with a 60-byte value needs a 2-byte length varint.
        assert_eq!(single_record_batch_size(Some(b"abcdef"), Some(&[b'v'; 60])), 135);
        // Two records of 1-byte keys and values in one batch: 61 + 9 + 9.
        let b = RecordBatch::new(
            vec![rec(0, 1, Some("a"), Some("b")), rec(1, 1, Some("c"), Some("d"))],
            TimestampType::CreateTime,
            1,
        );
        assert_eq!(b.size_bytes(), 79);
    }

    #[test]
    fn an_emptied_batch_is_a_bare_header() {
        let mut b = RecordBatch::new(vec![rec(3, 1, Some("a"), Some("b"))], TimestampType::CreateTime, 1);
        assert_eq!(b.retain_records(|_| false), 1);
        assert_eq!(b.size_bytes(), 61);
        assert_eq!((b.base_offset, b.last_offset), (3, 3));
    }

    #[test]
    fn stamping_a_horizon_rebases_timestamp_deltas_and_grows_the_batch() {
        let now = 1_704_067_200_000;
        let mut b = RecordBatch::new(vec![rec(0, now, Some("k"), None)], TimestampType::CreateTime, now);
        assert_eq!(b.size_bytes(), 69);
        b.set_delete_horizon_ms(Some(now + 86_400_000));
        // delta -86400000 takes 4 bytes instead of 1.
        assert_eq!(b.size_bytes(), 72);
    }
}
