//! The errors a broker returns, by their Kafka names.
//!
//! Models the `ApiException` subclasses a producer, an admin client or a
//! consumer sees (`InvalidConfigurationException`, `RecordTooLargeException`,
//! `OffsetOutOfRangeException`, ...). Each [`Error`] variant holds a kind of
//! the same name with the offending values as typed fields; its `Display` is
//! Kafka's message, word for word, because learners compare it with what
//! their own cluster printed. No error codes or retriability: a simulated
//! broker never has a transient failure.

use std::fmt;

use crate::budget::Limit;
use crate::topic_partition::TopicPartition;

/// The longest piece of input an error message repeats. Kafka echoes a
/// topic name whole (`Topic.validate` puts the name in its message), which
/// is harmless for 250 characters but not for a 100 MB line: beyond this,
/// the echo is cut and says how much was left out.
pub const MAX_ECHO_CHARS: usize = 300;

/// `s`, or its first [`MAX_ECHO_CHARS`] characters and an ellipsis saying
/// how many bytes were cut.
pub fn clip(s: &str) -> std::borrow::Cow<'_, str> {
    clip_to(s, MAX_ECHO_CHARS)
}

/// `s`, or its first `max_chars` characters and an ellipsis saying how many
/// bytes were cut.
pub fn clip_to(s: &str, max_chars: usize) -> std::borrow::Cow<'_, str> {
    match s.char_indices().nth(max_chars) {
        None => std::borrow::Cow::Borrowed(s),
        Some((at, _)) => std::borrow::Cow::Owned(format!("{}... ({} more bytes)", &s[..at], s.len() - at)),
    }
}

/// An error from the simulated broker; `Display` gives Kafka's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// `ConfigException` / `InvalidConfigurationException` (code 40): a config
    /// value out of range, of the wrong type, an unknown name, or a conflict.
    InvalidConfig(InvalidConfig),
    /// `InvalidRecordException` (INVALID_RECORD, code 87): e.g. a null key on
    /// a compacted topic.
    InvalidRecord(InvalidRecord),
    /// `RecordTooLargeException` (MESSAGE_TOO_LARGE, code 10): a batch larger
    /// than `max.message.bytes`.
    RecordTooLarge(RecordTooLarge),
    /// `RecordBatchTooLargeException` (RECORD_LIST_TOO_LARGE, code 18): a
    /// batch larger than `segment.bytes`.
    RecordBatchTooLarge(RecordBatchTooLarge),
    /// `InvalidTimestampException` (INVALID_TIMESTAMP, code 32): a CreateTime
    /// outside `message.timestamp.before.max.ms` / `after.max.ms`.
    InvalidTimestamp(InvalidTimestamp),
    /// `OffsetOutOfRangeException` (OFFSET_OUT_OF_RANGE, code 1).
    OffsetOutOfRange(OffsetOutOfRange),
    /// `UnknownTopicOrPartitionException` (code 3).
    UnknownTopicOrPartition(UnknownTopicOrPartition),
    /// `TopicExistsException` (code 36).
    TopicExists(TopicExists),
    /// `InvalidTopicException` (code 17): an illegal topic name.
    InvalidTopic(InvalidTopic),
    /// `InvalidPartitionsException` (code 37).
    InvalidPartitions(InvalidPartitions),
    /// `InvalidRequestException` (code 42), and requests the playground cannot
    /// carry out (for example cleaning a partition of a non-compacted topic).
    InvalidRequest(InvalidRequest),
    /// Java's `IllegalArgumentException`, as Kafka's client throws it before
    /// sending anything (`new ProducerRecord` with a negative timestamp).
    IllegalArgument(IllegalArgument),
    /// A producer's or a transaction's error: the Java client's misuse
    /// errors (`IllegalStateException`, `ConfigException`) and the broker's
    /// producer-state checks (`OutOfOrderSequenceException`, ...), each with
    /// its own Kafka name ([`ProducerError::kafka_name`]).
    Producer(ProducerError),
    /// Not Kafka's: the session's [`crate::budget::Budget`] does not allow
    /// the request (its `kafka_name` is the playground's own,
    /// `BudgetExceeded`, because no Kafka exception means this).
    BudgetExceeded(BudgetExceeded),
}

