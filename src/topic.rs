//! A topic: its name, its config overrides and its partitions.
//!
//! Kafka has no storage-level topic class (logs are addressed by
//! `TopicPartition`); this groups what `kafka-topics --create` makes. Name
//! rules are Kafka's `Topic.validate`. The null-key placement of the Java
//! producer lives here because it is per topic in the client.

use crate::config::{BrokerConfig, TopicConfig, TopicOverrides};
use crate::error::{Error, InvalidPartitions, InvalidTopic, Result, UnknownTopicOrPartition};
use crate::log::PartitionLog;
use crate::partitioner::StickyPartitioner;
use crate::topic_partition::TopicPartition;

/// Kafka's `Topic.MAX_NAME_LENGTH`.
pub const MAX_NAME_LENGTH: usize = 249;
/// A limit of the playground (a broker takes far more): a page must draw them.
pub const MAX_PARTITIONS: u32 = 1000;

/// One topic and its partition logs. The name and the partition count never
/// change; the config is always the broker's defaults merged with the
/// overrides, so the two are private and change together
/// (`Topic::set_overrides`).
#[derive(Debug, Clone, PartialEq)]
pub struct Topic {
    name: String,
    /// What `kafka-configs --describe` lists for the topic.
    overrides: TopicOverrides,
    /// Broker defaults merged with the overrides.
    config: TopicConfig,
    /// Partition `p` at index `p`.
    partitions: Vec<PartitionLog>,
    /// Where the Java producer sends null-key records (KIP-794 sticky).
    pub(crate) sticky: StickyPartitioner,
}

/// Kafka's `Topic.validate`: the messages are Kafka's.
///
/// # Errors
///
/// [`Error::InvalidTopic`] for an empty name (`Topic name is illegal, it
/// can't be empty`), `.` or `..`, a name longer than [`MAX_NAME_LENGTH`] characters, or a
/// character other than ASCII alphanumerics, `.`, `_` and `-`.
pub(crate) fn validate_topic_name(name: &str) -> Result<()> {
    if name.is_empty() {
        return Err(Error::InvalidTopic(InvalidTopic::Empty));
    }
    if name == "." || name == ".." {
        return Err(Error::InvalidTopic(InvalidTopic::DotOrDotDot));
    }
    if name.len() > MAX_NAME_LENGTH {
        return Err(Error::InvalidTopic(InvalidTopic::TooLong {
            topic: name.to_string(),
            max_length: MAX_NAME_LENGTH,
        }));
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'_' || b == b'-')
    {
        return Err(Error::InvalidTopic(InvalidTopic::IllegalCharacter {
            topic: name.to_string(),
        }));
    }
    Ok(())
}

/// The partition count of `kafka-topics --create --partitions`.
///
/// # Errors
///
/// [`Error::InvalidPartitions`]: `Number of partitions must be larger than
/// 0.` below 1 (Kafka's), or more than [`MAX_PARTITIONS`] (a playground
/// limit).
pub(crate) fn validate_partition_count(partitions: i64) -> Result<u32> {
    if partitions < 1 {
        return Err(Error::InvalidPartitions(InvalidPartitions::NotPositive));
    }
    if partitions > i64::from(MAX_PARTITIONS) {
        return Err(Error::InvalidPartitions(InvalidPartitions::TooMany {
            partitions,
            max: MAX_PARTITIONS,
        }));
    }
    Ok(partitions as u32)
}

impl Topic {
    /// A topic of `partitions` empty logs (`kafka-topics --create`, after
    /// validation). `roll_jitter_ms` draws each first segment's jitter.
    ///
    /// # Errors
    ///
    /// The overrides do not resolve on `broker` (conflicting configs).
    pub(crate) fn new(
        name: &str,
        partitions: u32,
        overrides: TopicOverrides,
        broker: &BrokerConfig,
        now_ms: i64,
        mut roll_jitter_ms: impl FnMut(&TopicConfig) -> i64,
    ) -> Result<Self> {
        let config = TopicConfig::resolve(broker, &overrides)?;
        let partitions = (0..partitions)
            .map(|p| PartitionLog::new(name, p, now_ms, roll_jitter_ms(&config)))
            .collect();
        Ok(Topic {
            name: name.to_string(),
            overrides,
            config,
            partitions,
            sticky: StickyPartitioner::default(),
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Only the configs set on the topic.
    pub fn overrides(&self) -> &TopicOverrides {
        &self.overrides
    }

    /// The effective config: broker defaults merged with the overrides.
    pub fn config(&self) -> &TopicConfig {
        &self.config
    }

    pub fn partitions(&self) -> &[PartitionLog] {
        &self.partitions
    }

    /// The logs, to append, roll, clean or delete segments in, with the
    /// config they follow (borrowed together, as every such change needs both).
    pub(crate) fn logs_mut(&mut self) -> (&mut [PartitionLog], &TopicConfig) {
        (&mut self.partitions, &self.config)
    }

    /// Replaces the overrides and re-resolves the config on `broker`, all or
    /// nothing (`kafka-configs --alter`, or a broker default changing).
    ///
    /// # Errors
    ///
    /// The overrides do not resolve on `broker`; the topic is unchanged.
    pub(crate) fn set_overrides(&mut self, overrides: TopicOverrides, broker: &BrokerConfig) -> Result<()> {
        self.config = TopicConfig::resolve(broker, &overrides)?;
        self.overrides = overrides;
        Ok(())
    }

    /// The partition log, or UNKNOWN_TOPIC_OR_PARTITION.
    ///
    /// # Errors
    ///
    /// [`Error::UnknownTopicOrPartition`] (`This server does not host this
    /// topic-partition: t-3.`) when the topic has no such partition.
    pub fn partition(&self, partition: u32) -> Result<&PartitionLog> {
        self.partitions
            .get(partition as usize)
            .ok_or_else(|| unknown_partition(&self.name, partition))
    }
}

/// Kafka's UNKNOWN_TOPIC_OR_PARTITION message, naming the partition.
pub fn unknown_partition(topic: &str, partition: u32) -> Error {
    Error::UnknownTopicOrPartition(UnknownTopicOrPartition::Partition {
        topic_partition: TopicPartition::new(topic, partition),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kafka_topic_name_rules() {
        assert!(validate_topic_name("user-profiles").is_ok());
        assert!(validate_topic_name("a.b_c-9").is_ok());
        assert_eq!(
            validate_topic_name("bad name").unwrap_err().to_string(),
            "Topic name \"bad name\" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'"
        );
        assert!(validate_topic_name("").is_err());
        assert!(validate_topic_name("..").is_err());
        assert!(validate_topic_name(&"x".repeat(250)).is_err());
        assert!(validate_topic_name(&"x".repeat(249)).is_ok());
    }

    #[test]
    fn partition_counts() {
        assert_eq!(
            validate_partition_count(0).unwrap_err().to_string(),
            "Number of partitions must be larger than 0."
        );
        assert_eq!(validate_partition_count(3).unwrap(), 3);
        assert!(validate_partition_count(1001).is_err());
    }
}
