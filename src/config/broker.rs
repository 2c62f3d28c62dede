//! The broker's cleaner settings.
//!
//! Models Kafka's `CleanerConfig` (`CONFIG_DEF`, in its definition order)
//! with the `log.cleaner.*` broker settings, several of which are the broker
//! synonyms that supply topic defaults (`ServerTopicConfigSynonyms`), and the
//! offset-map capacity they give (`LogCleaner`, `SkimpyOffsetMap`).
//!
//! Beside them, `log.retention.check.interval.ms` (`ServerLogConfigs`), the
//! period of the retention check that `run` makes.
//!
//! What we simplify: only these settings exist; a change is
//! checked as a live reconfiguration would be (`validateReconfiguration`),
//! without the half/double rule for the thread count. Deliberate departure
//! (see `design.md`), shown in the UI: `log.cleaner.dedupe.buffer.size` is
//! accepted down to one key per cleaning pass; Kafka refuses to start unless
//! every cleaner thread gets more than 1 MiB. Tiny maps make partial cleaning
//! visible.

use std::collections::BTreeMap;

use super::def::{self, config_struct, ConfigKey, Validator, Value};
use super::topic::check_lag_conflict;
use crate::error::{InvalidConfig, Result};

/// Bytes one offset-map entry takes: an MD5 hash of the key (16) and an
/// offset (8). Kafka's `SkimpyOffsetMap` with `CleanerConfig.HASH_ALGORITHM`
/// MD5 (up to 4.x releases; newest trunk moves to SHA-256, 40 bytes).
pub const OFFSET_MAP_BYTES_PER_ENTRY: usize = 24;