impl Error {
    /// Kafka's name for the exception, as a client would log it.
    pub fn kafka_name(&self) -> &'static str {
        match self {
            Error::InvalidConfig(_) => "InvalidConfigurationException",
            Error::InvalidRecord(_) => "InvalidRecordException",
            Error::RecordTooLarge(_) => "RecordTooLargeException",
            Error::RecordBatchTooLarge(_) => "RecordBatchTooLargeException",
            Error::InvalidTimestamp(_) => "InvalidTimestampException",
            Error::OffsetOutOfRange(_) => "OffsetOutOfRangeException",
            Error::UnknownTopicOrPartition(_) => "UnknownTopicOrPartitionException",
            Error::TopicExists(_) => "TopicExistsException",
            Error::InvalidTopic(_) => "InvalidTopicException",
            Error::InvalidPartitions(_) => "InvalidPartitionsException",
            Error::InvalidRequest(_) => "InvalidRequestException",
            Error::IllegalArgument(_) => "IllegalArgumentException",
            Error::Producer(e) => e.kafka_name(),
            Error::BudgetExceeded(_) => "BudgetExceeded",
        }
    }

    /// The message alone, without the exception name (the same text as
    /// `Display`).
    pub fn message(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidConfig(e) => e.fmt(f),
            Error::InvalidRecord(e) => e.fmt(f),
            Error::RecordTooLarge(e) => e.fmt(f),
            Error::RecordBatchTooLarge(e) => e.fmt(f),
            Error::InvalidTimestamp(e) => e.fmt(f),
            Error::OffsetOutOfRange(e) => e.fmt(f),
            Error::UnknownTopicOrPartition(e) => e.fmt(f),
            Error::TopicExists(e) => e.fmt(f),
            Error::InvalidTopic(e) => e.fmt(f),
            Error::InvalidPartitions(e) => e.fmt(f),
            Error::InvalidRequest(e) => e.fmt(f),
            Error::IllegalArgument(e) => e.fmt(f),
            Error::Producer(e) => e.fmt(f),
            Error::BudgetExceeded(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for Error {}

/// Result with the simulated broker's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

/// Lets a kind be returned where an [`Error`] is expected (`Err(kind.into())`
/// or `?`).
macro_rules! from_kind {
    ($($kind:ident),* $(,)?) => {
        $(
            impl From<$kind> for Error {
                fn from(kind: $kind) -> Error {
                    Error::$kind(kind)
                }
            }
        )*
    };
}

from_kind!(
    InvalidConfig,
    InvalidRecord,
    RecordTooLarge,
    RecordBatchTooLarge,
    InvalidTimestamp,
    OffsetOutOfRange,
    UnknownTopicOrPartition,
    TopicExists,
    InvalidTopic,
    InvalidPartitions,
    InvalidRequest,
    IllegalArgument,
    BudgetExceeded,
);

// ---------------------------------------------------------------------------
// Configs
// ---------------------------------------------------------------------------

/// Why a config request failed (`ConfigException` and the checks around it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvalidConfig {
    /// Kafka `ConfigException(name, value, message)`: a value that does not
    /// parse as the key's type or that its validator refuses.
    Value {
        /// The config key.
        name: &'static str,
        /// The value as Kafka prints it: the trimmed input when it does not
        /// parse, else the parsed value's Java `toString` (`0` as a double
        /// prints `0.0`).
        value: String,
        /// What is wrong with it.
        reason: InvalidValueReason,
    },
    /// `LogConfig.validateNames`: not a topic config.
    UnknownTopicConfig { name: String },
    /// Not one of the broker settings the playground has.
    UnknownBrokerConfig { name: String },
    /// Kafka 4.0 `ConfigCommand`: configs to delete that the topic does not
    /// set, in the order given.
    NotSet { names: Vec<String> },
    /// `LogConfig.validateValues`: `min.compaction.lag.ms` above
    /// `max.compaction.lag.ms`.
    CompactionLagConflict {
        min_compaction_lag_ms: i64,
        max_compaction_lag_ms: i64,
    },
    /// `LogCleaner.validateReconfiguration`: fewer than one cleaner thread.
    TooFewCleanerThreads,
    /// The `Cleaner` constructor's `require`: the offset map of one thread
    /// cannot hold a single key.
    OffsetMapTooSmall,
}

/// The `message` of a `ConfigException` about one value: what Kafka's
/// `ConfigDef.parseType` or the key's validator says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvalidValueReason {
    /// `ConfigDef.parseType`: `Not a number of type LONG` (the type's name in
    /// capitals: `INT`, `LONG`, `DOUBLE`).
    NotANumber { type_name: &'static str },
    /// `ConfigDef.parseType` for a BOOLEAN.
    NotABoolean,
    /// `Range.ensureValid`: below the minimum.
    AtLeast { min: i64 },
    /// `Range.ensureValid`: above the maximum.
    NoMoreThan { max: i64 },
    /// Playground rule (no Kafka validator): not above a bound.
    GreaterThan { bound: i64 },
    /// `ValidString.ensureValid` (also each element of a `ValidList`).
    OneOf { allowed: &'static [&'static str] },
}

