//! Topic configs: the effective config of a topic and its overrides.
//!
//! Models Kafka's `LogConfig` (storage module) with the key names of
//! `TopicConfig` (clients): one row per key in `LogConfig.CONFIG`'s
//! definition order, the broker synonyms that supply the cleaner defaults
//! (`ServerTopicConfigSynonyms`), the cross-config check of
//! `LogConfig.validateValues`, and the request rules of `kafka-configs`
//! (`TopicOverrides`).
//!
//! What we simplify:
//!
//! * Only the topic configs that matter for compaction, plus a few that
//!   tutorials set and that are accepted but not simulated
//!   (`compression.type`, `min.insync.replicas`,
//!   `unclean.leader.election.enable`, `flush.messages`, `flush.ms`). Other
//!   Kafka topic configs (compression levels, tiered storage, replication
//!   throttles) are rejected as unknown.
//! * Every topic default that is not a `log.cleaner.*` synonym is Kafka's
//!   fixed default (as if `log.segment.bytes`, `log.roll.ms`, ... were left
//!   unset on the broker).
//! * Effective values are kept typed; `TopicConfig::entries` prints them in a
//!   canonical form (`cleanup.policy` as `compact,delete`), whereas Kafka's
//!   describe echoes an override string as it was set (`TopicOverrides`
//!   keeps those strings).
//! * `segment.bytes` is accepted down to 14, as Kafka 4.0 topic configs do;
//!   Kafka 4.1+ requires at least 1048576 (KAFKA-19080). Shown in the UI.
//!
//! The module is over 600 lines because the definition table is: one entry
//! per key with the documentation the editor shows.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use super::broker::BrokerConfig;
use super::def::{self, config_struct, Choice, ConfigKey, FieldValue, Type, Validator, Value};
use crate::error::{InvalidConfig, Result};
use crate::record::TimestampType;
use crate::rng::SplitMix64;

/// `cleanup.policy` as Kafka's `LogConfig` reads it: two flags, `compact`
/// (the log cleaner) and `delete` (time/size retention).
///
/// Both false is the empty list, which Kafka 4.0 accepts (infinite
/// retention: neither compacted nor deleted).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct CleanupPolicy {
    /// `compact` is in the list: the log cleaner keeps the latest record
    /// per key (Kafka `LogConfig.compact`).
    pub compact: bool,
    /// `delete` is in the list: segments past `retention.ms` /
    /// `retention.bytes` are deleted (Kafka `LogConfig.delete`).
    pub delete: bool,
}

impl CleanupPolicy {
    /// `cleanup.policy=compact`.
    pub const COMPACT: CleanupPolicy = CleanupPolicy {
        compact: true,
        delete: false,
    };
    /// `cleanup.policy=delete` (Kafka's default).
    pub const DELETE: CleanupPolicy = CleanupPolicy {
        compact: false,
        delete: true,
    };
    /// `cleanup.policy=compact,delete`.
    pub const COMPACT_DELETE: CleanupPolicy = CleanupPolicy {
        compact: true,
        delete: true,
    };
}

impl CleanupPolicy {
    /// The policies in the list, in the canonical order `compact, delete`.
    fn names(self) -> Vec<&'static str> {
        CLEANUP_POLICIES
            .iter()
            .zip([self.compact, self.delete])
            .filter_map(|(name, set)| set.then_some(*name))
            .collect()
    }
}

impl fmt::Display for CleanupPolicy {
    /// The list as `kafka-configs --describe` would print it, in the
    /// canonical order `compact,delete`; empty for the empty list.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.names().join(","))
    }
}

impl FieldValue for CleanupPolicy {
    const TYPE: Type = Type::List;
    fn to_value(&self) -> Value {
        Value::List(self.names().into_iter().map(String::from).collect())
    }
    fn from_value(value: Value) -> Option<Self> {
        match value {
            // Kafka: LogConfig computes the flags after lower-casing (the
            // validator already made the entries exact).
            Value::List(items) => {
                let has = |policy: &str| items.iter().any(|s| s.eq_ignore_ascii_case(policy));
                Some(CleanupPolicy {
                    compact: has("compact"),
                    delete: has("delete"),
                })
            }
            _ => None,
        }
    }
}

/// `ValidList.in(...)` of `cleanup.policy`.
const CLEANUP_POLICIES: &[&str] = &["compact", "delete"];