config_struct! {
    /// Broker-level cleaner settings: Kafka `CleanerConfig` plus the
    /// `log.cleaner.*` synonyms that supply topic defaults.
    #[doc(alias = "CleanerConfig")]
    #[derive(Debug, Clone, PartialEq)]
    pub struct BrokerConfig;
    fn defaults();
    const BROKER_DEFS;

    // One entry per key, in `CleanerConfig.CONFIG_DEF`'s definition order.
    /// `log.cleaner.threads`: cleaner threads; the dedupe buffer is split
    /// evenly between them.
    log_cleaner_threads: i32 = "log.cleaner.threads" {
        default: 1,
        validator: Validator::AtLeast(0),
        modelled: true,
        note: Some(
            "Kafka's ConfigDef allows 0 (no cleaner) and a live change must stay within half and double the \
             current value; the playground requires at least 1 and nothing more.",
        ),
        doc: "The number of cleaner threads. The dedupe buffer is split evenly between them, \
              so more threads means fewer keys per cleaning pass for each.",
    },
    /// `log.cleaner.io.max.bytes.per.second`: cleaner I/O throttle (not
    /// simulated).
    log_cleaner_io_max_bytes_per_second: f64 = "log.cleaner.io.max.bytes.per.second" {
        default: f64::MAX,
        validator: Validator::None,
        modelled: false,
        note: Some("Accepted and validated; cleaning takes no simulated time."),
        doc: "Throttle on the bytes all cleaner threads read and write per second.",
    },
    /// `log.cleaner.dedupe.buffer.size`: total offset-map memory of all
    /// cleaner threads, in bytes.
    log_cleaner_dedupe_buffer_size: i64 = "log.cleaner.dedupe.buffer.size" {
        default: 134_217_728,
        validator: Validator::None,
        modelled: true,
        note: Some(
            "Kafka refuses to start unless each thread gets more than 1 MiB; the playground accepts any size \
             that holds one key per pass, so that partial cleaning can be shown.",
        ),
        doc: "Memory for the offset maps of all cleaner threads: 24 bytes per key (MD5 hash and offset). \
              When a pass meets more distinct keys than fit, it cleans only part of the dirty log.",
    },
    /// `log.cleaner.io.buffer.size`: total I/O buffer memory (not
    /// simulated).
    log_cleaner_io_buffer_size: i32 = "log.cleaner.io.buffer.size" {
        default: 524_288,
        validator: Validator::AtLeast(0),
        modelled: false,
        note: Some("Accepted and validated; there is no I/O to buffer."),
        doc: "Memory for the cleaner threads' read and write buffers.",
    },
    /// `log.cleaner.io.buffer.load.factor`: despite its name, the offset
    /// map's load factor (how full a pass may fill it).
    log_cleaner_io_buffer_load_factor: f64 = "log.cleaner.io.buffer.load.factor" {
        default: 0.9,
        validator: Validator::AboveAtMost(0, 1),
        modelled: true,
        note: Some(
            "Kafka has no range check; the playground requires a value above 0 (else no key fits) and at most 1 \
             (a fuller map than its slots cannot exist).",
        ),
        doc: "Despite its name, the offset map's load factor: a cleaning pass stops adding keys once the map is \
              this full. Higher values clean more per pass but cause more hash collisions.",
    },
    /// `log.cleaner.backoff.ms`: how long a cleaner thread sleeps when it
    /// found nothing to clean (`CleanerThread.doWork`'s `pause`).
    log_cleaner_backoff_ms: i64 = "log.cleaner.backoff.ms" {
        default: 15_000,
        validator: Validator::AtLeast(0),
        modelled: true,
        note: Some(
            "Paces the cleaner threads of `run`; `clean` is one iteration whenever asked. The simulated clock \
             counts whole milliseconds, so with 0 an idle thread wakes again 1 ms later.",
        ),
        doc: "The amount of time to sleep when there are no logs to clean: after an iteration that cleaned \
              nothing, a cleaner thread waits this long before it looks again; after a cleaning it looks again \
              at once.",
    },
    /// `log.cleaner.min.cleanable.ratio`: default `min.cleanable.dirty.ratio`.
    log_cleaner_min_cleanable_ratio: f64 = "log.cleaner.min.cleanable.ratio" {
        default: 0.5,
        validator: Validator::Between(0, 1),
        modelled: true,
        note: None,
        doc: "The default min.cleanable.dirty.ratio of topics that do not set their own.",
    },
    /// `log.cleaner.enable`: false leaves compacted topics uncleaned.
    log_cleaner_enable: bool = "log.cleaner.enable" {
        default: true,
        validator: Validator::None,
        modelled: true,
        note: Some("Deprecated in Kafka 4.1, to be removed in 5.0."),
        doc: "Whether cleaner threads run at all. If false, compacted topics are neither compacted nor, \
              with compact,delete, retention-deleted.",
    },
    /// `log.cleaner.delete.retention.ms`: default `delete.retention.ms`.
    log_cleaner_delete_retention_ms: i64 = "log.cleaner.delete.retention.ms" {
        default: 86_400_000,
        validator: Validator::AtLeast(0),
        modelled: true,
        note: None,
        doc: "The default delete.retention.ms of topics that do not set their own.",
    },
    /// `log.cleaner.min.compaction.lag.ms`: default `min.compaction.lag.ms`.
    log_cleaner_min_compaction_lag_ms: i64 = "log.cleaner.min.compaction.lag.ms" {
        default: 0,
        validator: Validator::AtLeast(0),
        modelled: true,
        note: None,
        doc: "The default min.compaction.lag.ms of topics that do not set their own.",
    },
    /// `log.cleaner.max.compaction.lag.ms`: default `max.compaction.lag.ms`.
    log_cleaner_max_compaction_lag_ms: i64 = "log.cleaner.max.compaction.lag.ms" {
        default: i64::MAX,
        validator: Validator::AtLeast(1),
        modelled: true,
        note: None,
        doc: "The default max.compaction.lag.ms of topics that do not set their own.",
    },
    /// `producer.id.expiration.ms` (`TransactionLogConfig`): how long a
    /// partition keeps the state of a producer that wrote nothing.
    producer_id_expiration_ms: i32 = "producer.id.expiration.ms" {
        default: 86_400_000,
        validator: Validator::AtLeast(1),
        modelled: true,
        note: Some(
            "Checked every 10 minutes (producer.id.expiration.check.interval.ms) from the log's creation. An \
             expired producer's last batch is no longer kept by the cleaner.",
        ),
        doc: "The time in ms that a topic partition leader will wait before expiring producer IDs. Producer IDs \
              will not expire while a transaction associated to them is still ongoing.",
    },
    // Not a cleaner setting: `ServerLogConfigs.LOG_CLEANUP_INTERVAL_MS_CONFIG`,
    // defined by `LogConfig.SERVER_CONFIG_DEF`, which Kafka's broker config
    // merges after `CleanerConfig.CONFIG_DEF` (so it is validated last).
    /// `log.retention.check.interval.ms`: the period of the log manager's
    /// retention check (`kafka-log-retention`) of logs that are not compacted.
    log_retention_check_interval_ms: i64 = "log.retention.check.interval.ms" {
        default: 300_000,
        validator: Validator::AtLeast(1),
        modelled: true,
        note: Some(
            "Paces the retention check of `run`: first 30 s after broker start, then at this period. Kafka reads \
             it only at startup; here a change applies from the next check on.",
        ),
        doc: "The frequency in milliseconds that the log cleaner checks whether any log is eligible for deletion: \
              the retention check of topics whose cleanup.policy is delete only (compacted topics are checked by \
              the cleaner threads).",
    },
}