impl fmt::Display for InvalidConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InvalidConfig::Value { name, value, reason } => {
                write!(f, "Invalid value {value} for configuration {name}: {reason}")
            }
            InvalidConfig::UnknownTopicConfig { name } => write!(f, "Unknown topic config name: {name}"),
            InvalidConfig::UnknownBrokerConfig { name } => write!(f, "Unknown broker config name: {name}"),
            InvalidConfig::NotSet { names } => write!(f, "Invalid config(s): {}", names.join(",")),
            InvalidConfig::CompactionLagConflict {
                min_compaction_lag_ms: min,
                max_compaction_lag_ms: max,
            } => write!(
                f,
                "conflict topic config setting min.compaction.lag.ms ({min}) > max.compaction.lag.ms ({max})"
            ),
            InvalidConfig::TooFewCleanerThreads => f.write_str("Log cleaner threads should be at least 1"),
            InvalidConfig::OffsetMapTooSmall => f.write_str(
                "offset map is too small to fit in even a single message, so log cleaning will never make progress. \
                 You can increase log.cleaner.dedupe.buffer.size or decrease log.cleaner.threads",
            ),
        }
    }
}

impl fmt::Display for InvalidValueReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InvalidValueReason::NotANumber { type_name } => write!(f, "Not a number of type {type_name}"),
            InvalidValueReason::NotABoolean => f.write_str("Expected value to be either true or false"),
            InvalidValueReason::AtLeast { min } => write!(f, "Value must be at least {min}"),
            InvalidValueReason::NoMoreThan { max } => write!(f, "Value must be no more than {max}"),
            InvalidValueReason::GreaterThan { bound } => write!(f, "Value must be greater than {bound}"),
            InvalidValueReason::OneOf { allowed } => write!(f, "String must be one of: {}", allowed.join(", ")),
        }
    }
}

// ---------------------------------------------------------------------------
// Produce
// ---------------------------------------------------------------------------

/// `InvalidRecordException` messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvalidRecord {
    /// `LogValidator.validateKey`: compacted topics need keys.
    CompactedTopicWithoutKey { topic_partition: TopicPartition },
}

