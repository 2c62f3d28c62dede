//! Topic configs and the broker's cleaner settings, parsed and validated as
//! Kafka 4.0 does.
//!
//! Models Kafka's `LogConfig` (storage module) with the key names of
//! `TopicConfig` (clients), and `CleanerConfig` with the `log.cleaner.*`
//! broker settings. Values are parsed with the rules of `ConfigDef.parseType`
//! and checked with the validators Kafka declares; error messages are
//! Kafka's, word for word, because learners compare them with what their own
//! cluster printed.
//!
//! Each key is one row, as in Kafka's `ConfigDef.define`: name, type,
//! default, validator (which also prints the valid range the editor shows),
//! documentation, and how to read and write its field of the typed struct
//! the engine reads ([`TopicConfig`], [`BrokerConfig`]).
//!
//! | module | models (Kafka) |
//! | --- | --- |
//! | `def` | `ConfigDef`: types, parsing, validators, the row and [`ConfigKey`] |
//! | `java_number` | Java's `Double.parseDouble` and `Double.toString` |
//! | `topic` | `LogConfig` / `TopicConfig` keys: [`TopicConfig`], [`TopicOverrides`] |
//! | `broker` | `CleanerConfig` and the `log.cleaner.*` synonyms: [`BrokerConfig`] |
//!
//! What each simplifies is said in its module doc.

mod broker;
mod def;
mod java_number;
mod topic;

/// Re-exported: `message.timestamp.type` chooses one; it lives with records.
pub use crate::record::TimestampType;
pub use broker::{broker_config_keys, BrokerConfig, OFFSET_MAP_BYTES_PER_ENTRY};
pub use def::ConfigKey;
pub use topic::{topic_config_keys, BrokerCompressionType, CleanupPolicy, TopicConfig, TopicOverrides};
