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
//! # Example
//!
//! A script is the playground's text form (`scenario-format.md`); running it
//! gives the broker's state and what every line did, as `run --json` prints:
//!
//! ```
//! let script = "\
//! topic t cleanup.policy=compact
//! produce t k1:v1
//! produce t k2:v1
//! produce t k1:v2
//! roll t
//! clean t/0
//! ";
//! let out = kcp::scenario::run(script).expect("the script parses");
//! let log = &out.topics[0].partitions[0];
//! let offsets: Vec<i64> = log.segments.iter()
//!     .flat_map(|s| &s.batches).flat_map(|b| &b.records).map(|r| r.offset).collect();
//! // k1's first value is gone; offsets never change, so 0 is now a gap.
//! assert_eq!(offsets, [1, 2]);
//! assert_eq!(log.log_end_offset, 3);
//! ```
//!
//! # Crate map
//!
//! **The Kafka model** (deterministic, no browser code, no wall clock):
//!
//! | module | models (Kafka) |
//! | --- | --- |
//! | [`record`] | `Record`: offset, timestamp, key, value (None = tombstone); `TimestampType` |
//! | [`batch`] | `RecordBatch` v2 as its encoded bytes (`DefaultRecordBatch`, `DefaultRecord`, `MemoryRecordsBuilder`) |
//! | [`log`] | `UnifiedLog`/`LocalLog` as [`log::PartitionLog`], with [`log::segment::LogSegment`] and [`log::retention`] |
//! | [`topic`] | a topic's partitions and config; `Topic.validate` name rules |
//! | [`topic_partition`] | `TopicPartition` (`t-0`) |
//! | [`config`] | `LogConfig`/`TopicConfig` keys and `CleanerConfig` broker settings, one definition row per key |
//! | [`partitioner`] | `Utils.murmur2`, `toPositive`, librdkafka's CRC32, Sarama's FNV-1a |
//! | [`cleaner`] | `LogCleanerManager` (plan), `Cleaner` (execute), `OffsetMap`, `CleanerStats` |
//! | [`log_manager`] | `LogManager`: topics, produce, generate, roll, cleaner thread iteration, retention |
//! | [`clock`] | the simulated clock (`MockTime`'s role) and UTC formatting |
//! | [`rng`] | the seeded SplitMix64 generator (segment jitter, sticky partitions, `generate`) |
//! | [`error`] | Kafka's errors as typed kinds whose `Display` is Kafka's wording |
//! | [`budget`] | not Kafka's: the limits of a session (records, bytes, partitions, steps, cleaner work, consumes) |
//! | [`log_dir`] | a session as a broker's `log.dirs` folder (export), and `.log` files read back (`LogLoader`, import) |
//! | [`checkpoint`] | `OffsetCheckpointFile`, `LeaderEpochCheckpointFile`, `PartitionMetadataFile` |
//! | [`dump_log_segments`] | `kafka-dump-log.sh` (`DumpLogSegments`): its exact text over file bytes |
//!
//! **Text forms and views**:
//!
//! | module | what |
//! | --- | --- |
//! | [`scenario`] | the scenario language: one file per command, the runner, built-in scenarios, share links |
//! | [`snapshot`] | serde view types: the one contract for the page, the JS API and the CLI JSON |
//! | [`report`] | readable reports in the style of `kafka-dump-log.sh` and the cleaner log |
//! | [`bench`](mod@bench) | the bare lower bounds the benchmark compares the engine with |
//!
//! **Front ends**: `js_api` (feature `js-api`: the wasm-bindgen facade for
//! tutorial pages), `ui` (feature `ui`: the Yew page and its embed), and the
//! binaries `playground` (the CLI: `src/bin/playground.rs`) and
//! `playground-ui` (the page's entry point, built by Trunk).

// Every public function that can fail says when and with which error; CI's
// `-D warnings` turns a missing `# Errors` section into a failure.
#![warn(clippy::missing_errors_doc)]

pub mod batch;
pub mod bench;
pub mod budget;
#[cfg(feature = "files")]
pub mod checkpoint;
pub mod cleaner;
pub mod clock;
pub mod config;
#[cfg(feature = "files")]
pub mod dump_log_segments;
pub mod error;
pub mod log;
pub mod log_dir;
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

pub use budget::Budget;
pub use error::{Error, Result};
pub use topic_partition::TopicPartition;
