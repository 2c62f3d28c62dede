//! The partition log through the broker's API: record and batch sizes, the
//! roll rules of Kafka's `LogSegment.shouldRoll`, produce validation and
//! fetch semantics (cleaner.md §3 and §6).

use kcp::batch::single_record_batch_size;
use kcp::clock::START_MS;
use kcp::log_manager::{LogManager, ProduceRequest};
use kcp::Error;

fn broker_with(configs: &[(&str, &str)]) -> LogManager {
    let mut b = LogManager::default();
    b.create_topic("t", 1, configs).unwrap();
    b
}

fn produce(b: &mut LogManager, key: &str, value: &str) -> kcp::log_manager::ProduceResult {
    b.produce(ProduceRequest::new("t", Some(key.as_bytes()), Some(value.as_bytes())))
        .unwrap()
}

/// Produces `n` records (keys 0..n) and returns the roll each one caused.
fn roll_reasons(b: &mut LogManager, n: usize) -> Vec<Option<&'static str>> {
    (0..n)
        .map(|i| produce(b, &i.to_string(), "v").rolled.map(|r| r.describe()))
        .collect()
}

fn produce_bytes(b: &mut LogManager, key: &[u8], value: &[u8]) -> kcp::Result<kcp::log_manager::ProduceResult> {
    b.produce(ProduceRequest::new("t", Some(key), Some(value)))
}

fn produce_at(b: &mut LogManager, ts: i64, key: &str) -> kcp::Result<kcp::log_manager::ProduceResult> {
    b.produce(ProduceRequest {
        timestamp_ms: Some(ts),
        ..ProduceRequest::new("t", Some(key.as_bytes()), Some(b"v"))
    })
}

fn segment_bases(b: &LogManager) -> Vec<i64> {
    b.partition("t", 0)
        .unwrap()
        .segments()
        .iter()
        .map(|s| s.base_offset())
        .collect()
}

#[test]
fn a_one_byte_key_and_value_make_a_70_byte_batch_and_larger_records_grow_by_their_varints() {
    assert_eq!(single_record_batch_size(Some(b"0"), Some(b"0")), 70);
    assert_eq!(single_record_batch_size(Some(b"10"), Some(b"10")), 72);
    assert_eq!(single_record_batch_size(Some(b"0"), None), 69);
    assert_eq!(single_record_batch_size(Some(b"hello"), Some(b"hello")), 78);
    assert_eq!(single_record_batch_size(Some(b"abcdef"), Some(&[b'x'; 60])), 135);
    // A 200-byte value: value length varint 2 bytes, body length varint 2 bytes.
    assert_eq!(
        single_record_batch_size(Some(b"k"), Some(&[b'x'; 200])),
        61 + 2 + 1 + 1 + 1 + 1 + 1 + 2 + 200 + 1
    );
}

#[test]
fn segment_sizes_are_the_sum_of_their_batches() {
    let mut b = broker_with(&[("cleanup.policy", "compact")]);
    for i in 0..12 {
        produce(&mut b, &i.to_string(), &i.to_string());
    }
    // 10 batches of 70 bytes (one-digit) and 2 of 72 (two digits).
    assert_eq!(b.partition("t", 0).unwrap().size_bytes(), 10 * 70 + 2 * 72);
}

#[test]
fn offsets_are_assigned_from_the_log_end_offset_without_gaps() {
    let mut b = broker_with(&[]);
    for i in 0..5 {
        assert_eq!(produce(&mut b, "k", "v").offset, i);
    }
    assert_eq!(b.partition("t", 0).unwrap().log_end_offset(), 5);
    assert_eq!(b.partition("t", 0).unwrap().high_watermark(), 5);
}

