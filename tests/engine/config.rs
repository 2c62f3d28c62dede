//! Topic and broker configs: Kafka 4.0's defaults, parsing rules, validators
//! and error wording (`LogConfig`, `CleanerConfig`, `ConfigDef`), the broker
//! synonyms that supply topic defaults, and the offset-map capacity.

use kcp::config::*;
use kcp::rng::SplitMix64;
use kcp::Error;

/// Creates a topic's overrides in one request, as `kafka-topics --create --config ...`.
fn create(changes: &[(&str, &str)]) -> kcp::Result<TopicOverrides> {
    TopicOverrides::default().with(changes, &BrokerConfig::default())
}

/// The Kafka message of a rejected config request (always InvalidConfig).
fn rejection<T: std::fmt::Debug>(result: kcp::Result<T>) -> String {
    match result {
        Err(e @ Error::InvalidConfig(_)) => e.to_string(),
        other => panic!("expected InvalidConfig, got {other:?}"),
    }
}

/// The message for setting one topic config to one value on a new topic.
fn topic_error(name: &str, value: &str) -> String {
    rejection(create(&[(name, value)]))
}

/// The message for setting one broker setting on a default broker.
fn broker_error(name: &str, value: &str) -> String {
    rejection(BrokerConfig::default().with(&[(name, value)]))
}

fn effective(changes: &[(&str, &str)]) -> TopicConfig {
    TopicConfig::resolve(&BrokerConfig::default(), &create(changes).unwrap()).unwrap()
}

// --- defaults -------------------------------------------------------------

#[test]
fn a_topic_without_overrides_has_kafka_4_0_defaults() {
    let c = TopicConfig::default();
    assert_eq!(
        c.cleanup_policy,
        CleanupPolicy {
            compact: false,
            delete: true
        }
    );
    assert_eq!(c.min_cleanable_dirty_ratio, 0.5);
    assert_eq!(c.min_compaction_lag_ms, 0);
    assert_eq!(c.max_compaction_lag_ms, i64::MAX);
    assert_eq!(c.delete_retention_ms, 86_400_000);
    assert_eq!(c.segment_bytes, 1_073_741_824);
    assert_eq!(c.segment_ms, 604_800_000);
    assert_eq!(c.segment_jitter_ms, 0);
    assert_eq!(c.segment_index_bytes, 10_485_760);
    assert_eq!(c.index_interval_bytes, 4096);
    assert_eq!(c.retention_ms, 604_800_000);
    assert_eq!(c.retention_bytes, -1);
    assert_eq!(c.message_timestamp_type, TimestampType::CreateTime);
    assert_eq!(c.message_timestamp_before_max_ms, i64::MAX);
    assert_eq!(c.message_timestamp_after_max_ms, 3_600_000);
    assert_eq!(c.max_message_bytes, 1_048_588);
    assert_eq!(c.file_delete_delay_ms, 60_000);
    assert!(!c.preallocate);
    assert_eq!(c.compression_type, BrokerCompressionType::Producer);
    assert_eq!(c.min_insync_replicas, 1);
    assert!(!c.unclean_leader_election_enable);
    assert_eq!(c.flush_messages, i64::MAX);
    assert_eq!(c.flush_ms, i64::MAX);
}

#[test]
fn resolving_no_overrides_gives_the_default_config() {
    let resolved = TopicConfig::resolve(&BrokerConfig::default(), &TopicOverrides::default()).unwrap();
    assert_eq!(resolved, TopicConfig::default());
    assert_eq!(
        TopicConfig::effective(&BrokerConfig::default(), &TopicOverrides::default()),
        resolved
    );
}

#[test]
fn entries_list_every_topic_config_alphabetically_as_kafka_configs_describe_prints_them() {
    let entries = TopicConfig::default().entries();
    let expected = [
        ("cleanup.policy", "delete"),
        ("compression.type", "producer"),
        ("delete.retention.ms", "86400000"),
        ("file.delete.delay.ms", "60000"),
        ("flush.messages", "9223372036854775807"),
        ("flush.ms", "9223372036854775807"),
        ("index.interval.bytes", "4096"),
        ("max.compaction.lag.ms", "9223372036854775807"),
        ("max.message.bytes", "1048588"),
        ("message.timestamp.after.max.ms", "3600000"),
        ("message.timestamp.before.max.ms", "9223372036854775807"),
        ("message.timestamp.type", "CreateTime"),
        ("min.cleanable.dirty.ratio", "0.5"),
        ("min.compaction.lag.ms", "0"),
        ("min.insync.replicas", "1"),
        ("preallocate", "false"),
        ("retention.bytes", "-1"),
        ("retention.ms", "604800000"),
        ("segment.bytes", "1073741824"),
        ("segment.index.bytes", "10485760"),
        ("segment.jitter.ms", "0"),
        ("segment.ms", "604800000"),
        ("unclean.leader.election.enable", "false"),
    ];
    let got: Vec<(&str, &str)> = entries.iter().map(|(n, v)| (*n, v.as_str())).collect();
    assert_eq!(got, expected);
}

