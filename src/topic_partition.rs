//! `TopicPartition`: the name of one partition's log, as Kafka writes it.
//!
//! Kafka addresses every log by `TopicPartition` and prints it as `t-0` (its
//! `toString`, also the name of the partition's directory). Serialised as
//! `{"topic": "t", "partition": 0}`; flatten it into a JSON object to keep the
//! two fields side by side, as the `run --json` contract has them.

use std::fmt;

use serde::{Deserialize, Serialize};

/// One partition of one topic.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TopicPartition {
    pub topic: String,
    pub partition: u32,
}

impl TopicPartition {
    pub fn new(topic: impl Into<String>, partition: u32) -> Self {
        TopicPartition {
            topic: topic.into(),
            partition,
        }
    }
}

/// Kafka's `TopicPartition.toString`: `t-0`.
impl fmt::Display for TopicPartition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.topic, self.partition)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_as_kafka_does_and_orders_by_topic_then_partition() {
        assert_eq!(TopicPartition::new("orders.v1", 2).to_string(), "orders.v1-2");
        let mut tps = [
            TopicPartition::new("u", 0),
            TopicPartition::new("t", 10),
            TopicPartition::new("t", 2),
        ];
        tps.sort();
        assert_eq!(
            tps.iter().map(ToString::to_string).collect::<Vec<_>>(),
            ["t-2", "t-10", "u-0"]
        );
    }
}
