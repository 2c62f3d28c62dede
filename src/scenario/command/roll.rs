//! `roll`: a new active segment now, as `UnifiedLog.roll()` makes one (what
//! Kafka's tests call to close a segment; a broker rolls by `segment.bytes`,
//! `segment.ms` and the index limits on its own).

use std::fmt;

use serde::Serialize;

use crate::error::Result;
use crate::log_manager::LogManager;
use crate::scenario::lexer::{no_extra, parse_topic_partition, split_word, topic_partition_word, ParseResult};

/// `roll <topic>[/<p>]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Roll {
    pub topic: String,
    /// `None`: every partition of the topic.
    pub partition: Option<u32>,
}

/// The partitions that got a new active segment (an empty active segment
/// does not roll).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rolled {
    pub topic: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partition: Option<u32>,
    pub rolled_partitions: Vec<u32>,
}

const USAGE: &str = "roll <topic>[/<p>]";

impl Roll {
    pub const WORD: &'static str = "roll";

    pub(crate) fn parse(rest: &str) -> ParseResult<Self> {
        let (spec, extra) = split_word(rest);
        no_extra(extra, USAGE)?;
        if spec.is_empty() {
            return Err(format!("usage: {USAGE}"));
        }
        let (topic, partition) = parse_topic_partition(spec)?;
        Ok(Roll { topic, partition })
    }

    pub(crate) fn execute(&self, broker: &mut LogManager) -> Result<Rolled> {
        Ok(Rolled {
            rolled_partitions: broker.roll(&self.topic, self.partition)?,
            topic: self.topic.clone(),
            partition: self.partition,
        })
    }
}

impl fmt::Display for Roll {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}",
            Self::WORD,
            topic_partition_word(&self.topic, self.partition)
        )
    }
}
