//! One record of a partition: offset, timestamp, key, value and headers.
//!
//! Models Kafka's `Record` (`DefaultRecord`, magic v2) as a view over the
//! bytes of its batch, and `SimpleRecord`, what a producer sends. A `None` value is a
//! tombstone ("null payload"); a `None` key is an unkeyed record, which a
//! compacted topic refuses. Keys and values are bytes, as on a broker; the
//! scenario language and the UI show them as UTF-8 text. [`TimestampType`]
//! lives here, with the records it describes, so that record formats do not
//! depend on topic configs (`message.timestamp.type` only chooses one).

use std::fmt;

use serde::Serialize;

/// Kafka's `TimestampType`: which timestamp a batch carries, and so which
/// one drives rolling, lag and retention (chosen by the topic config
/// `message.timestamp.type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum TimestampType {
    /// The producer's timestamp (Kafka's default).
    CreateTime,
    /// The broker's clock when the batch was appended.
    LogAppendTime,
}

impl TimestampType {
    /// Every value, in Kafka's declaration order (that of its config
    /// validator, "String must be one of: CreateTime, LogAppendTime").
    pub const ALL: [TimestampType; 2] = [TimestampType::CreateTime, TimestampType::LogAppendTime];

    /// Kafka's name: `CreateTime` or `LogAppendTime`.
    pub const fn name(self) -> &'static str {
        match self {
            TimestampType::CreateTime => "CreateTime",
            TimestampType::LogAppendTime => "LogAppendTime",
        }
    }
}

impl fmt::Display for TimestampType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A record header a producer sends; headers count towards the encoded size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// Header keys are UTF-8 strings and never null (Kafka's rule).
    pub key: String,
    /// `None` is a null header value.
    pub value: Option<Box<[u8]>>,
}

/// A record as the log stores it, read from its batch's bytes: the key,
/// value and headers borrow the segment, so reading a record allocates
/// nothing (Kafka's `DefaultRecord` over its `ByteBuffer`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record<'a> {
    /// Assigned by the log at append; never changes afterwards, also not when
    /// the cleaner removes the records around it.
    pub offset: i64,
    /// The timestamp stored with the record: the producer's CreateTime (or -1
    /// when the producer gave none). With `LogAppendTime` a reader sees the
    /// batch's max timestamp instead ([`crate::batch::RecordBatch::timestamp_of`]).
    pub timestamp_ms: i64,
    /// `None`: no key (refused by compacted topics).
    pub key: Option<&'a [u8]>,
    /// `None`: a tombstone, the delete marker of compaction.
    pub value: Option<&'a [u8]>,
    pub headers: RecordHeaders<'a>,
}

impl Record<'_> {
    /// A keyed record has a key; the cleaner drops unkeyed ones.
    pub fn has_key(&self) -> bool {
        self.key.is_some()
    }

    /// A tombstone is a record with a null value.
    pub fn is_tombstone(&self) -> bool {
        self.value.is_none()
    }
}

/// The headers of a stored record: their count and encoded bytes, decoded
/// when iterated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RecordHeaders<'a> {
    count: usize,
    bytes: &'a [u8],
}

impl<'a> RecordHeaders<'a> {
    /// Headers over `bytes` (each a varint-framed key and value), as the
    /// batch reader found them; the reader has checked that `count` of them
    /// fill `bytes` exactly.
    pub(crate) fn new(count: usize, bytes: &'a [u8]) -> Self {
        RecordHeaders { count, bytes }
    }

    /// Number of headers.
    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The encoded headers after their count (what the cleaner copies).
    pub(crate) fn raw(&self) -> &'a [u8] {
        self.bytes
    }

    /// `(key, value)` pairs in order; a `None` value is a null header value.
    pub fn iter(&self) -> impl Iterator<Item = (&'a [u8], Option<&'a [u8]>)> + 'a {
        let bytes = self.bytes;
        let mut pos = 0;
        (0..self.count).map_while(move |_| {
            let key = crate::batch::read_bytes_field(bytes, &mut pos)?;
            let value = crate::batch::read_bytes_field(bytes, &mut pos)?;
            Some((key.unwrap_or_default(), value))
        })
    }
}

/// What a producer sends: a record before the log gave it an offset
/// (Kafka's `SimpleRecord`). Borrows its key, value and headers: the log
/// copies them straight into the batch bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SimpleRecord<'a> {
    pub timestamp_ms: i64,
    pub key: Option<&'a [u8]>,
    pub value: Option<&'a [u8]>,
    pub headers: &'a [Header],
}

impl<'a> SimpleRecord<'a> {
    /// A record without headers; `None` stands for null.
    pub fn new(timestamp_ms: i64, key: Option<&'a [u8]>, value: Option<&'a [u8]>) -> Self {
        SimpleRecord {
            timestamp_ms,
            key,
            value,
            headers: &[],
        }
    }
}

/// Shows bytes as text when they are UTF-8, else as `0x…` hex (as the UI
/// and the CLI print keys and values).
pub fn display_bytes(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => {
            let mut out = String::with_capacity(2 + bytes.len() * 2);
            out.push_str("0x");
            for b in bytes {
                out.push_str(&format!("{b:02x}"));
            }
            out
        }
    }
}
