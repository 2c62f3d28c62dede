//! One record in full, for the record inspector: its key and value whole
//! (a JSON value pretty-printed), headers, timestamp and its type, its batch
//! and segment, and its fate across the session's cleanings (which of them
//! read it and kept it). Pure data read from the log's bytes and the
//! session's entries, so it is tested natively.
//!
//! Bounded: a value is shown up to [`MAX_SHOWN`] bytes (Kafka's default
//! `max.request.size` is 1 MiB; a page need not paint a megabyte), and the
//! lookup decodes only the record's own segment.

use crate::log::PartitionLog;
use crate::record::{display_bytes, TimestampType};
use crate::ui::session::Entry;

/// Bytes of a key or value shown at most.
pub const MAX_SHOWN: usize = 64 * 1024;

/// A key or a value as the inspector shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    pub text: String,
    /// It parsed as JSON and is shown pretty-printed.
    pub json: bool,
    /// Its size in bytes, and whether the text stops short of it.
    pub len: usize,
    pub cut: bool,
}

/// One cleaning that read the record's offset and kept it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept {
    /// The session line that cleaned (a `clean` or a `run`).
    pub seq: usize,
    pub time_ms: i64,
    /// The range it cleaned: `[first dirty, end)`.
    pub first_dirty_offset: i64,
    pub end_offset: i64,
}

/// A record in full.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspected {
    pub offset: i64,
    pub key: Option<Shown>,
    /// `None`: a tombstone.
    pub value: Option<Shown>,
    pub headers: Vec<(String, Option<String>)>,
    pub timestamp_ms: i64,
    pub log_append_time: bool,
    /// Its batch: first and last offset, records, size, producer id.
    pub batch: (i64, i64, usize, u64),
    pub producer_id: i64,
    /// Its batch's producer fields and transaction outcome, for an
    /// idempotent or transactional producer's batch.
    pub producer: Option<crate::ui::log_window::ProducerFields>,
    pub delete_horizon_ms: Option<i64>,
    pub segment_base: i64,
    pub in_active_segment: bool,
    /// The cleanings whose range covered it (each kept it: it is here).
    pub kept_by: Vec<Kept>,
}

fn shown(bytes: &[u8]) -> Shown {
    let cut = bytes.len() > MAX_SHOWN;
    let head = &bytes[..bytes.len().min(MAX_SHOWN)];
    // Only objects and arrays gain from pretty-printing; the check parses
    // without building a map, and the printing keeps the keys' order.
    let container = matches!(head.iter().find(|b| !b.is_ascii_whitespace()), Some(b'{' | b'['));
    if !cut && container && serde_json::from_slice::<serde::de::IgnoredAny>(head).is_ok() {
        if let Ok(text) = std::str::from_utf8(head) {
            return Shown {
                text: pretty_json(text),
                json: true,
                len: bytes.len(),
                cut,
            };
        }
    }
    Shown {
        text: display_bytes(head),
        json: false,
        len: bytes.len(),
        cut,
    }
}

/// Valid JSON re-indented two spaces a level, in its own order (serde_json's
/// `Value` would sort object keys). Strings are copied as written.
fn pretty_json(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    let mut depth = 0usize;
    let (mut in_string, mut escaped) = (false, false);
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.extend(std::iter::repeat_n(' ', depth * 2));
    };
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                // An empty object or array stays on one line.
                while chars.peek().is_some_and(|c| c.is_whitespace()) {
                    chars.next();
                }
                if matches!(chars.peek(), Some('}' | ']')) {
                    continue;
                }
                depth += 1;
                newline(&mut out, depth);
            }
            '}' | ']' => {
                if !matches!(out.chars().last(), Some('{' | '[')) {
                    depth = depth.saturating_sub(1);
                    newline(&mut out, depth);
                }
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c if c.is_whitespace() => {}
            c => out.push(c),
        }
    }
    out
}

