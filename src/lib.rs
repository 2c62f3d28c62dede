//! A faithful, deterministic model of a Kafka topic and its log cleaner.
//!
//! The engine stores records the way a broker does (record batch v2 with
//! Kafka's byte sizes, segments that roll by `segment.bytes` and
//! `segment.ms`, an active segment that is never cleaned) and cleans them the
//! way Kafka 4.0's log cleaner does: dirty ratio, cleaner checkpoint, offset
//! map of fixed capacity, segment grouping, min/max compaction lag and
//! two-phase tombstone removal. Offsets never change, so compaction leaves
//! gaps. The same code runs natively (tests, CLI) and as WebAssembly (the Yew
//! page, the embeddable widget, the JS API); it never reads the wall clock and
//! never uses an unseeded random source.
//!
//! # Layout
//!
//! | module | models (Kafka) |
//! | --- | --- |
//! | [`record`] | `Record`: offset, timestamp, key, value (None = tombstone) |
//! | [`batch`] | `RecordBatch` v2 and its exact encoded size |
//! | [`log`] | `UnifiedLog`/`LocalLog` as [`log::PartitionLog`], with [`log::segment::LogSegment`] |
//! | [`config`] | `LogConfig` / `TopicConfig` keys and `CleanerConfig` broker settings |
//! | [`partitioner`] | `Utils.murmur2`, `toPositive`, librdkafka's CRC32, Sarama's FNV-1a |
//! | [`cleaner`] | `LogCleanerManager` (plan), `Cleaner` (execute), `OffsetMap`, `CleanerStats` |
//! | [`log_manager`] | `LogManager`: topics, produce, roll, cleaner thread iteration, retention |
//! | [`scenario`] | the scenario script language, its runner and its share links |
//! | [`snapshot`] | serde view types: the one contract for the UI, the JS API and the CLI JSON |
//! | [`report`] | readable reports in the style of `kafka-dump-log.sh` and the cleaner log |

pub mod batch;
pub mod cleaner;
pub mod clock;
pub mod config;
pub mod error;
pub mod log;
pub mod log_manager;
pub mod partitioner;
pub mod record;
pub mod report;
pub mod rng;
pub mod scenario;
pub mod snapshot;
pub mod topic;
pub mod topic_partition;

#[cfg(feature = "js-api")]
pub mod js_api;
#[cfg(feature = "ui")]
pub mod ui;

pub use error::{Error, Result};
pub use topic_partition::TopicPartition;