impl Default for BrokerConfig {
    /// Kafka's defaults (`CleanerConfig`, `LogConfig`).
    fn default() -> Self {
        BrokerConfig::defaults()
    }
}

impl BrokerConfig {
    /// Applies `changes` as one request, all or nothing, like the scenario
    /// line `broker log.cleaner.dedupe.buffer.size=... log.cleaner.threads=...`.
    /// Only the `log.cleaner.*` settings and `log.retention.check.interval.ms`
    /// are accepted. A name given twice keeps its last value.
    ///
    /// Checks, in order: names; each value by Kafka's `ConfigDef` (type and
    /// range, in `CleanerConfig`'s definition order); at least one thread
    /// (`LogCleaner.validateReconfiguration`; the half/double rule is not
    /// enforced); a load factor in (0, 1] (playground rule); an offset map
    /// that holds at least one key per pass (the `Cleaner` constructor's
    /// `require`); and `LogConfig.validateValues` on the topic defaults
    /// (the lag conflict). Kafka's startup rule of more than 1 MiB of
    /// dedupe buffer per thread is deliberately not enforced.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidConfig`](crate::Error::InvalidConfig) with Kafka's
    /// message (for unknown names: `Unknown broker config name: <name>`);
    /// `self` is untouched.
    pub fn with(&self, changes: &[(&str, &str)]) -> Result<BrokerConfig> {
        if let Some((name, _)) = changes.iter().find(|(name, _)| def::find(BROKER_DEFS, name).is_none()) {
            return Err(InvalidConfig::UnknownBrokerConfig {
                name: (*name).to_string(),
            }
            .into());
        }
        let merged: BTreeMap<&str, &str> = changes.iter().copied().collect();
        let mut next = self.clone();
        // Kafka: ConfigDef.parse walks the keys in definition order.
        def::parse_into(BROKER_DEFS, &mut next, |name| merged.get(name).copied())?;
        // Kafka: LogCleaner.validateReconfiguration ("should be at least 1";
        // ConfigDef alone allows 0, which means no cleaner at all).
        if next.log_cleaner_threads < 1 {
            return Err(InvalidConfig::TooFewCleanerThreads.into());
        }
        // Checked by the load factor's validator while parsing; repeated
        // here for a value already out of range in `self` (pub fields).
        let lf = next.log_cleaner_io_buffer_load_factor;
        let load_factor = def::find(BROKER_DEFS, "log.cleaner.io.buffer.load.factor").expect("a broker config");
        load_factor
            .validator
            .ensure_valid(load_factor.name, &Value::Double(lf))?;
        // Kafka: Cleaner constructor, require(offsetMap.slots * dupBufferLoadFactor > 1).
        let desired_keys = next.offset_map_slots() as f64 * lf;
        if desired_keys.is_nan() || desired_keys <= 1.0 {
            return Err(InvalidConfig::OffsetMapTooSmall.into());
        }
        // Kafka: LogManager startup, LogConfig.validateBrokerLogConfigValues
        // -> validateValues on the topic defaults.
        check_lag_conflict(
            next.log_cleaner_min_compaction_lag_ms,
            next.log_cleaner_max_compaction_lag_ms,
        )?;
        Ok(next)
    }