/// The `ValidString.in(...)` list of an enum config: the Kafka names of
/// every value (its `ALL` and its `const fn name`), in order, computed at
/// compile time so that the list cannot disagree with the enum.
macro_rules! choice_names {
    ($choice:ident) => {{
        let mut names = [""; $choice::ALL.len()];
        let mut i = 0;
        while i < names.len() {
            names[i] = $choice::ALL[i].name();
            i += 1;
        }
        names
    }};
}

/// `ValidString.in(...)` of `message.timestamp.type`.
const TIMESTAMP_TYPES: &[&str] = &choice_names!(TimestampType);

/// `ValidString.in(...)` of `compression.type`.
const COMPRESSION_TYPES: &[&str] = &choice_names!(BrokerCompressionType);

impl Choice for TimestampType {
    const ALL: &'static [Self] = &TimestampType::ALL;
    fn kafka_name(self) -> &'static str {
        self.name()
    }
}

/// `compression.type` (Kafka `BrokerCompressionType`). Accepted and
/// validated; not simulated (batches are stored and sized uncompressed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BrokerCompressionType {
    /// `uncompressed`: the broker decompresses what producers send.
    Uncompressed,
    /// `zstd`.
    Zstd,
    /// `lz4`.
    Lz4,
    /// `snappy`.
    Snappy,
    /// `gzip`.
    Gzip,
    /// `producer`: keep the producer's codec (Kafka's default).
    Producer,
}

impl BrokerCompressionType {
    /// Every value, in Kafka's declaration order (the order of its error
    /// message "String must be one of: uncompressed, zstd, ...").
    pub const ALL: [BrokerCompressionType; 6] = [
        BrokerCompressionType::Uncompressed,
        BrokerCompressionType::Zstd,
        BrokerCompressionType::Lz4,
        BrokerCompressionType::Snappy,
        BrokerCompressionType::Gzip,
        BrokerCompressionType::Producer,
    ];

    /// Kafka's name, as in `compression.type=lz4`.
    pub const fn name(self) -> &'static str {
        match self {
            BrokerCompressionType::Uncompressed => "uncompressed",
            BrokerCompressionType::Zstd => "zstd",
            BrokerCompressionType::Lz4 => "lz4",
            BrokerCompressionType::Snappy => "snappy",
            BrokerCompressionType::Gzip => "gzip",
            BrokerCompressionType::Producer => "producer",
        }
    }
}

impl fmt::Display for BrokerCompressionType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Choice for BrokerCompressionType {
    const ALL: &'static [Self] = &BrokerCompressionType::ALL;
    fn kafka_name(self) -> &'static str {
        self.name()
    }
}

// ---------------------------------------------------------------------------
// TopicConfig (Kafka LogConfig)
// ---------------------------------------------------------------------------