#[test]
fn entries_print_lists_doubles_and_booleans_the_kafka_way() {
    let c = effective(&[
        ("cleanup.policy", "delete, compact"),
        ("min.cleanable.dirty.ratio", "1"),
        ("preallocate", "TRUE"),
        ("message.timestamp.type", "LogAppendTime"),
    ]);
    assert_eq!(c.value_of("cleanup.policy").as_deref(), Some("compact,delete"));
    assert_eq!(c.value_of("min.cleanable.dirty.ratio").as_deref(), Some("1.0"));
    assert_eq!(c.value_of("preallocate").as_deref(), Some("true"));
    assert_eq!(c.value_of("message.timestamp.type").as_deref(), Some("LogAppendTime"));
    assert_eq!(
        effective(&[("min.cleanable.dirty.ratio", "0.00001")])
            .value_of("min.cleanable.dirty.ratio")
            .as_deref(),
        Some("1.0E-5")
    );
    assert_eq!(
        effective(&[("cleanup.policy", "")])
            .value_of("cleanup.policy")
            .as_deref(),
        Some("")
    );
    assert_eq!(c.value_of("no.such.config"), None);
}

#[test]
fn a_default_broker_has_kafka_cleaner_defaults() {
    let b = BrokerConfig::default();
    assert_eq!(b.log_cleaner_threads, 1);
    assert_eq!(b.log_cleaner_dedupe_buffer_size, 134_217_728);
    assert_eq!(b.log_cleaner_io_buffer_load_factor, 0.9);
    assert_eq!(b.log_cleaner_io_buffer_size, 524_288);
    assert_eq!(b.log_cleaner_io_max_bytes_per_second, f64::MAX);
    assert_eq!(b.log_cleaner_backoff_ms, 15_000);
    assert!(b.log_cleaner_enable);
    assert_eq!(b.log_cleaner_min_cleanable_ratio, 0.5);
    assert_eq!(b.log_cleaner_delete_retention_ms, 86_400_000);
    assert_eq!(b.log_cleaner_min_compaction_lag_ms, 0);
    assert_eq!(b.log_cleaner_max_compaction_lag_ms, i64::MAX);
    assert_eq!(b.log_retention_check_interval_ms, 300_000);
    let got: Vec<(&str, String)> = b.entries();
    let expected = [
        ("log.cleaner.backoff.ms", "15000"),
        ("log.cleaner.dedupe.buffer.size", "134217728"),
        ("log.cleaner.delete.retention.ms", "86400000"),
        ("log.cleaner.enable", "true"),
        ("log.cleaner.io.buffer.load.factor", "0.9"),
        ("log.cleaner.io.buffer.size", "524288"),
        ("log.cleaner.io.max.bytes.per.second", "1.7976931348623157E308"),
        ("log.cleaner.max.compaction.lag.ms", "9223372036854775807"),
        ("log.cleaner.min.cleanable.ratio", "0.5"),
        ("log.cleaner.min.compaction.lag.ms", "0"),
        ("log.cleaner.threads", "1"),
        ("log.retention.check.interval.ms", "300000"),
        ("producer.id.expiration.ms", "86400000"),
    ];
    let got: Vec<(&str, &str)> = got.iter().map(|(n, v)| (*n, v.as_str())).collect();
    assert_eq!(got, expected);
}

#[test]
fn the_editor_metadata_has_one_row_per_config_with_its_default() {
    let keys = topic_config_keys();
    let entries = TopicConfig::default().entries();
    assert_eq!(
        keys.iter().map(|k| k.name).collect::<Vec<_>>(),
        entries.iter().map(|e| e.0).collect::<Vec<_>>()
    );
    for (key, (_, default)) in keys.iter().zip(&entries) {
        assert_eq!(&key.default, default, "{}", key.name);
        assert!(!key.doc.is_empty(), "{}", key.name);
        assert!(
            ["list", "double", "long", "int", "string", "boolean"].contains(&key.kind),
            "{}",
            key.name
        );
    }
    let find = |name: &str| keys.iter().find(|k| k.name == name).unwrap().clone();
    let segment_bytes = find("segment.bytes");
    assert_eq!(
        (segment_bytes.kind, segment_bytes.valid_values.as_str()),
        ("int", "[14,...]")
    );
    assert!(segment_bytes.note.unwrap().contains("1048576"));
    assert_eq!(find("min.cleanable.dirty.ratio").valid_values, "[0,...,1]");
    assert_eq!(find("cleanup.policy").kind, "list");
    assert_eq!(find("cleanup.policy").valid_values, "[compact, delete]");
    assert!(find("cleanup.policy").modelled);
    assert!(!find("compression.type").modelled);

    let broker = broker_config_keys();
    let broker_entries = BrokerConfig::default().entries();
    assert_eq!(broker.len(), broker_entries.len());
    for (key, (name, default)) in broker.iter().zip(&broker_entries) {
        assert_eq!((key.name, &key.default), (*name, default));
    }
    let json = serde_json::to_value(&segment_bytes).unwrap();
    assert_eq!(json["name"], "segment.bytes");
    assert_eq!(json["default"], "1073741824");
}

// --- shown ranges ---------------------------------------------------------

/// A value just outside each bound of a shown range (the editor's
/// `valid_values`), with the reason Kafka gives for it; empty for a key
/// without a validator.
fn just_outside(key: &ConfigKey) -> Vec<(String, String)> {
    let range = key.valid_values.as_str();
    if range.is_empty() {
        return Vec::new();
    }
    if let Some(choices) = range.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
        if !choices.contains("...") {
            // ValidString / ValidList: "[a, b]".
            return vec![("not-a-choice".into(), format!("String must be one of: {choices}"))];
        }
    }
    let (open, inner) = range.split_at(1);
    let inner = inner.trim_end_matches([']', ')']);
    let bounds: Vec<&str> = inner.split(",...").map(|b| b.trim_start_matches(',')).collect();
    let step = if key.kind == "double" { 0.5 } else { 1.0 };
    let number = |n: f64| {
        if key.kind == "double" {
            format!("{n}")
        } else {
            format!("{}", n as i64)
        }
    };
    let mut cases = Vec::new();
    let min: f64 = bounds[0].parse().unwrap();
    if open == "(" {
        cases.push((number(min), format!("Value must be greater than {}", bounds[0])));
    } else {
        cases.push((number(min - step), format!("Value must be at least {}", bounds[0])));
    }
    if let Some(max) = bounds.get(1).filter(|m| !m.is_empty()) {
        let max_n: f64 = max.parse().unwrap();
        cases.push((number(max_n + step), format!("Value must be no more than {max}")));
    }
    cases
}

