//! `consume`: a fetch as a consumer makes it (`kafka-console-consumer
//! --partition p --offset o --max-messages n`). An offset the cleaner
//! removed yields the next surviving record, as Kafka's fetch does. Like a
//! consumer's poll, it returns at most `max.poll.records` (500) records
//! unless `max=` says otherwise.

use std::fmt;

use serde::Serialize;

use crate::error::Result;
use crate::log::IsolationLevel;
use crate::log_manager::LogManager;
use crate::scenario::lexer::{key_values, parse_count, parse_int, parse_partition, split_word, ParseResult};
use crate::snapshot::RecordSnapshot;

/// `consume <topic>/<p> [from=<offset>] [max=<n>] [isolation=read_committed|read_uncommitted]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consume {
    pub topic: String,
    pub partition: u32,
    /// `None`: the log start offset.
    pub from: Option<i64>,
    /// `None`: Kafka's `max.poll.records` default, 500
    /// ([`crate::budget::DEFAULT_CONSUME_MAX`]); the session's budget caps it.
    pub max: Option<u64>,
    /// `isolation.level`; `None`: the default, `read_uncommitted`.
    pub isolation: Option<IsolationLevel>,
}

/// What the consumer received.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Consumed {
    pub topic: String,
    pub partition: u32,
    pub records: Vec<RecordSnapshot>,
    /// A sentence for people: the fetch started past removed offsets.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Consume {
    pub const WORD: &'static str = "consume";

    pub(crate) fn parse(rest: &str) -> ParseResult<Self> {
        let (spec, rest) = split_word(rest);
        let tp = parse_partition(
            spec,
            "usage: consume <topic>/<p> [from=<offset>] [max=<n>] [isolation=read_committed|read_uncommitted]",
        )?;
        let (mut from, mut max, mut isolation) = (None, None, None);
        for (k, v) in key_values(rest)? {
            match k.as_str() {
                "from" => from = Some(parse_int(&k, &v)?),
                "max" => max = Some(parse_count(&k, &v)?),
                "isolation" => {
                    isolation = Some(match v.as_str() {
                        "read_committed" => IsolationLevel::ReadCommitted,
                        "read_uncommitted" => IsolationLevel::ReadUncommitted,
                        _ => {
                            return Err(format!(
                                "Invalid value {} for configuration isolation.level: String must be one of: \
                                 read_committed, read_uncommitted",
                                crate::error::clip(&v)
                            ))
                        }
                    })
                }
                _ => {
                    return Err(format!(
                        "unknown option '{k}' for consume (expected from=<offset>, max=<n> or isolation=<level>)"
                    ))
                }
            }
        }
        Ok(Consume {
            topic: tp.topic,
            partition: tp.partition,
            from,
            max,
            isolation,
        })
    }

    pub(crate) fn execute(&self, broker: &mut LogManager) -> Result<Consumed> {
        let records = broker.poll_isolated(
            &self.topic,
            self.partition,
            self.from,
            self.max,
            self.isolation.unwrap_or_default(),
        )?;
        let note = match (self.from, records.first()) {
            (Some(f), Some(first)) if first.offset > f => Some(format!(
                "offset {f} is no longer in the log (compacted away); the fetch starts at the next surviving record, offset {}",
                first.offset
            )),
            _ => None,
        };
        Ok(Consumed {
            topic: self.topic.clone(),
            partition: self.partition,
            records: records.iter().map(RecordSnapshot::from).collect(),
            note,
        })
    }
}

impl fmt::Display for Consume {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}/{}", Self::WORD, self.topic, self.partition)?;
        if let Some(from) = self.from {
            write!(f, " from={from}")?;
        }
        if let Some(m) = self.max {
            write!(f, " max={m}")?;
        }
        if let Some(i) = self.isolation {
            write!(f, " isolation={}", i.name())?;
        }
        Ok(())
    }
}