impl fmt::Display for InvalidRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InvalidRecord::CompactedTopicWithoutKey { topic_partition } => write!(
                f,
                // Kafka 4.0's wording has no final period (the Scala validator
                // of earlier versions had one); the producer sees this
                // per-record message.
                "Compacted topic cannot accept message without key in topic partition {topic_partition}"
            ),
        }
    }
}

/// `UnifiedLog.analyzeAndValidateRecords`: a batch above `max.message.bytes`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordTooLarge {
    pub topic_partition: TopicPartition,
    pub batch_size: u64,
    pub max_message_bytes: i32,
}

impl fmt::Display for RecordTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "The record batch size in the append to {} is {} bytes which exceeds the maximum configured value of {}.",
            self.topic_partition, self.batch_size, self.max_message_bytes
        )
    }
}

/// `UnifiedLog.append`: a batch that does not fit in one segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordBatchTooLarge {
    pub topic_partition: TopicPartition,
    pub batch_size: u64,
    pub segment_bytes: i32,
}

impl fmt::Display for RecordBatchTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Message batch size is {} bytes in append to partition {}, which exceeds the maximum configured segment \
             size of {}.",
            self.batch_size, self.topic_partition, self.segment_bytes
        )
    }
}

/// `LogValidator.validateTimestamp`: a CreateTime outside `[min_ms, max_ms]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidTimestamp {
    pub timestamp_ms: i64,
    /// The record's offset in the batch as the producer sent it (before the
    /// broker assigns offsets), which Kafka prints.
    pub offset: i64,
    pub min_ms: i64,
    pub max_ms: i64,
}

impl fmt::Display for InvalidTimestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Timestamp {} of message with offset {} is out of range. The timestamp should be within [{}, {}]",
            self.timestamp_ms, self.offset, self.min_ms, self.max_ms
        )
    }
}

// ---------------------------------------------------------------------------
// Fetch and metadata
// ---------------------------------------------------------------------------

/// `UnifiedLog.read`: a fetch offset outside the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OffsetOutOfRange {
    /// Below the log start offset.
    BelowLogStart {
        offset: i64,
        topic_partition: TopicPartition,
        log_start_offset: i64,
    },
    /// Past the log end offset.
    AboveLogEnd {
        offset: i64,
        topic_partition: TopicPartition,
        log_end_offset: i64,
    },
}

impl fmt::Display for OffsetOutOfRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OffsetOutOfRange::BelowLogStart {
                offset,
                topic_partition,
                log_start_offset,
            } => write!(
                f,
                "Received request for offset {offset} for partition {topic_partition}, but we only have log segments \
                 starting from offset: {log_start_offset}."
            ),
            OffsetOutOfRange::AboveLogEnd {
                offset,
                topic_partition,
                log_end_offset,
            } => write!(
                f,
                "Received request for offset {offset} for partition {topic_partition}, but we only have log segments \
                 upto {log_end_offset}."
            ),
        }
    }
}

/// UNKNOWN_TOPIC_OR_PARTITION.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnknownTopicOrPartition {
    /// No topic of that name.
    Topic { topic: String },
    /// The topic exists but not this partition.
    Partition { topic_partition: TopicPartition },
}

impl fmt::Display for UnknownTopicOrPartition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("This server does not host this topic-partition: ")?;
        match self {
            UnknownTopicOrPartition::Topic { topic } => write!(f, "topic '{}' does not exist.", clip(topic)),
            UnknownTopicOrPartition::Partition { topic_partition } => write!(f, "{topic_partition}."),
        }
    }
}

// ---------------------------------------------------------------------------
// Topic creation
// ---------------------------------------------------------------------------

/// `TopicExistsException`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicExists {
    pub topic: String,
}

impl fmt::Display for TopicExists {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Topic '{}' already exists.", self.topic)
    }
}