#[test]
fn every_shown_range_is_the_one_its_validator_enforces() {
    let topic = topic_config_keys();
    let broker = broker_config_keys();
    let mut checked = 0;
    for (key, error) in topic
        .iter()
        .map(|k| (k, topic_error as fn(&str, &str) -> String))
        .chain(broker.iter().map(|k| (k, broker_error as fn(&str, &str) -> String)))
    {
        for (value, reason) in just_outside(key) {
            let message = error(key.name, &value);
            assert!(
                message.starts_with("Invalid value ")
                    && message.ends_with(&format!(" for configuration {}: {reason}", key.name)),
                "{}={value} (shown {}): {message}",
                key.name,
                key.valid_values
            );
            checked += 1;
        }
    }
    // Every validator kind was exercised: at-least, between, (0,1], choices.
    assert!(checked >= 30, "{checked}");
}

#[test]
fn log_cleaner_threads_shows_kafkas_range_and_refuses_0_as_a_live_change_does() {
    let threads = broker_config_keys()
        .into_iter()
        .find(|k| k.name == "log.cleaner.threads")
        .unwrap();
    // CleanerConfig: atLeast(0), so the range is Kafka's [0,...]; 0 passes
    // ConfigDef and is refused by LogCleaner.validateReconfiguration.
    assert_eq!(threads.valid_values, "[0,...]");
    assert_eq!(
        broker_error("log.cleaner.threads", "-1"),
        "Invalid value -1 for configuration log.cleaner.threads: Value must be at least 0"
    );
    assert_eq!(
        broker_error("log.cleaner.threads", "0"),
        "Log cleaner threads should be at least 1"
    );
}

#[test]
fn the_definition_tables_have_each_key_exactly_once() {
    for keys in [topic_config_keys(), broker_config_keys()] {
        let names: std::collections::BTreeSet<&str> = keys.iter().map(|k| k.name).collect();
        assert_eq!(names.len(), keys.len());
    }
    // And no key is both a topic config and a broker setting.
    let topic: Vec<&str> = topic_config_keys().iter().map(|k| k.name).collect();
    assert!(broker_config_keys().iter().all(|k| !topic.contains(&k.name)));
}

// --- ranges ---------------------------------------------------------------

#[test]
fn every_ranged_topic_config_rejects_a_value_below_its_minimum_with_kafkas_wording() {
    let cases = [
        ("segment.bytes", "13", "14"),
        ("segment.ms", "0", "1"),
        ("segment.jitter.ms", "-1", "0"),
        ("segment.index.bytes", "3", "4"),
        ("flush.messages", "0", "1"),
        ("flush.ms", "-1", "0"),
        ("retention.ms", "-2", "-1"),
        ("max.message.bytes", "-1", "0"),
        ("index.interval.bytes", "-1", "0"),
        ("delete.retention.ms", "-1", "0"),
        ("min.compaction.lag.ms", "-1", "0"),
        ("max.compaction.lag.ms", "0", "1"),
        ("file.delete.delay.ms", "-1", "0"),
        ("min.insync.replicas", "0", "1"),
        ("message.timestamp.before.max.ms", "-1", "0"),
        ("message.timestamp.after.max.ms", "-1", "0"),
    ];
    for (name, value, min) in cases {
        assert_eq!(
            topic_error(name, value),
            format!("Invalid value {value} for configuration {name}: Value must be at least {min}")
        );
        // The minimum itself is accepted.
        create(&[(name, min)]).unwrap_or_else(|e| panic!("{name}={min}: {e}"));
    }
}

#[test]
fn min_cleanable_dirty_ratio_must_be_between_0_and_1() {
    assert_eq!(
        topic_error("min.cleanable.dirty.ratio", "1.5"),
        "Invalid value 1.5 for configuration min.cleanable.dirty.ratio: Value must be no more than 1"
    );
    assert_eq!(
        topic_error("min.cleanable.dirty.ratio", "-0.1"),
        "Invalid value -0.1 for configuration min.cleanable.dirty.ratio: Value must be at least 0"
    );
    assert_eq!(
        topic_error("min.cleanable.dirty.ratio", "1.2"),
        "Invalid value 1.2 for configuration min.cleanable.dirty.ratio: Value must be no more than 1"
    );
    assert_eq!(
        effective(&[("min.cleanable.dirty.ratio", "0")]).min_cleanable_dirty_ratio,
        0.0
    );
    assert_eq!(
        effective(&[("min.cleanable.dirty.ratio", "1")]).min_cleanable_dirty_ratio,
        1.0
    );
}