    /// Whether going from `self` to `next` restarts the cleaner threads:
    /// Kafka's `LogCleaner.reconfigure` shuts every thread down and starts
    /// them again when one of `LogCleaner.ReconfigurableConfigs` changes
    /// (threads, dedupe buffer, load factor, I/O buffer, I/O throttle,
    /// backoff; `message.max.bytes` is not modelled), and switching
    /// `log.cleaner.enable` stops or starts them. The topic defaults
    /// (`log.cleaner.min.cleanable.ratio`, the lags, `delete.retention.ms`)
    /// are dynamic log configs that leave the threads running.
    pub fn restarts_cleaner(&self, next: &BrokerConfig) -> bool {
        self.log_cleaner_threads != next.log_cleaner_threads
            || self.log_cleaner_dedupe_buffer_size != next.log_cleaner_dedupe_buffer_size
            || self.log_cleaner_io_buffer_load_factor.to_bits() != next.log_cleaner_io_buffer_load_factor.to_bits()
            || self.log_cleaner_io_buffer_size != next.log_cleaner_io_buffer_size
            || self.log_cleaner_io_max_bytes_per_second.to_bits() != next.log_cleaner_io_max_bytes_per_second.to_bits()
            || self.log_cleaner_backoff_ms != next.log_cleaner_backoff_ms
            || self.log_cleaner_enable != next.log_cleaner_enable
    }

    /// Offset-map slots of ONE cleaner thread (Kafka `LogCleaner` /
    /// `SkimpyOffsetMap`): `floor(min(dedupe / threads, 2^31 - 1) / 24)`.
    /// 0 when the buffer is negative or there are no threads.
    pub fn offset_map_slots(&self) -> usize {
        if self.log_cleaner_threads <= 0 {
            return 0;
        }
        // Kafka: LogCleaner: memory = min(dedupeBufferSize / numThreads, Int.MaxValue).
        let per_thread =
            (self.log_cleaner_dedupe_buffer_size / i64::from(self.log_cleaner_threads)).min(i64::from(i32::MAX));
        if per_thread <= 0 {
            return 0;
        }
        // Kafka: SkimpyOffsetMap.slots = memory / bytesPerEntry.
        usize::try_from(per_thread).unwrap_or(0) / OFFSET_MAP_BYTES_PER_ENTRY
    }

    /// The most distinct keys one cleaning pass may put in the offset map:
    /// `(int) (slots * load factor)` (Kafka `Cleaner.buildOffsetMap`,
    /// `maxDesiredMapSize`).
    pub fn max_keys_per_pass(&self) -> usize {
        // Java's (int) cast truncates toward zero; NaN and negatives give 0.
        (self.offset_map_slots() as f64 * self.log_cleaner_io_buffer_load_factor) as usize
    }

    /// Every setting as (name, value), in alphabetical order of name,
    /// printed as Kafka prints them (`1.7976931348623157E308`).
    pub fn entries(&self) -> Vec<(&'static str, String)> {
        def::entries(BROKER_DEFS, self)
    }
}

/// One row per broker cleaner setting, in alphabetical order of name.
pub fn broker_config_keys() -> Vec<ConfigKey> {
    def::keys(BROKER_DEFS, &BrokerConfig::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_defines_each_key_once_with_a_default_it_accepts() {
        def::assert_table_is_sound(BROKER_DEFS, &BrokerConfig::default());
    }
}