/// Kafka's `Topic.validate`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvalidTopic {
    Empty,
    DotOrDotDot,
    TooLong {
        topic: String,
        max_length: usize,
    },
    IllegalCharacter {
        topic: String,
    },
    /// The controller's check (`ReplicationControlManager`, from
    /// `Topic.hasCollision`): the name equals an existing topic's once '.'
    /// and '_' are made the same, so their metric names would collide.
    Collision {
        topic: String,
        existing: String,
    },
}

impl fmt::Display for InvalidTopic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InvalidTopic::Empty => f.write_str("Topic name is illegal, it can't be empty"),
            InvalidTopic::DotOrDotDot => f.write_str("Topic name cannot be \".\" or \"..\""),
            InvalidTopic::TooLong { topic, max_length } => write!(
                f,
                "Topic name is illegal, it can't be longer than {max_length} characters, topic name: {}",
                clip(topic)
            ),
            InvalidTopic::IllegalCharacter { topic } => write!(
                f,
                "Topic name \"{}\" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' \
                 and '-'",
                clip(topic)
            ),
            InvalidTopic::Collision { topic, existing } => {
                write!(f, "Topic '{topic}' collides with existing topic: {existing}")
            }
        }
    }
}

/// The partition count of a new topic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvalidPartitions {
    /// Kafka: fewer than one partition.
    NotPositive,
    /// Playground limit: more partitions than the page draws.
    TooMany { partitions: i64, max: u32 },
}

impl fmt::Display for InvalidPartitions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InvalidPartitions::NotPositive => f.write_str("Number of partitions must be larger than 0."),
            InvalidPartitions::TooMany { partitions, max } => write!(
                f,
                "Number of partitions {partitions} is more than the playground draws (at most {max})."
            ),
        }
    }
}

// ---------------------------------------------------------------------------
// Requests the playground refuses
// ---------------------------------------------------------------------------

/// Requests the playground cannot carry out (its own wording: Kafka has no
/// such request).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvalidRequest {
    /// Moving the simulated clock backwards.
    NegativeAdvance { ms: i64 },
    /// Setting the simulated clock before the epoch.
    ClockBeforeEpoch { now_ms: i64 },
    /// Moving the simulated clock past [`crate::clock::MAX_MS`].
    ClockPastEnd,
    /// Running the broker for a negative duration.
    NegativeRun { ms: i64 },
    /// A `load` whose last record would fall past [`crate::clock::MAX_MS`].
    LoadPastEnd { last_ms: i64 },
    /// An import whose files cannot be read or are not a valid log: the
    /// file, the byte position and the problem.
    ImportFile(crate::log_dir::import::ImportError),
    /// An import in a build without Kafka's codecs (the page, before its
    /// files module has loaded): what the import names.
    ImportUnsupported { target: String },
    /// An import into a partition that already holds records.
    ImportNotEmpty {
        topic_partition: TopicPartition,
        log_end_offset: i64,
    },
    /// Cleaning a partition whose `cleanup.policy` has no `compact`.
    NotCompacted {
        topic_partition: TopicPartition,
        cleanup_policy: String,
    },
}

impl fmt::Display for InvalidRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InvalidRequest::NegativeAdvance { ms } => {
                write!(f, "cannot advance the clock by a negative duration ({ms} ms)")
            }
            InvalidRequest::ClockBeforeEpoch { now_ms } => {
                write!(f, "the clock cannot be set before 1970 ({now_ms} ms)")
            }
            InvalidRequest::ClockPastEnd => write!(
                f,
                "the clock cannot go past 9999-12-31T23:59:59.999Z ({} ms)",
                crate::clock::MAX_MS
            ),
            InvalidRequest::NegativeRun { ms } => {
                write!(f, "cannot run the broker for a negative duration ({ms} ms)")
            }
            InvalidRequest::LoadPastEnd { last_ms } => write!(
                f,
                "the load's last record would be due at {last_ms} ms, past the clock's end at \
                 9999-12-31T23:59:59.999Z ({} ms)",
                crate::clock::MAX_MS
            ),
            InvalidRequest::ImportFile(e) => write!(f, "cannot import {e}"),
            InvalidRequest::ImportUnsupported { target } => write!(
                f,
                "cannot import {target}: import needs the playground's files support, which is not loaded \
                 here; the page loads it when files are picked, and the command-line playground imports files"
            ),
            InvalidRequest::ImportNotEmpty {
                topic_partition,
                log_end_offset,
            } => write!(
                f,
                "cannot import into {topic_partition}: the partition is not empty (log end offset \
                 {log_end_offset}); import fills an empty partition"
            ),
            InvalidRequest::NotCompacted {
                topic_partition,
                cleanup_policy,
            } => write!(
                f,
                "{topic_partition} is not compacted (cleanup.policy={cleanup_policy}); the log cleaner only cleans \
                 topics whose policy includes compact"
            ),
        }
    }
}