config_struct! {
    /// The effective config of one topic (Kafka `LogConfig`): broker defaults
    /// merged with the topic's overrides.
    ///
    /// Build it with [`TopicConfig::resolve`] (validated, as at topic creation
    /// or alteration) or [`TopicConfig::effective`] (as a broker applies it);
    /// `Default` gives Kafka's defaults under a default [`BrokerConfig`].
    #[doc(alias = "LogConfig")]
    #[derive(Debug, Clone, PartialEq)]
    pub struct TopicConfig;
    fn defaults(broker: &BrokerConfig);
    const TOPIC_DEFS;

    // One entry per key, in `LogConfig.CONFIG`'s definition order.
    /// `segment.bytes`: the active segment rolls before growing past this;
    /// also the cleaner's maximum group size.
    segment_bytes: i32 = "segment.bytes" {
        default: 1_073_741_824,
        // Kafka 4.0 LogConfig: atLeast(LegacyRecord.RECORD_OVERHEAD_V0) = 14.
        validator: Validator::AtLeast(14),
        modelled: true,
        note: Some("Kafka 4.0 topic configs accept down to 14, as here; Kafka 4.1+ requires at least 1048576 (1 MiB)."),
        doc: "The active segment rolls before an append would make it larger than this. \
              The cleaner never touches the active segment, and groups cleaned segments up to this size.",
    },
    /// `segment.ms`: the active segment rolls once it is this old.
    segment_ms: i64 = "segment.ms" {
        default: 604_800_000,
        validator: Validator::AtLeast(1),
        modelled: true,
        note: None,
        doc: "The active segment rolls once its first record is this old, so that it can be cleaned. \
              For compacted topics max.compaction.lag.ms caps it.",
    },
    /// `segment.jitter.ms`: upper bound of the random amount subtracted
    /// from `segment.ms` for each new segment.
    segment_jitter_ms: i64 = "segment.jitter.ms" {
        default: 0,
        validator: Validator::AtLeast(0),
        modelled: true,
        note: None,
        doc: "Each new segment rolls up to this much earlier than segment.ms (a random amount), \
              so that many partitions do not roll at once.",
    },
    /// `segment.index.bytes`: size of each offset/time index; a full index
    /// rolls the segment.
    segment_index_bytes: i32 = "segment.index.bytes" {
        default: 10_485_760,
        validator: Validator::AtLeast(4),
        modelled: true,
        note: None,
        doc: "The size of each segment's offset and time index. A full index rolls the segment, \
              and the cleaner starts a new group when an index would overflow.",
    },
    /// `flush.messages` (accepted, not simulated: nothing is fsynced).
    flush_messages: i64 = "flush.messages" {
        default: i64::MAX,
        validator: Validator::AtLeast(1),
        modelled: false,
        note: Some("Accepted and validated; nothing is written to disk in the playground."),
        doc: "Force an fsync after this many messages. No effect on compaction.",
    },
    /// `flush.ms` (accepted, not simulated).
    flush_ms: i64 = "flush.ms" {
        default: i64::MAX,
        validator: Validator::AtLeast(0),
        modelled: false,
        note: Some("Accepted and validated; nothing is written to disk in the playground."),
        doc: "Force an fsync after this much time. No effect on compaction.",
    },
    /// `retention.bytes`: with `delete`, the partition is trimmed to this
    /// size (negative = unlimited).
    retention_bytes: i64 = "retention.bytes" {
        default: -1,
        validator: Validator::None,
        modelled: true,
        note: None,
        doc: "With the delete policy, the oldest segments of a partition are deleted while it is larger than this. \
              Negative means no size limit.",
    },
    /// `retention.ms`: with `delete`, segments older than this are deleted
    /// (-1 = forever).
    retention_ms: i64 = "retention.ms" {
        default: 604_800_000,
        validator: Validator::AtLeast(-1),
        modelled: true,
        note: None,
        doc: "With the delete policy, a segment is deleted once its newest record is older than this. \
              -1 keeps data forever.",
    },
    /// `max.message.bytes`: the largest batch the topic accepts.
    max_message_bytes: i32 = "max.message.bytes" {
        // Kafka: ServerLogConfigs.MAX_MESSAGE_BYTES_DEFAULT = 1 MiB + 12.
        default: 1_048_588,
        validator: Validator::AtLeast(0),
        modelled: true,
        note: None,
        doc: "The largest record batch the topic accepts; a larger one is rejected with RecordTooLargeException.",
    },
    /// `index.interval.bytes`: bytes appended between two index entries.
    index_interval_bytes: i32 = "index.interval.bytes" {
        default: 4096,
        validator: Validator::AtLeast(0),
        modelled: true,
        note: None,
        doc: "An index entry is added after this many bytes of appends. \
              It decides how fast segment.index.bytes fills up.",
    },
    /// `delete.retention.ms`: how long tombstones and transaction markers
    /// survive once the cleaner has seen them.
    delete_retention_ms: i64 = "delete.retention.ms" {
        // Kafka: delete.retention.ms <- log.cleaner.delete.retention.ms.
        default: broker.log_cleaner_delete_retention_ms,
        validator: Validator::AtLeast(0),
        modelled: true,
        note: None,
        doc: "How long a tombstone (and a transaction marker) stays after the cleaner first reaches it. \
              A consumer reading from the start must finish within this time to see every delete.",
    },
    /// `min.compaction.lag.ms`: records younger than this are not cleaned
    /// (0 disables the check).
    min_compaction_lag_ms: i64 = "min.compaction.lag.ms" {
        // Kafka: min.compaction.lag.ms <- log.cleaner.min.compaction.lag.ms.
        default: broker.log_cleaner_min_compaction_lag_ms,
        validator: Validator::AtLeast(0),
        modelled: true,
        note: None,
        doc: "Records younger than this are never compacted, so consumers get a window in which they see every update. \
              0 disables the check.",
    },
    /// `max.compaction.lag.ms`: a log with dirty records older than this is
    /// cleaned whatever its ratio; also caps the time-based roll.
    max_compaction_lag_ms: i64 = "max.compaction.lag.ms" {
        // Kafka: max.compaction.lag.ms <- log.cleaner.max.compaction.lag.ms.
        default: broker.log_cleaner_max_compaction_lag_ms,
        validator: Validator::AtLeast(1),
        modelled: true,
        note: None,
        doc: "A log whose oldest dirty record is older than this is cleaned whatever its dirty ratio. \
              It also makes the active segment roll at least this often.",
    },
    /// `file.delete.delay.ms`: how long deleted segment files linger on
    /// disk (not simulated: there are no files).
    file_delete_delay_ms: i64 = "file.delete.delay.ms" {
        default: 60_000,
        validator: Validator::AtLeast(0),
        modelled: false,
        note: Some("Accepted and validated; the playground has no files."),
        doc: "How long a deleted or replaced segment file lingers on disk before it is removed.",
    },
    /// `min.cleanable.dirty.ratio`: a log is eligible for cleaning when its
    /// dirty ratio is strictly greater than this.
    min_cleanable_dirty_ratio: f64 = "min.cleanable.dirty.ratio" {
        // Kafka: min.cleanable.dirty.ratio <- log.cleaner.min.cleanable.ratio.
        default: broker.log_cleaner_min_cleanable_ratio,
        validator: Validator::Between(0, 1),
        modelled: true,
        note: None,
        doc: "A log is eligible for cleaning when the dirty (not yet cleaned) part is more than this fraction of it. \
              Lower values clean more often and keep fewer duplicates.",
    },
    /// `cleanup.policy`: compact, delete, both or neither.
    cleanup_policy: CleanupPolicy = "cleanup.policy" {
        default: CleanupPolicy::DELETE,
        validator: Validator::ListOf(CLEANUP_POLICIES),
        modelled: true,
        note: Some("Kafka 4.0 accepts duplicate entries, as here; 4.2+ rejects duplicates and empty entries."),
        doc: "compact keeps the latest record of every key (the log cleaner); delete removes old segments by \
              retention.ms and retention.bytes. Both can be combined; an empty list keeps everything.",
    },
    /// `unclean.leader.election.enable` (accepted, not simulated).
    unclean_leader_election_enable: bool = "unclean.leader.election.enable" {
        default: false,
        validator: Validator::None,
        modelled: false,
        note: Some("Accepted and validated; the playground has a single replica."),
        doc: "Whether an out-of-sync replica may become leader, at the risk of losing data. No effect on compaction.",
    },
    /// `min.insync.replicas` (accepted, not simulated: one replica).
    min_insync_replicas: i32 = "min.insync.replicas" {
        default: 1,
        validator: Validator::AtLeast(1),
        modelled: false,
        note: Some("Accepted and validated; the playground has a single replica."),
        doc: "How many replicas must have a write for an acks=all produce to succeed. No effect on compaction.",
    },
    /// `compression.type` (accepted, not simulated).
    compression_type: BrokerCompressionType = "compression.type" {
        default: BrokerCompressionType::Producer,
        validator: Validator::OneOf(COMPRESSION_TYPES),
        modelled: false,
        note: Some("Accepted and validated; batches are stored and sized uncompressed."),
        doc: "The codec batches are stored with; producer keeps whatever the producer sent.",
    },
    /// `preallocate`: preallocate segment files (not simulated).
    preallocate: bool = "preallocate" {
        default: false,
        validator: Validator::None,
        modelled: false,
        note: Some("Accepted and validated; the playground has no files."),
        doc: "Preallocate the file of a new segment. No effect on compaction.",
    },
    /// `message.timestamp.type`.
    message_timestamp_type: TimestampType = "message.timestamp.type" {
        default: TimestampType::CreateTime,
        validator: Validator::OneOf(TIMESTAMP_TYPES),
        modelled: true,
        note: None,
        doc: "Whether records keep the producer's timestamp (CreateTime) or get the broker's clock (LogAppendTime). \
              These timestamps drive segment.ms, the compaction lags and retention.ms.",
    },
    /// `message.timestamp.before.max.ms`: how far in the past a CreateTime
    /// may be.
    message_timestamp_before_max_ms: i64 = "message.timestamp.before.max.ms" {
        default: i64::MAX,
        validator: Validator::AtLeast(0),
        modelled: true,
        note: None,
        doc: "With CreateTime, a batch whose timestamp is more than this far in the past is rejected.",
    },
    /// `message.timestamp.after.max.ms`: how far in the future a CreateTime
    /// may be (1 hour since Kafka 4.0).
    message_timestamp_after_max_ms: i64 = "message.timestamp.after.max.ms" {
        // KIP-1030: 1 hour since 4.0 (Long.MAX before).
        default: 3_600_000,
        validator: Validator::AtLeast(0),
        modelled: true,
        note: Some("The default is 1 hour since Kafka 4.0 (unlimited before)."),
        doc: "With CreateTime, a batch whose timestamp is more than this far in the future is rejected.",
    },
}