#[test]
fn size_roll_happens_when_the_batch_would_push_the_segment_past_segment_bytes() {
    // 10 batches of 70 bytes fit exactly in 700: a segment may end at segment.bytes.
    let mut b = broker_with(&[("segment.bytes", "700")]);
    for i in 0..10 {
        assert!(
            produce(&mut b, &i.to_string(), "v").rolled.is_none(),
            "record {i} must fit"
        );
    }
    let r = produce(&mut b, "x", "v");
    assert_eq!(r.rolled.map(|r| r.describe()), Some("segment.bytes"));
    assert_eq!(segment_bases(&b), vec![0, 10]);
    assert_eq!(b.partition("t", 0).unwrap().segments()[0].size_bytes(), 700);
}

#[test]
fn time_roll_is_driven_by_record_timestamps_and_is_strictly_greater_than_segment_ms() {
    let mut b = broker_with(&[("segment.ms", "3600")]);
    produce_at(&mut b, START_MS, "a").unwrap();
    // Exactly segment.ms after the first batch: no roll (the rule is >).
    assert!(produce_at(&mut b, START_MS + 3600, "b").unwrap().rolled.is_none());
    // One millisecond more rolls, although the simulated clock never moved.
    let r = produce_at(&mut b, START_MS + 3601, "c").unwrap();
    assert_eq!(r.rolled.map(|r| r.describe()), Some("segment.ms"));
    assert_eq!(segment_bases(&b), vec![0, 2]);
}

#[test]
fn an_empty_active_segment_never_rolls_by_time() {
    let mut b = broker_with(&[("segment.ms", "1000")]);
    b.advance_ms(10_000).unwrap();
    assert!(produce(&mut b, "a", "v").rolled.is_none());
    assert_eq!(segment_bases(&b), vec![0]);
}

#[test]
fn without_timestamps_the_time_roll_uses_the_segment_creation_time() {
    // Kafka's testTimeBasedLogRollDuringAppend: records with no timestamp
    // fall back to the wall clock since the segment was created.
    let mut b = broker_with(&[("segment.ms", "3600")]);
    b.advance_ms(3601).unwrap();
    assert!(
        produce_at(&mut b, -1, "a").unwrap().rolled.is_none(),
        "an empty segment never rolls"
    );
    let r = produce_at(&mut b, -1, "b").unwrap();
    assert!(r.rolled.is_some(), "3601 ms since the segment was created");
    assert_eq!(segment_bases(&b), vec![0, 1]);
}

#[test]
fn max_compaction_lag_caps_the_time_roll_of_compacted_topics_only() {
    let mut b = LogManager::default();
    b.create_topic(
        "t",
        1,
        &[("cleanup.policy", "compact"), ("max.compaction.lag.ms", "1000")],
    )
    .unwrap();
    b.create_topic(
        "d",
        1,
        &[("cleanup.policy", "delete"), ("max.compaction.lag.ms", "1000")],
    )
    .unwrap();
    for topic in ["t", "d"] {
        b.produce(ProduceRequest {
            timestamp_ms: Some(START_MS),
            ..ProduceRequest::new(topic, Some(b"k"), Some(b"v"))
        })
        .unwrap();
    }
    let rolled = |b: &mut LogManager, topic| {
        b.produce(ProduceRequest {
            timestamp_ms: Some(START_MS + 1001),
            ..ProduceRequest::new(topic, Some(b"k"), Some(b"v"))
        })
        .unwrap()
        .rolled
    };
    assert_eq!(rolled(&mut b, "t").map(|r| r.describe()), Some("max.compaction.lag.ms"));
    assert_eq!(rolled(&mut b, "d"), None);
}

#[test]
fn segment_jitter_shortens_the_time_roll_deterministically() {
    let run = || {
        let mut b = broker_with(&[("segment.ms", "3600"), ("segment.jitter.ms", "1200")]);
        let mut rolls = Vec::new();
        for i in 0..40 {
            rolls.push(produce_at(&mut b, START_MS + i * 200, "k").unwrap().rolled.is_some());
        }
        (rolls, segment_bases(&b))
    };
    let (a, bases) = run();
    assert_eq!(a, run().0, "the jitter comes from a seeded generator");
    // With jitter in [0, 1200) every segment rolls after at most 3600 ms and
    // more than 2400 ms of record time: between 13 and 19 records of 200 ms.
    for w in bases.windows(2) {
        let span = w[1] - w[0];
        assert!((13..=19).contains(&span), "segment of {span} records");
    }
}