// ---------------------------------------------------------------------------
// Client-side checks
// ---------------------------------------------------------------------------

/// `IllegalArgumentException` messages of Kafka's client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IllegalArgument {
    /// `new ProducerRecord(...)` with a timestamp below 0. The playground's
    /// `ts=-1` is "no timestamp" (`RecordBatch.NO_TIMESTAMP`, what Kafka's
    /// own test records carry), so only values below -1 reach this.
    NegativeTimestamp { timestamp_ms: i64 },
}

impl fmt::Display for IllegalArgument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IllegalArgument::NegativeTimestamp { timestamp_ms } => write!(
                f,
                "Invalid timestamp: {timestamp_ms}. Timestamp should always be non-negative or null."
            ),
        }
    }
}

// ---------------------------------------------------------------------------
// Producers and transactions
// ---------------------------------------------------------------------------

/// What a producer or a transaction can run into, in the words of the Java
/// client (`KafkaProducer`, `TransactionManager`, `ProducerConfig`) and of the
/// broker's `ProducerAppendInfo`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProducerError {
    /// `ProducerConfig.postProcessAndValidateIdempotenceConfigs`.
    TransactionalIdWithoutIdempotence,
    /// `KafkaProducer.throwIfNoTransactionManager`: `begin`, `commit` or
    /// `abort` on a producer without a `transactional.id`.
    NoTransactionManager,
    /// `TransactionManager.transitionTo`: e.g. `commit` without `begin`.
    InvalidTransition {
        transactional_id: String,
        from: &'static str,
        to: &'static str,
    },
    /// `TransactionManager.failIfNotReadyForSend`: a transactional producer
    /// sending outside a transaction.
    CannotSendInState { state: &'static str },
    /// `ProducerAppendInfo.checkSequence`.
    OutOfOrderSequence {
        producer_id: i64,
        offset: i64,
        topic_partition: TopicPartition,
        incoming: i32,
        current: i32,
    },
    /// `ProducerAppendInfo.checkProducerEpoch`.
    InvalidProducerEpoch {
        producer_id: i64,
        offset: i64,
        topic_partition: TopicPartition,
        epoch: i16,
        current: i16,
    },
    /// `ProducerAppendInfo.appendDataBatch`: a non-transactional write by a
    /// producer whose transaction is open.
    InvalidTxnState {
        producer_id: i64,
        offset: i64,
        topic_partition: TopicPartition,
    },
    /// Not Kafka's: the script names a producer no `producer` line made.
    UnknownProducer { name: String },
    /// Not Kafka's: a second `producer` line with the same name.
    ProducerExists { name: String },
    /// Not Kafka's: a second producer with a `transactional.id` in use would
    /// fence the first (bump its epoch); the playground does not model it.
    TransactionalIdInUse { transactional_id: String, producer: String },
}