#[test]
fn a_range_error_prints_the_parsed_value_as_java_does() {
    // Doubles print with Java's Double.toString, longs without a sign or zeros.
    assert_eq!(
        topic_error("min.cleanable.dirty.ratio", "2"),
        "Invalid value 2.0 for configuration min.cleanable.dirty.ratio: Value must be no more than 1"
    );
    assert_eq!(
        topic_error("min.cleanable.dirty.ratio", "-0.00001"),
        "Invalid value -1.0E-5 for configuration min.cleanable.dirty.ratio: Value must be at least 0"
    );
    assert_eq!(
        topic_error("min.cleanable.dirty.ratio", "1.50d"),
        "Invalid value 1.5 for configuration min.cleanable.dirty.ratio: Value must be no more than 1"
    );
    assert_eq!(
        topic_error("segment.ms", "+0"),
        "Invalid value 0 for configuration segment.ms: Value must be at least 1"
    );
    assert_eq!(
        topic_error("segment.ms", "-007"),
        "Invalid value -7 for configuration segment.ms: Value must be at least 1"
    );
}

#[test]
fn nan_passes_kafkas_range_check_like_in_java() {
    // Java's Range compares with < and >, which are false for NaN.
    assert!(effective(&[("min.cleanable.dirty.ratio", "NaN")])
        .min_cleanable_dirty_ratio
        .is_nan());
}

#[test]
fn retention_bytes_has_no_validator() {
    assert_eq!(effective(&[("retention.bytes", "-5")]).retention_bytes, -5);
    assert_eq!(
        effective(&[("retention.bytes", "-9223372036854775808")]).retention_bytes,
        i64::MIN
    );
}

#[test]
fn segment_bytes_goes_down_to_14_as_in_kafka_4_0_topic_configs() {
    assert_eq!(effective(&[("segment.bytes", "14")]).segment_bytes, 14);
    assert_eq!(effective(&[("segment.bytes", "1024")]).segment_bytes, 1024);
    assert_eq!(
        topic_error("segment.bytes", "0"),
        "Invalid value 0 for configuration segment.bytes: Value must be at least 14"
    );
}

// --- parsing --------------------------------------------------------------

#[test]
fn a_value_that_is_not_a_number_is_rejected_with_its_type() {
    assert_eq!(
        topic_error("segment.ms", "abc"),
        "Invalid value abc for configuration segment.ms: Not a number of type LONG"
    );
    assert_eq!(
        topic_error("segment.bytes", "1.5"),
        "Invalid value 1.5 for configuration segment.bytes: Not a number of type INT"
    );
    assert_eq!(
        topic_error("min.cleanable.dirty.ratio", "not_a_number"),
        "Invalid value not_a_number for configuration min.cleanable.dirty.ratio: Not a number of type DOUBLE"
    );
    assert_eq!(
        topic_error("preallocate", "yes"),
        "Invalid value yes for configuration preallocate: Expected value to be either true or false"
    );
    assert_eq!(
        broker_error("log.cleaner.threads", "two"),
        "Invalid value two for configuration log.cleaner.threads: Not a number of type INT"
    );
    assert_eq!(
        broker_error("log.cleaner.dedupe.buffer.size", "1MB"),
        "Invalid value 1MB for configuration log.cleaner.dedupe.buffer.size: Not a number of type LONG"
    );
    assert_eq!(
        broker_error("log.cleaner.io.buffer.load.factor", "90%"),
        "Invalid value 90% for configuration log.cleaner.io.buffer.load.factor: Not a number of type DOUBLE"
    );
    assert_eq!(
        broker_error("log.cleaner.enable", "1"),
        "Invalid value 1 for configuration log.cleaner.enable: Expected value to be either true or false"
    );
}

#[test]
fn an_int_that_overflows_is_not_a_number_and_a_long_takes_the_full_range() {
    assert_eq!(
        topic_error("segment.bytes", "2147483648"),
        "Invalid value 2147483648 for configuration segment.bytes: Not a number of type INT"
    );
    assert_eq!(effective(&[("segment.bytes", "2147483647")]).segment_bytes, i32::MAX);
    assert_eq!(effective(&[("segment.ms", "9223372036854775807")]).segment_ms, i64::MAX);
    assert_eq!(
        topic_error("segment.ms", "9223372036854775808"),
        "Invalid value 9223372036854775808 for configuration segment.ms: Not a number of type LONG"
    );
}

#[test]
fn numbers_parse_like_java() {
    assert_eq!(effective(&[("segment.ms", "+100")]).segment_ms, 100);
    assert_eq!(
        effective(&[("min.cleanable.dirty.ratio", ".25")]).min_cleanable_dirty_ratio,
        0.25
    );
    assert_eq!(
        effective(&[("min.cleanable.dirty.ratio", "1e-1")]).min_cleanable_dirty_ratio,
        0.1
    );
    assert_eq!(
        effective(&[("min.cleanable.dirty.ratio", "0x1p-2")]).min_cleanable_dirty_ratio,
        0.25
    );
    for bad in ["1_000", "1 000", "0x10", "10ms", ""] {
        assert_eq!(
            topic_error("segment.ms", bad),
            format!("Invalid value {bad} for configuration segment.ms: Not a number of type LONG")
        );
    }
    for bad in ["inf", "nan", "1,5", "."] {
        assert!(
            topic_error("min.cleanable.dirty.ratio", bad).ends_with("Not a number of type DOUBLE"),
            "{bad}"
        );
    }
}

#[test]
fn values_are_trimmed_before_parsing_and_kept_trimmed() {
    let overrides = create(&[("segment.bytes", "  1024\t"), ("cleanup.policy", " compact ")]).unwrap();
    assert_eq!(overrides.get("segment.bytes"), Some("1024"));
    assert_eq!(overrides.get("cleanup.policy"), Some("compact"));
    assert_eq!(
        topic_error("segment.ms", "  soon "),
        "Invalid value soon for configuration segment.ms: Not a number of type LONG"
    );
}