#[test]
fn a_full_offset_index_rolls_the_segment() {
    // index.interval.bytes=0: an index entry before every batch after the
    // first. segment.index.bytes=24 holds three offset entries (8 bytes) and
    // two time entries (12 bytes); equal timestamps add one time entry only.
    let mut b = broker_with(&[("index.interval.bytes", "0"), ("segment.index.bytes", "24")]);
    let rolled = roll_reasons(&mut b, 6);
    assert_eq!(rolled, vec![None, None, None, None, Some("segment.index.bytes"), None]);
}

#[test]
fn a_full_time_index_rolls_the_segment_first_when_it_is_smaller() {
    // segment.index.bytes=16: two offset entries but one time entry.
    let mut b = broker_with(&[("index.interval.bytes", "0"), ("segment.index.bytes", "16")]);
    let rolled = roll_reasons(&mut b, 6);
    assert_eq!(
        rolled,
        vec![
            None,
            None,
            Some("segment.index.bytes"),
            None,
            Some("segment.index.bytes"),
            None
        ]
    );
}

#[test]
fn an_explicit_roll_creates_an_empty_active_segment_at_the_log_end_offset_only_once() {
    let mut b = broker_with(&[]);
    produce(&mut b, "a", "v");
    assert_eq!(b.roll("t", None).unwrap(), vec![0]);
    assert_eq!(
        b.roll("t", Some(0)).unwrap(),
        Vec::<u32>::new(),
        "rolling an empty active segment changes nothing"
    );
    assert_eq!(segment_bases(&b), vec![0, 1]);
    assert!(matches!(b.roll("t", Some(3)), Err(Error::UnknownTopicOrPartition(_))));
}

#[test]
fn a_null_key_is_rejected_on_compacted_topics_and_nothing_is_appended() {
    for policy in ["compact", "compact,delete", "delete,compact"] {
        let mut b = broker_with(&[("cleanup.policy", policy)]);
        let err = b.produce(ProduceRequest::new("t", None, Some(b"v"))).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Compacted topic cannot accept message without key in topic partition t-0"
        );
        assert!(matches!(err, Error::InvalidRecord(_)));
        assert_eq!(b.partition("t", 0).unwrap().log_end_offset(), 0);
    }
    let mut b = broker_with(&[("cleanup.policy", "delete")]);
    b.produce(ProduceRequest::new("t", None, Some(b"v"))).unwrap();
}

#[test]
fn an_empty_key_is_a_key() {
    let mut b = broker_with(&[("cleanup.policy", "compact")]);
    let r = b.produce(ProduceRequest::new("t", Some(b""), Some(b"v"))).unwrap();
    assert_eq!(r.offset, 0);
}

#[test]
fn batches_larger_than_max_message_bytes_or_segment_bytes_are_rejected_with_kafkas_messages() {
    let mut b = broker_with(&[("max.message.bytes", "100")]);
    let err = produce_bytes(&mut b, b"k", &[b'x'; 40]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "The record batch size in the append to t-0 is 109 bytes which exceeds the maximum configured value of 100."
    );
    let mut b = broker_with(&[("segment.bytes", "100")]);
    let err = produce_bytes(&mut b, b"k", &[b'x'; 40]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Message batch size is 109 bytes in append to partition t-0, which exceeds the maximum configured segment size of 100."
    );
    assert_eq!(b.partition("t", 0).unwrap().log_end_offset(), 0);
}