impl ProducerError {
    /// The Java exception's name.
    pub fn kafka_name(&self) -> &'static str {
        match self {
            ProducerError::TransactionalIdWithoutIdempotence => "ConfigException",
            ProducerError::NoTransactionManager
            | ProducerError::InvalidTransition { .. }
            | ProducerError::CannotSendInState { .. } => "IllegalStateException",
            ProducerError::OutOfOrderSequence { .. } => "OutOfOrderSequenceException",
            ProducerError::InvalidProducerEpoch { .. } => "InvalidProducerEpochException",
            ProducerError::InvalidTxnState { .. } => "InvalidTxnStateException",
            ProducerError::UnknownProducer { .. }
            | ProducerError::ProducerExists { .. }
            | ProducerError::TransactionalIdInUse { .. } => "InvalidRequestException",
        }
    }
}

impl fmt::Display for ProducerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProducerError::TransactionalIdWithoutIdempotence => {
                f.write_str("Cannot set a transactional.id without also enabling idempotence.")
            }
            ProducerError::NoTransactionManager => f.write_str(
                "Cannot use transactional methods without enabling transactions by setting the transactional.id \
                 configuration property",
            ),
            ProducerError::InvalidTransition {
                transactional_id,
                from,
                to,
            } => write!(
                f,
                "TransactionalId {}: Invalid transition attempted from state {from} to state {to}",
                clip(transactional_id)
            ),
            ProducerError::CannotSendInState { state } => write!(f, "Cannot call send in state {state}"),
            ProducerError::OutOfOrderSequence {
                producer_id,
                offset,
                topic_partition,
                incoming,
                current,
            } => write!(
                f,
                "Out of order sequence number for producer {producer_id} at offset {offset} in partition \
                 {topic_partition}: {incoming} (incoming seq. number), {current} (current end sequence number)"
            ),
            ProducerError::InvalidProducerEpoch {
                producer_id,
                offset,
                topic_partition,
                epoch,
                current,
            } => write!(
                f,
                "Epoch of producer {producer_id} at offset {offset} in {topic_partition} is {epoch}, which is \
                 smaller than the last seen epoch {current}"
            ),
            ProducerError::InvalidTxnState {
                producer_id,
                offset,
                topic_partition,
            } => write!(
                f,
                "Expected transactional write from producer {producer_id} at offset {offset} in partition \
                 {topic_partition}"
            ),
            ProducerError::UnknownProducer { name } => write!(
                f,
                "no producer named '{}' (create it first with a line `producer {}`)",
                clip(name),
                clip(name)
            ),
            ProducerError::ProducerExists { name } => write!(f, "a producer named '{}' already exists", clip(name)),
            ProducerError::TransactionalIdInUse {
                transactional_id,
                producer,
            } => write!(
                f,
                "transactional.id '{}' is already used by producer '{}': a second producer would fence it (bump \
                 its epoch), which the playground does not model",
                clip(transactional_id),
                clip(producer)
            ),
        }
    }
}

// ---------------------------------------------------------------------------
// The session's budget
// ---------------------------------------------------------------------------

/// A request the session's [`crate::budget::Budget`] does not allow; the
/// broker checked it before changing anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetExceeded {
    /// The command refused, by its script word (`generate`, `consume`, ...).
    pub command: String,
    pub limit: Limit,
    /// What the command needed (for `consume_max`: the `max` it asked for).
    pub requested: u64,
    /// What the session had used of the limit before the command.
    pub used: u64,
    /// The limit.
    pub max: u64,
}

impl fmt::Display for BudgetExceeded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let BudgetExceeded {
            command,
            limit,
            requested,
            used,
            max,
        } = self;
        let unit = limit.unit();
        if limit.is_total() {
            write!(
                f,
                "{command} refused by the session's budget: it needs {requested} {unit}, and {used} of the {max} \
                 allowed are used (limit {limit})"
            )
        } else {
            write!(
                f,
                "{command} refused by the session's budget: it asks for {requested} {unit}, more than the {max} \
                 allowed (limit {limit})"
            )
        }
    }
}
