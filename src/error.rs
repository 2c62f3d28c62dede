//! The errors a broker returns, by their Kafka names.
//!
//! Models the `ApiException` subclasses a producer, an admin client or a
//! consumer sees (`InvalidConfigurationException`, `RecordTooLargeException`,
//! `OffsetOutOfRangeException`, ...). Each variant carries the whole message,
//! worded as Kafka words it, because learners compare it with what their own
//! cluster printed. No error codes or retriability: a simulated broker never
//! has a transient failure.

use std::fmt;

/// An error from the simulated broker; `Display` gives Kafka's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// `ConfigException` / `InvalidConfigurationException` (code 40): a config
    /// value out of range, of the wrong type, an unknown name, or a conflict.
    InvalidConfig(String),
    /// `InvalidRecordException` (INVALID_RECORD, code 87): e.g. a null key on
    /// a compacted topic.
    InvalidRecord(String),
    /// `RecordTooLargeException` (MESSAGE_TOO_LARGE, code 10): a batch larger
    /// than `max.message.bytes`.
    RecordTooLarge(String),
    /// `RecordBatchTooLargeException` (RECORD_LIST_TOO_LARGE, code 18): a
    /// batch larger than `segment.bytes`.
    RecordBatchTooLarge(String),
    /// `InvalidTimestampException` (INVALID_TIMESTAMP, code 32): a CreateTime
    /// outside `message.timestamp.before.max.ms` / `after.max.ms`.
    InvalidTimestamp(String),
    /// `OffsetOutOfRangeException` (OFFSET_OUT_OF_RANGE, code 1).
    OffsetOutOfRange(String),
    /// `UnknownTopicOrPartitionException` (code 3).
    UnknownTopicOrPartition(String),
    /// `TopicExistsException` (code 36).
    TopicExists(String),
    /// `InvalidTopicException` (code 17): an illegal topic name.
    InvalidTopic(String),
    /// `InvalidPartitionsException` (code 37).
    InvalidPartitions(String),
    /// `InvalidRequestException` (code 42), and requests the playground cannot
    /// carry out (for example cleaning a partition of a non-compacted topic).
    InvalidRequest(String),
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
        }
    }

    /// The message alone, without the exception name.
    pub fn message(&self) -> &str {
        match self {
            Error::InvalidConfig(m)
            | Error::InvalidRecord(m)
            | Error::RecordTooLarge(m)
            | Error::RecordBatchTooLarge(m)
            | Error::InvalidTimestamp(m)
            | Error::OffsetOutOfRange(m)
            | Error::UnknownTopicOrPartition(m)
            | Error::TopicExists(m)
            | Error::InvalidTopic(m)
            | Error::InvalidPartitions(m)
            | Error::InvalidRequest(m) => m,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for Error {}

/// Result with the simulated broker's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;