#[test]
fn create_time_timestamps_too_far_in_the_future_are_rejected() {
    let mut b = broker_with(&[]);
    // message.timestamp.after.max.ms defaults to one hour in Kafka 4.0.
    assert!(produce_at(&mut b, START_MS + 3_600_000, "ok").is_ok());
    let err = produce_at(&mut b, START_MS + 3_600_001, "late").unwrap_err();
    assert!(matches!(err, Error::InvalidTimestamp(_)));
    assert!(
        err.to_string()
            .starts_with("Timestamp 1704070800001 of message with offset 0 is out of range."),
        "{err}"
    );
    // LogAppendTime topics ignore the producer's timestamp.
    let mut b = broker_with(&[("message.timestamp.type", "LogAppendTime")]);
    let r = produce_at(&mut b, START_MS + 99_999_999, "k").unwrap();
    assert_eq!(r.timestamp_ms, START_MS);
}

#[test]
fn fetching_a_removed_offset_returns_the_next_surviving_record() {
    let mut b = broker_with(&[("cleanup.policy", "compact")]);
    for (k, v) in [("a", "1"), ("a", "2"), ("b", "1"), ("a", "3"), ("c", "1")] {
        produce(&mut b, k, v);
    }
    b.roll("t", None).unwrap();
    b.clean_partition("t", 0).unwrap();
    let offsets = |from| {
        b.consume("t", 0, Some(from), usize::MAX)
            .unwrap()
            .iter()
            .map(|r| r.offset)
            .collect::<Vec<_>>()
    };
    assert_eq!(offsets(0), vec![2, 3, 4]);
    assert_eq!(offsets(1), vec![2, 3, 4]);
    assert_eq!(offsets(4), vec![4]);
    assert_eq!(offsets(5), Vec::<i64>::new(), "the log end offset is an empty fetch");
    assert_eq!(b.consume("t", 0, Some(0), 1).unwrap().len(), 1);
}

#[test]
fn fetching_below_the_log_start_or_past_the_end_is_out_of_range() {
    let mut b = broker_with(&[
        ("cleanup.policy", "delete"),
        ("segment.bytes", "140"),
        ("retention.bytes", "0"),
    ]);
    for i in 0..4 {
        produce(&mut b, &i.to_string(), "v");
    }
    b.run_retention().unwrap();
    let log = b.partition("t", 0).unwrap();
    assert_eq!(log.log_start_offset(), 4);
    let err = b.consume("t", 0, Some(1), 10).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Received request for offset 1 for partition t-0, but we only have log segments starting from offset: 4."
    );
    let err = b.consume("t", 0, Some(9), 10).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Received request for offset 9 for partition t-0, but we only have log segments upto 4."
    );
}

#[test]
fn the_java_partitioner_places_keyed_records_and_sticks_for_null_keys() {
    let mut b = LogManager::default();
    b.create_topic("t", 12, &[]).unwrap();
    // Kafka's murmur2 vector: "100:48069" goes to partition 9 of 12.
    let r = b
        .produce(ProduceRequest::new("t", Some(b"100:48069"), Some(b"v")))
        .unwrap();
    assert_eq!(r.topic_partition.partition, 9);
    let nulls: Vec<u32> = (0..5)
        .map(|_| {
            b.produce(ProduceRequest::new("t", None, Some(b"v")))
                .unwrap()
                .topic_partition
                .partition
        })
        .collect();
    assert!(
        nulls.windows(2).all(|w| w[0] == w[1]),
        "null keys stick to one partition: {nulls:?}"
    );
    let err = b
        .produce(ProduceRequest {
            partition: Some(12),
            ..ProduceRequest::new("t", Some(b"k"), Some(b"v"))
        })
        .unwrap_err();
    assert!(matches!(err, Error::UnknownTopicOrPartition(_)));
}

#[test]
fn topics_are_created_once_with_valid_names_and_partition_counts() {
    let mut b = LogManager::default();
    b.create_topic("t", 3, &[]).unwrap();
    assert_eq!(
        b.create_topic("t", 1, &[]).unwrap_err().to_string(),
        "Topic 't' already exists."
    );
    assert!(matches!(
        b.create_topic("bad/name", 1, &[]),
        Err(Error::InvalidTopic(_))
    ));
    assert_eq!(
        b.create_topic("z", 0, &[]).unwrap_err().to_string(),
        "Number of partitions must be larger than 0."
    );
    let err = b.create_topic("c", 1, &[("segment.ms", "0")]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Invalid value 0 for configuration segment.ms: Value must be at least 1"
    );
    assert!(b.topic("c").is_err(), "a rejected create creates nothing");
}