#[test]
fn booleans_accept_true_and_false_in_any_case() {
    assert!(effective(&[("preallocate", "True")]).preallocate);
    assert!(!effective(&[("preallocate", "FALSE")]).preallocate);
    assert!(effective(&[("unclean.leader.election.enable", "tRuE")]).unclean_leader_election_enable);
}

// --- cleanup.policy and other enumerations -------------------------------

#[test]
fn cleanup_policy_accepts_compact_delete_both_and_the_empty_list() {
    assert_eq!(
        effective(&[("cleanup.policy", "compact,delete")]).cleanup_policy,
        CleanupPolicy {
            compact: true,
            delete: true
        }
    );
    assert_eq!(
        effective(&[("cleanup.policy", "delete")]).cleanup_policy,
        CleanupPolicy {
            compact: false,
            delete: true
        }
    );
    assert_eq!(
        effective(&[("cleanup.policy", "compact")]).cleanup_policy,
        CleanupPolicy {
            compact: true,
            delete: false
        }
    );
    assert_eq!(
        effective(&[("cleanup.policy", "")]).cleanup_policy,
        CleanupPolicy {
            compact: false,
            delete: false
        }
    );
    assert_eq!(
        effective(&[("cleanup.policy", "delete , compact")]).cleanup_policy,
        CleanupPolicy::COMPACT_DELETE
    );
    // Kafka 4.0 allows duplicates (4.2 rejects them).
    assert_eq!(
        effective(&[("cleanup.policy", "compact,compact")]).cleanup_policy,
        CleanupPolicy::COMPACT
    );
}

#[test]
fn cleanup_policy_rejects_anything_but_exact_compact_and_delete() {
    for bad in ["true", "foobar", "Compact", "DELETE"] {
        assert_eq!(
            topic_error("cleanup.policy", bad),
            format!("Invalid value {bad} for configuration cleanup.policy: String must be one of: compact, delete")
        );
    }
    // The offending entry is reported, not the whole list.
    assert_eq!(
        topic_error("cleanup.policy", "compact,foobar"),
        "Invalid value foobar for configuration cleanup.policy: String must be one of: compact, delete"
    );
    // A trailing comma leaves an empty entry.
    assert_eq!(
        topic_error("cleanup.policy", "compact,"),
        "Invalid value  for configuration cleanup.policy: String must be one of: compact, delete"
    );
}

#[test]
fn message_timestamp_type_and_compression_type_are_case_sensitive_choices() {
    assert_eq!(
        effective(&[("message.timestamp.type", "LogAppendTime")]).message_timestamp_type,
        TimestampType::LogAppendTime
    );
    assert_eq!(
        topic_error("message.timestamp.type", "createtime"),
        "Invalid value createtime for configuration message.timestamp.type: String must be one of: CreateTime, LogAppendTime"
    );
    assert_eq!(
        effective(&[("compression.type", "lz4")]).compression_type,
        BrokerCompressionType::Lz4
    );
    assert_eq!(
        topic_error("compression.type", "LZ4"),
        "Invalid value LZ4 for configuration compression.type: String must be one of: uncompressed, zstd, lz4, snappy, gzip, producer"
    );
    assert_eq!(TimestampType::CreateTime.to_string(), "CreateTime");
    assert_eq!(TimestampType::LogAppendTime.to_string(), "LogAppendTime");
}

// --- requests: names, all or nothing, the lag conflict --------------------

#[test]
fn an_unknown_topic_config_name_is_rejected() {
    assert_eq!(topic_error("foo.bar", "1"), "Unknown topic config name: foo.bar");
    assert_eq!(
        topic_error("Segment.bytes", "1024"),
        "Unknown topic config name: Segment.bytes"
    );
    // Broker names are not topic configs.
    assert_eq!(
        topic_error("log.cleaner.threads", "2"),
        "Unknown topic config name: log.cleaner.threads"
    );
    // Names are checked before any value.
    assert_eq!(
        rejection(create(&[("segment.ms", "0"), ("foo", "1")])),
        "Unknown topic config name: foo"
    );
}

#[test]
fn a_request_with_one_bad_value_changes_nothing() {
    let before = create(&[("cleanup.policy", "compact")]).unwrap();
    let result = before.with(
        &[("segment.bytes", "1024"), ("min.cleanable.dirty.ratio", "1.5")],
        &BrokerConfig::default(),
    );
    assert_eq!(
        rejection(result),
        "Invalid value 1.5 for configuration min.cleanable.dirty.ratio: Value must be no more than 1"
    );
    assert_eq!(before.get("segment.bytes"), None);
    assert_eq!(before.iter().collect::<Vec<_>>(), vec![("cleanup.policy", "compact")]);
}

#[test]
fn the_first_error_reported_follows_kafkas_definition_order() {
    // LogConfig defines segment.ms before min.cleanable.dirty.ratio.
    assert_eq!(
        rejection(create(&[("min.cleanable.dirty.ratio", "2"), ("segment.ms", "0")])),
        "Invalid value 0 for configuration segment.ms: Value must be at least 1"
    );
}