impl Default for TopicConfig {
    /// Kafka 4.0's topic defaults under a default [`BrokerConfig`].
    fn default() -> Self {
        TopicConfig::defaults(&BrokerConfig::default())
    }
}

impl TopicConfig {
    /// Kafka `LogConfig.maxSegmentMs`: `min(segment.ms,
    /// max.compaction.lag.ms)` when the topic is compacted (and the max lag
    /// is positive), else `segment.ms`.
    pub fn max_segment_ms(&self) -> i64 {
        // Kafka: LogConfig.maxSegmentMs.
        if self.cleanup_policy.compact && self.max_compaction_lag_ms > 0 {
            self.max_compaction_lag_ms.min(self.segment_ms)
        } else {
            self.segment_ms
        }
    }

    /// Kafka `LogConfig.randomSegmentJitter`, drawn when a segment is
    /// created: 0 if `segment.jitter.ms` is 0, else
    /// `Utils.abs(nextInt()) % min(segment.jitter.ms, segment.ms)`.
    ///
    /// The draw comes from the seeded `rng` (Kafka uses
    /// `ThreadLocalRandom`), so a script always rolls at the same times.
    pub fn random_segment_jitter_ms(&self, rng: &mut SplitMix64) -> i64 {
        // Kafka: LogConfig.randomSegmentJitter.
        if self.segment_jitter_ms == 0 {
            return 0;
        }
        let bound = self.segment_jitter_ms.min(self.segment_ms);
        if bound <= 0 {
            // Unreachable for validated configs (both are >= 1 here).
            return 0;
        }
        // Kafka: Utils.abs maps Integer.MIN_VALUE to 0 (Math.abs would not).
        let n = rng.next_i32();
        let abs = if n == i32::MIN { 0 } else { i64::from(n.abs()) };
        abs % bound
    }