#[test]
fn retention_deletes_whole_old_segments_and_moves_the_log_start_offset() {
    let mut b = broker_with(&[("segment.bytes", "140"), ("retention.ms", "60000")]);
    for i in 0..4 {
        produce(&mut b, &i.to_string(), "v");
    }
    b.advance_ms(30_000).unwrap();
    for i in 4..6 {
        produce(&mut b, &i.to_string(), "v");
    }
    assert_eq!(segment_bases(&b), vec![0, 2, 4]);
    b.advance_ms(30_001).unwrap();
    let deleted = b.run_retention().unwrap();
    assert_eq!(deleted.iter().map(|d| d.base_offset).collect::<Vec<_>>(), vec![0, 2]);
    assert_eq!(b.partition("t", 0).unwrap().log_start_offset(), 4);
    // Compacted logs are left to the cleaner thread.
    let mut c = broker_with(&[
        ("cleanup.policy", "compact"),
        ("segment.bytes", "140"),
        ("retention.ms", "1"),
    ]);
    produce(&mut c, "a", "v");
    produce(&mut c, "b", "v");
    produce(&mut c, "c", "v");
    c.advance_ms(10).unwrap();
    assert!(c.run_retention().unwrap().is_empty());
}

#[test]
fn size_retention_can_delete_the_active_segment_after_rolling() {
    let mut b = broker_with(&[("segment.bytes", "140"), ("retention.bytes", "0")]);
    for i in 0..3 {
        produce(&mut b, &i.to_string(), "v");
    }
    let deleted = b.run_retention().unwrap();
    assert_eq!(deleted.len(), 2);
    let log = b.partition("t", 0).unwrap();
    assert_eq!(log.log_start_offset(), 3);
    assert_eq!(segment_bases(&b), vec![3]);
    assert_eq!(log.size_bytes(), 0);
    assert!(
        b.run_retention().unwrap().is_empty(),
        "a final empty segment is never deleted"
    );
}

/// A segment is its encoded bytes: once inactive (rolled, or written by the
/// cleaner) it holds at most an eighth more than its size, plus 4 bytes a
/// batch for its positions, and its batches read back as the records that
/// were produced.
#[test]
fn segments_hold_their_encoded_bytes_and_little_more() {
    let mut b = broker_with(&[("cleanup.policy", "compact"), ("segment.bytes", "4096")]);
    let req = kcp::log_manager::GenerateRequest {
        topic: "t",
        count: 20_000,
        keys: std::num::NonZeroU64::new(300).unwrap(),
        seed: 5,
        tombstones: 0.1,
        value_bytes: Some(20),
    };
    b.generate(req).unwrap();
    b.roll("t", None).unwrap();
    let check = |b: &LogManager| {
        let log = b.partition("t", 0).unwrap();
        let segments = log.segments();
        for s in &segments[..segments.len() - 1] {
            let bytes: usize = s.batches().iter().map(|batch| batch.as_bytes().len()).sum();
            assert_eq!(bytes as u64, s.size_bytes());
            assert_eq!(s.as_bytes().len() as u64, s.size_bytes());
            let allowed = s.size_bytes() + s.size_bytes() / 8 + 4 * s.batches().len() as u64;
            assert!(s.heap_bytes() <= allowed, "{} > {allowed}", s.heap_bytes());
        }
        assert_eq!(log.size_bytes(), segments.iter().map(|s| s.size_bytes()).sum::<u64>());
    };
    check(&b);
    let first = b
        .partition("t", 0)
        .unwrap()
        .records()
        .next()
        .map(|(_, r)| (r.offset, r.key, r.value));
    assert_eq!(first.map(|(o, k, _)| (o, k.is_some())), Some((0, true)));
    b.clean_partition("t", 0).unwrap();
    check(&b);
}