#[test]
fn an_alter_merges_with_the_existing_overrides() {
    let broker = BrokerConfig::default();
    let created = create(&[("cleanup.policy", "compact"), ("segment.bytes", "1024")]).unwrap();
    let altered = created
        .with(
            &[("segment.bytes", "2048"), ("min.cleanable.dirty.ratio", "0.01")],
            &broker,
        )
        .unwrap();
    assert_eq!(
        altered.iter().collect::<Vec<_>>(),
        vec![
            ("cleanup.policy", "compact"),
            ("min.cleanable.dirty.ratio", "0.01"),
            ("segment.bytes", "2048")
        ]
    );
    assert_eq!(altered.len(), 3);
    let c = TopicConfig::resolve(&broker, &altered).unwrap();
    assert_eq!(
        (c.cleanup_policy, c.segment_bytes, c.min_cleanable_dirty_ratio),
        (CleanupPolicy::COMPACT, 2048, 0.01)
    );
    assert_eq!(
        serde_json::to_string(&altered).unwrap(),
        r#"{"cleanup.policy":"compact","min.cleanable.dirty.ratio":"0.01","segment.bytes":"2048"}"#
    );
}

#[test]
fn a_min_compaction_lag_above_the_max_is_rejected_at_create() {
    assert_eq!(
        rejection(create(&[
            ("max.compaction.lag.ms", "100"),
            ("min.compaction.lag.ms", "200")
        ])),
        "conflict topic config setting min.compaction.lag.ms (200) > max.compaction.lag.ms (100)"
    );
    // Equal is fine.
    let c = effective(&[("max.compaction.lag.ms", "100"), ("min.compaction.lag.ms", "100")]);
    assert_eq!((c.min_compaction_lag_ms, c.max_compaction_lag_ms), (100, 100));
}

#[test]
fn an_alter_that_makes_the_lags_conflict_is_rejected_and_changes_nothing() {
    let broker = BrokerConfig::default();
    let created = create(&[("max.compaction.lag.ms", "100")]).unwrap();
    assert_eq!(
        rejection(created.with(&[("min.compaction.lag.ms", "200")], &broker)),
        "conflict topic config setting min.compaction.lag.ms (200) > max.compaction.lag.ms (100)"
    );
    assert_eq!(created.get("min.compaction.lag.ms"), None);
    // Raising both in one request is fine.
    created
        .with(
            &[("min.compaction.lag.ms", "200"), ("max.compaction.lag.ms", "300")],
            &broker,
        )
        .unwrap();
}

#[test]
fn the_lag_check_uses_the_broker_default_when_the_topic_sets_only_one_side() {
    let broker = BrokerConfig::default()
        .with(&[("log.cleaner.min.compaction.lag.ms", "500")])
        .unwrap();
    assert_eq!(
        rejection(TopicOverrides::default().with(&[("max.compaction.lag.ms", "300")], &broker)),
        "conflict topic config setting min.compaction.lag.ms (500) > max.compaction.lag.ms (300)"
    );
    // Deleting the topic's own min lag falls back to the broker's 500.
    let both = TopicOverrides::default()
        .with(
            &[("min.compaction.lag.ms", "100"), ("max.compaction.lag.ms", "300")],
            &broker,
        )
        .unwrap();
    assert_eq!(
        rejection(both.without(&["min.compaction.lag.ms"], &broker)),
        "conflict topic config setting min.compaction.lag.ms (500) > max.compaction.lag.ms (300)"
    );
    assert_eq!(both.get("min.compaction.lag.ms"), Some("100"));
}

#[test]
fn deleting_an_override_falls_back_to_the_default() {
    let broker = BrokerConfig::default();
    let created = create(&[("cleanup.policy", "compact"), ("segment.bytes", "1024")]).unwrap();
    let deleted = created.without(&["segment.bytes"], &broker).unwrap();
    assert_eq!(deleted.get("segment.bytes"), None);
    assert_eq!(
        TopicConfig::resolve(&broker, &deleted).unwrap().segment_bytes,
        1_073_741_824
    );
    assert!(deleted.without(&["cleanup.policy"], &broker).unwrap().is_empty());
}

#[test]
fn deleting_a_config_the_topic_does_not_override_is_rejected_as_kafka_4_0_configs_does() {
    let created = create(&[("cleanup.policy", "compact")]).unwrap();
    assert_eq!(
        rejection(created.without(&["segment.ms", "cleanup.policy", "foo"], &BrokerConfig::default())),
        "Invalid config(s): segment.ms,foo"
    );
}

// --- broker settings and synonyms ----------------------------------------

#[test]
fn broker_synonyms_supply_the_topic_defaults() {
    let broker = BrokerConfig::default()
        .with(&[
            ("log.cleaner.min.cleanable.ratio", "0.1"),
            ("log.cleaner.delete.retention.ms", "1000"),
            ("log.cleaner.min.compaction.lag.ms", "10"),
            ("log.cleaner.max.compaction.lag.ms", "20"),
        ])
        .unwrap();
    let c = TopicConfig::resolve(&broker, &TopicOverrides::default()).unwrap();
    assert_eq!(c.min_cleanable_dirty_ratio, 0.1);
    assert_eq!(c.delete_retention_ms, 1000);
    assert_eq!(c.min_compaction_lag_ms, 10);
    assert_eq!(c.max_compaction_lag_ms, 20);
    assert_eq!(c.value_of("min.cleanable.dirty.ratio").as_deref(), Some("0.1"));
    // Other topic defaults are Kafka's fixed ones.
    assert_eq!(c.segment_bytes, 1_073_741_824);
    // A topic override wins over the broker default.
    let overrides = TopicOverrides::default()
        .with(&[("min.cleanable.dirty.ratio", "0.9")], &broker)
        .unwrap();
    assert_eq!(
        TopicConfig::resolve(&broker, &overrides)
            .unwrap()
            .min_cleanable_dirty_ratio,
        0.9
    );
}