    /// Merges broker defaults and overrides, parses and validates every
    /// override, then makes the cross-config check of
    /// `LogConfig.validateValues`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidConfig`](crate::Error::InvalidConfig) with Kafka's
    /// message: a `ConfigDef` failure (`Invalid value <v> for configuration
    /// <name>: <reason>`) for the first failing config in Kafka's definition
    /// order, or `conflict topic config setting min.compaction.lag.ms (<min>) >
    /// max.compaction.lag.ms (<max>)`.
    pub fn resolve(broker: &BrokerConfig, overrides: &TopicOverrides) -> Result<TopicConfig> {
        let mut config = TopicConfig::defaults(broker);
        def::parse_into(TOPIC_DEFS, &mut config, |name| overrides.get(name))?;
        // Kafka: LogConfig.validateValues (testInvalidCompactionLagConfig).
        check_lag_conflict(config.min_compaction_lag_ms, config.max_compaction_lag_ms)?;
        Ok(config)
    }

    /// The effective config a broker applies, without the cross-config
    /// check: Kafka does not re-validate existing topics when a broker
    /// default changes, so a topic may end up with an effective
    /// `min.compaction.lag.ms` above its `max.compaction.lag.ms` (the
    /// cleaner then uses both as they are).
    ///
    /// Overrides are validated when they are set, so none can fail here;
    /// should one not parse, its default is kept.
    pub fn effective(broker: &BrokerConfig, overrides: &TopicOverrides) -> TopicConfig {
        let mut config = TopicConfig::defaults(broker);
        for def in TOPIC_DEFS {
            if let Some(value) = overrides.get(def.name).and_then(|raw| def.parse(raw).ok()) {
                (def.set)(&mut config, value);
            }
        }
        config
    }

    /// Every effective topic config as (name, value), in alphabetical order
    /// of name, values printed as `kafka-configs --describe` prints them:
    /// integers plainly, doubles like Java (`0.5`), lists comma-joined
    /// (`compact,delete`), booleans `true`/`false`.
    pub fn entries(&self) -> Vec<(&'static str, String)> {
        def::entries(TOPIC_DEFS, self)
    }

    /// The effective value of one topic config, formatted as in
    /// [`TopicConfig::entries`]; `None` for an unknown name.
    pub fn value_of(&self, name: &str) -> Option<String> {
        def::find(TOPIC_DEFS, name).map(|def| (def.get)(self).to_string())
    }
}