/// The record at `offset` of `log`, if the log holds one there, with the
/// cleanings of `entries` that covered it.
pub fn inspect(log: &PartitionLog, offset: i64, entries: &[Entry]) -> Option<Inspected> {
    let i = log.segment_index_for(offset)?;
    let segment = log.segments().get(i)?;
    let batches = segment.batches();
    let b = batches
        .iter()
        .find(|b| b.base_offset() <= offset && offset <= b.last_offset())?;
    let r = b.records().find(|r| r.offset == offset)?;
    let headers = r
        .headers
        .iter()
        .map(|(k, v)| (display_bytes(k), v.map(display_bytes)))
        .collect();
    let tp = log.topic_partition();
    let mut kept_by = Vec::new();
    for e in entries {
        let mut add = |time_ms, first_dirty_offset, end_offset| {
            // A cleaning rewrites the log from its start up to `end`: every
            // record below `end` was read, and this one was kept.
            if offset < end_offset {
                kept_by.push(Kept {
                    seq: e.seq,
                    time_ms,
                    first_dirty_offset,
                    end_offset,
                });
            }
        };
        if let Some(c) = e.result.cleaned().and_then(|c| c.cleaned.as_ref()) {
            if &c.topic_partition == tp {
                add(c.now_ms, c.first_dirty_offset, c.end_offset);
            }
        }
        if let Some(run) = e.result.ran() {
            for c in run.cleanings.iter().filter(|c| &c.topic_partition == tp) {
                add(c.time_ms, c.first_dirty_offset, c.end_offset);
            }
        }
    }
    Some(Inspected {
        offset,
        key: r.key.map(shown),
        value: r.value.map(shown),
        headers,
        timestamp_ms: b.timestamp_of(&r),
        log_append_time: b.timestamp_type() == TimestampType::LogAppendTime,
        batch: (b.base_offset(), b.last_offset(), b.record_count(), b.size_bytes()),
        producer_id: b.producer_id(),
        producer: crate::ui::log_window::Transactions::of(log, b.base_offset()).fields(b),
        delete_horizon_ms: b.delete_horizon_ms(),
        segment_base: segment.base_offset(),
        in_active_segment: i + 1 == log.segments().len(),
        kept_by,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::session::Session;

    fn session(script: &str) -> Session {
        let mut s = Session::default();
        s.load(script).unwrap();
        s
    }

    #[test]
    fn a_record_in_full_with_the_cleanings_that_kept_it() {
        let s = session(
            "topic t cleanup.policy=compact min.cleanable.dirty.ratio=0.01\nproduce t a:{\"name\":\"Ann\",\"city\":\"Oslo\"}\nproduce t a:2\nproduce t b:plain\nroll t\nclean\nproduce t c:3\nroll t\nclean\n",
        );
        let log = s.broker.topic("t").unwrap().partition(0).unwrap();
        let r = inspect(log, 1, &s.entries).unwrap();
        assert_eq!(r.key.as_ref().map(|k| k.text.as_str()), Some("a"));
        assert_eq!(r.value.as_ref().map(|v| (v.text.as_str(), v.json)), Some(("2", false)));
        assert_eq!(r.batch.0, 1);
        assert_eq!((r.producer_id, r.producer), (-1, None));
        assert!(!r.in_active_segment);
        // Both cleanings read offset 1 and kept it.
        assert_eq!(
            r.kept_by.iter().map(|k| (k.seq, k.end_offset)).collect::<Vec<_>>(),
            [(6, 3), (9, 4)]
        );
        // Offset 0 was removed: nothing to inspect.
        assert_eq!(inspect(log, 0, &s.entries), None);
        assert_eq!(inspect(log, 99, &s.entries), None);
        // The newest record: written after the first cleaning, kept by the second.
        let c = inspect(log, 3, &s.entries).unwrap();
        assert_eq!(c.kept_by.len(), 1);
    }

    #[test]
    fn a_transactional_record_shows_its_producer_fields_and_outcome() {
        use crate::ui::log_window::{ProducerFields, TxnOutcome};
        let s = session("topic t\nproducer tx transactional.id=x\nbegin tx\nproduce t producer=tx a:1\nproduce t producer=tx b:2\nabort tx\n");
        let log = s.broker.topic("t").unwrap().partition(0).unwrap();
        let r = inspect(log, 1, &s.entries).unwrap();
        assert_eq!(
            r.producer,
            Some(ProducerFields {
                producer_id: 0,
                producer_epoch: 0,
                base_sequence: 1,
                txn: Some(TxnOutcome::Aborted)
            })
        );
        assert_eq!(
            r.producer.map(|p| p.describe()).as_deref(),
            Some("producer id 0 · epoch 0 · base sequence 1 · transactional, aborted")
        );
    }

    #[test]
    fn json_values_are_pretty_and_big_ones_are_cut() {
        assert_eq!(
            shown(br#"{"name":"Ann","age":3}"#).text,
            "{\n  \"name\": \"Ann\",\n  \"age\": 3\n}"
        );
        assert_eq!(
            shown(br#" {"a": [1, {}], "b\"}": "x, y", "c": [ ] }"#).text,
            "{\n  \"a\": [\n    1,\n    {}\n  ],\n  \"b\\\"}\": \"x, y\",\n  \"c\": []\n}"
        );
        assert!(!shown(b"42").json, "a bare number stays as written");
        assert!(!shown(b"{not json").json);
        let big = vec![b'x'; MAX_SHOWN + 10];
        let s = shown(&big);
        assert!(s.cut);
        assert_eq!((s.text.len(), s.len), (MAX_SHOWN, MAX_SHOWN + 10));
        assert_eq!(shown(&[0xff, 0x00]).text, "0xff00");
    }
}