#[test]
fn every_ranged_broker_setting_rejects_out_of_range_values_with_kafkas_wording() {
    let cases = [
        ("log.cleaner.threads", "-1", "Value must be at least 0"),
        ("log.cleaner.io.buffer.size", "-1", "Value must be at least 0"),
        ("log.cleaner.backoff.ms", "-1", "Value must be at least 0"),
        ("log.cleaner.min.cleanable.ratio", "-0.1", "Value must be at least 0"),
        ("log.cleaner.min.cleanable.ratio", "1.5", "Value must be no more than 1"),
        ("log.cleaner.delete.retention.ms", "-1", "Value must be at least 0"),
        ("log.cleaner.min.compaction.lag.ms", "-1", "Value must be at least 0"),
        ("log.cleaner.max.compaction.lag.ms", "0", "Value must be at least 1"),
    ];
    for (name, value, reason) in cases {
        assert_eq!(
            broker_error(name, value),
            format!("Invalid value {value} for configuration {name}: {reason}")
        );
    }
}

#[test]
fn the_broker_needs_at_least_one_cleaner_thread() {
    assert_eq!(
        broker_error("log.cleaner.threads", "0"),
        "Log cleaner threads should be at least 1"
    );
    // The half/double rule of a live change is not enforced.
    let eight = BrokerConfig::default().with(&[("log.cleaner.threads", "8")]).unwrap();
    assert_eq!(
        eight.with(&[("log.cleaner.threads", "1")]).unwrap().log_cleaner_threads,
        1
    );
}

#[test]
fn the_load_factor_must_be_above_0_and_at_most_1() {
    assert_eq!(
        broker_error("log.cleaner.io.buffer.load.factor", "0"),
        "Invalid value 0.0 for configuration log.cleaner.io.buffer.load.factor: Value must be greater than 0"
    );
    assert_eq!(
        broker_error("log.cleaner.io.buffer.load.factor", "-1"),
        "Invalid value -1.0 for configuration log.cleaner.io.buffer.load.factor: Value must be greater than 0"
    );
    assert_eq!(
        broker_error("log.cleaner.io.buffer.load.factor", "NaN"),
        "Invalid value NaN for configuration log.cleaner.io.buffer.load.factor: Value must be greater than 0"
    );
    assert_eq!(
        broker_error("log.cleaner.io.buffer.load.factor", "1.5"),
        "Invalid value 1.5 for configuration log.cleaner.io.buffer.load.factor: Value must be no more than 1"
    );
    let full = BrokerConfig::default()
        .with(&[("log.cleaner.io.buffer.load.factor", "1")])
        .unwrap();
    assert_eq!(full.max_keys_per_pass(), full.offset_map_slots());
}

#[test]
fn an_unknown_broker_setting_is_rejected() {
    assert_eq!(
        broker_error("segment.bytes", "1024"),
        "Unknown broker config name: segment.bytes"
    );
    assert_eq!(
        broker_error("log.retention.ms", "1"),
        "Unknown broker config name: log.retention.ms"
    );
}

#[test]
fn a_broker_request_with_one_bad_value_changes_nothing() {
    let before = BrokerConfig::default();
    let result = before.with(&[("log.cleaner.threads", "2"), ("log.cleaner.backoff.ms", "-1")]);
    assert_eq!(
        rejection(result),
        "Invalid value -1 for configuration log.cleaner.backoff.ms: Value must be at least 0"
    );
    assert_eq!(before, BrokerConfig::default());
}

#[test]
fn broker_lag_defaults_may_not_conflict() {
    assert_eq!(
        rejection(BrokerConfig::default().with(&[
            ("log.cleaner.min.compaction.lag.ms", "200"),
            ("log.cleaner.max.compaction.lag.ms", "100"),
        ])),
        "conflict topic config setting min.compaction.lag.ms (200) > max.compaction.lag.ms (100)"
    );
}

#[test]
fn a_broker_change_does_not_revalidate_existing_topics() {
    let overrides = create(&[("max.compaction.lag.ms", "100")]).unwrap();
    let broker = BrokerConfig::default()
        .with(&[("log.cleaner.min.compaction.lag.ms", "200")])
        .unwrap();
    let c = TopicConfig::effective(&broker, &overrides);
    assert_eq!((c.min_compaction_lag_ms, c.max_compaction_lag_ms), (200, 100));
}

// --- offset map capacity --------------------------------------------------

const TOO_SMALL: &str =
    "offset map is too small to fit in even a single message, so log cleaning will never make progress. \
                         You can increase log.cleaner.dedupe.buffer.size or decrease log.cleaner.threads";

#[test]
fn the_default_offset_map_holds_5_033_164_keys_per_pass() {
    let b = BrokerConfig::default();
    assert_eq!(OFFSET_MAP_BYTES_PER_ENTRY, 24);
    assert_eq!(b.offset_map_slots(), 5_592_405);
    assert_eq!(b.max_keys_per_pass(), 5_033_164);
    let one = b.with(&[("log.cleaner.threads", "1")]).unwrap();
    assert_eq!(
        (one.offset_map_slots(), one.max_keys_per_pass()),
        (5_592_405, 5_033_164)
    );
}

#[test]
fn two_cleaner_threads_split_the_dedupe_buffer() {
    let b = BrokerConfig::default().with(&[("log.cleaner.threads", "2")]).unwrap();
    // 134217728 / 2 / 24 = 2796202.67; * 0.9 = 2516581.8
    assert_eq!(b.offset_map_slots(), 2_796_202);
    assert_eq!(b.max_keys_per_pass(), 2_516_581);
}