/// Kafka `LogConfig.validateValues`: `min.compaction.lag.ms` may not
/// exceed `max.compaction.lag.ms` (also checked on the broker's defaults).
pub(crate) fn check_lag_conflict(min: i64, max: i64) -> std::result::Result<(), InvalidConfig> {
    if min > max {
        return Err(InvalidConfig::CompactionLagConflict {
            min_compaction_lag_ms: min,
            max_compaction_lag_ms: max,
        });
    }
    Ok(())
}

/// One row per topic config, in alphabetical order of name.
pub fn topic_config_keys() -> Vec<ConfigKey> {
    def::keys(TOPIC_DEFS, &TopicConfig::default())
}

// ---------------------------------------------------------------------------
// TopicOverrides
// ---------------------------------------------------------------------------

/// A topic's overrides by Kafka name: what `kafka-configs --describe` lists
/// as the topic's own configs (`DYNAMIC_TOPIC_CONFIG`).
///
/// Only [`TopicOverrides::with`] and [`TopicOverrides::without`] build one,
/// so every key is a valid topic config name and every value parses; values
/// are kept as given (trimmed, as Kafka's `ConfigDef` trims them).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TopicOverrides(BTreeMap<String, String>);

impl TopicOverrides {
    /// The override of `name`, if the topic has one.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    /// Every override as (name, value), in alphabetical order of name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The number of overrides.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when the topic has no overrides (all defaults).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Applies `changes` as one request, all or nothing, like
    /// `kafka-configs --alter --add-config` or the configs of a
    /// `CreateTopics` request. A name given twice keeps its last value.
    ///
    /// Kafka order (`LogConfig.validate`): every name is checked first,
    /// then the merged configs (broker defaults, existing overrides,
    /// changes) are parsed and validated in definition order, then the
    /// cross-config check runs.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidConfig`](crate::Error::InvalidConfig): `Unknown topic
    /// config name: <name>`, a value's `ConfigDef` error, or the lag
    /// conflict. On error nothing changes (`self` is untouched).
    pub fn with(&self, changes: &[(&str, &str)], broker: &BrokerConfig) -> Result<TopicOverrides> {
        // Kafka: LogConfig.validateNames.
        if let Some((name, _)) = changes.iter().find(|(name, _)| def::find(TOPIC_DEFS, name).is_none()) {
            return Err(InvalidConfig::UnknownTopicConfig {
                name: (*name).to_string(),
            }
            .into());
        }
        let mut next = self.clone();
        for (name, value) in changes {
            next.0.insert((*name).to_string(), def::java_trim(value).to_string());
        }
        TopicConfig::resolve(broker, &next)?;
        Ok(next)
    }

    /// Deletes overrides as one request, all or nothing, like
    /// `kafka-configs --alter --delete-config`: the topic falls back to the
    /// broker default of each, and the result must still resolve.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidConfig`](crate::Error::InvalidConfig): `Invalid
    /// config(s): <a>,<b>` naming every given name the topic has no override
    /// for (Kafka 4.0's `ConfigCommand` check, dropped in 4.3), or the lag
    /// conflict.
    pub fn without(&self, names: &[&str], broker: &BrokerConfig) -> Result<TopicOverrides> {
        // Kafka 4.0: ConfigCommand.alterResourceConfig fails the command if
        // a config to be deleted is not set on the topic.
        let missing: Vec<String> = names
            .iter()
            .filter(|n| !self.0.contains_key(**n))
            .map(|n| n.to_string())
            .collect();
        if !missing.is_empty() {
            return Err(InvalidConfig::NotSet { names: missing }.into());
        }
        let mut next = self.clone();
        for name in names {
            next.0.remove(*name);
        }
        TopicConfig::resolve(broker, &next)?;
        Ok(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_defines_each_key_once_with_a_default_it_accepts() {
        def::assert_table_is_sound(TOPIC_DEFS, &TopicConfig::default());
    }

    #[test]
    fn effective_keeps_a_lag_conflict_that_resolve_rejects() {
        let overrides = TopicOverrides::default()
            .with(&[("max.compaction.lag.ms", "100")], &BrokerConfig::default())
            .unwrap();
        let broker = BrokerConfig {
            log_cleaner_min_compaction_lag_ms: 200,
            ..BrokerConfig::default()
        };
        assert!(TopicConfig::resolve(&broker, &overrides).is_err());
        let config = TopicConfig::effective(&broker, &overrides);
        assert_eq!((config.min_compaction_lag_ms, config.max_compaction_lag_ms), (200, 100));
    }
}