#[test]
fn a_48_byte_buffer_holds_one_key_per_pass() {
    let b = BrokerConfig::default()
        .with(&[
            ("log.cleaner.dedupe.buffer.size", "48"),
            ("log.cleaner.io.buffer.load.factor", "0.9"),
        ])
        .unwrap();
    assert_eq!(b.offset_map_slots(), 2);
    assert_eq!(b.max_keys_per_pass(), 1);
}

#[test]
fn a_map_that_cannot_hold_one_key_is_rejected() {
    // 24 bytes: 1 slot, floor(0.9) = 0 keys.
    assert_eq!(broker_error("log.cleaner.dedupe.buffer.size", "24"), TOO_SMALL);
    assert_eq!(broker_error("log.cleaner.dedupe.buffer.size", "0"), TOO_SMALL);
    assert_eq!(broker_error("log.cleaner.dedupe.buffer.size", "-1"), TOO_SMALL);
    // 48 bytes shared by two threads is 24 each.
    assert_eq!(
        rejection(
            BrokerConfig::default().with(&[("log.cleaner.dedupe.buffer.size", "48"), ("log.cleaner.threads", "2")])
        ),
        TOO_SMALL
    );
    // Kafka's check is slots * load factor > 1, strictly: 2 slots at 0.5 fail.
    assert_eq!(
        rejection(BrokerConfig::default().with(&[
            ("log.cleaner.dedupe.buffer.size", "48"),
            ("log.cleaner.io.buffer.load.factor", "0.5")
        ])),
        TOO_SMALL
    );
    // A small buffer does not need Kafka's 1 MiB per thread.
    BrokerConfig::default()
        .with(&[("log.cleaner.dedupe.buffer.size", "1024")])
        .unwrap();
}

#[test]
fn a_thread_s_share_of_the_buffer_is_capped_at_2_gib() {
    let b = BrokerConfig::default()
        .with(&[("log.cleaner.dedupe.buffer.size", "107374182400")])
        .unwrap();
    assert_eq!(b.offset_map_slots(), 2_147_483_647 / 24);
    assert_eq!(b.max_keys_per_pass(), (f64::from(2_147_483_647 / 24) * 0.9) as usize);
}

// --- segment timing -------------------------------------------------------

#[test]
fn max_segment_ms_is_capped_by_the_max_compaction_lag_only_for_compacted_topics() {
    let compacted = effective(&[
        ("cleanup.policy", "compact"),
        ("segment.ms", "1000"),
        ("max.compaction.lag.ms", "300"),
    ]);
    assert_eq!(compacted.max_segment_ms(), 300);
    let deleted = effective(&[
        ("cleanup.policy", "delete"),
        ("segment.ms", "1000"),
        ("max.compaction.lag.ms", "300"),
    ]);
    assert_eq!(deleted.max_segment_ms(), 1000);
    let long_lag = effective(&[
        ("cleanup.policy", "compact"),
        ("segment.ms", "1000"),
        ("max.compaction.lag.ms", "5000"),
    ]);
    assert_eq!(long_lag.max_segment_ms(), 1000);
}

#[test]
fn segment_jitter_is_zero_without_jitter_and_below_min_of_jitter_and_segment_ms_with_it() {
    let mut rng = SplitMix64::new(7);
    let none = TopicConfig::default();
    assert!((0..100).all(|_| none.random_segment_jitter_ms(&mut rng) == 0));
    let c = effective(&[("segment.jitter.ms", "100"), ("segment.ms", "50")]);
    let draws: Vec<i64> = (0..1000).map(|_| c.random_segment_jitter_ms(&mut rng)).collect();
    assert!(draws.iter().all(|d| (0..50).contains(d)));
    assert!(draws.iter().any(|d| *d > 25));
    // Seeded: the same seed draws the same jitter.
    let (mut a, mut b) = (SplitMix64::new(42), SplitMix64::new(42));
    assert_eq!(c.random_segment_jitter_ms(&mut a), c.random_segment_jitter_ms(&mut b));
}

// --- Kafka's LogConfigTest (cleaner.md T50) -------------------------------

#[test]
fn kafka_log_config_test_invalid_compaction_lag_config() {
    // LogConfigTest.testInvalidCompactionLagConfig
    let result = create(&[("max.compaction.lag.ms", "100"), ("min.compaction.lag.ms", "200")]);
    assert!(matches!(result, Err(Error::InvalidConfig(_))));
}

#[test]
fn kafka_log_config_test_from_props_invalid() {
    // LogConfigTest.testFromPropsInvalid: every topic config rejects these values.
    for key in topic_config_keys() {
        let invalid = crate::support::invalid_topic_config_values(key.name);
        for value in invalid {
            let message = topic_error(key.name, value);
            assert!(
                message.starts_with(&format!("Invalid value {value} for configuration {}: ", key.name)),
                "{}={value}: {message}",
                key.name
            );
        }
    }
}

#[test]
fn kafka_log_config_test_from_props_empty_gives_the_defaults() {
    // LogConfigTest.testFromPropsEmpty / testKafkaConfigToProps: no overrides, broker defaults.
    let c = TopicConfig::resolve(&BrokerConfig::default(), &TopicOverrides::default()).unwrap();
    assert_eq!(c, TopicConfig::default());
    assert!(!c.cleanup_policy.compact && c.cleanup_policy.delete);
}
