//! `produce` and `tombstone`: one record as one batch, as a Java producer
//! with `linger.ms=0` sends it (`kafka-console-producer` with
//! `--property null.marker=NULL`).
//!
//! The broker chooses the partition (the default partitioner) and checks the
//! record; this file only reads and writes the line.

use std::fmt;

use serde::Serialize;

use crate::error::Result;
use crate::log_manager::{LogManager, ProduceRequest};
use crate::scenario::lexer::{parse_topic_partition, split_word, topic_partition_word, ParseResult};
use crate::topic_partition::TopicPartition;

/// `produce <topic>[/<p>] [ts=<ms>] [producer=<name>] <key>:<value>` or
/// `tombstone <topic>[/<p>] [ts=<ms>] [producer=<name>] <key>`.
#[derive(Debug, Clone, PartialEq)]
pub struct Produce {
    pub topic: String,
    /// `None`: the default partitioner chooses.
    pub partition: Option<u32>,
    /// The CreateTime; `None`: the clock's now.
    pub timestamp_ms: Option<i64>,
    /// `None`: a null key (`NULL` in the script).
    pub key: Option<String>,
    /// `None`: a tombstone.
    pub value: Option<String>,
    /// The producer client (`producer` line); `None`: a plain producer.
    pub producer: Option<String>,
}

/// Where the record went.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Produced {
    #[serde(flatten)]
    pub topic_partition: TopicPartition,
    pub offset: i64,
    /// The roll this append caused (`segment.bytes`, `segment.ms`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rolled: Option<String>,
}

/// The script's word for a null key or value.
const NULL: &str = "NULL";

impl Produce {
    pub const WORD: &'static str = "produce";
    pub const TOMBSTONE_WORD: &'static str = "tombstone";

    /// Parses the line after `word` (`produce` or `tombstone`).
    pub(crate) fn parse(word: &str, rest: &str) -> ParseResult<Self> {
        let tombstone = word == Self::TOMBSTONE_WORD;
        let usage = if tombstone {
            "usage: tombstone <topic>[/<p>] [ts=<ms>] [producer=<name>] <key>"
        } else {
            "usage: produce <topic>[/<p>] [ts=<ms>] [producer=<name>] <key>:<value>"
        };
        let (spec, mut rest) = split_word(rest);
        if spec.is_empty() {
            return Err(usage.into());
        }
        let (topic, partition) = parse_topic_partition(spec)?;
        let (mut timestamp_ms, mut producer) = (None, None);
        // The options, in either order, each at most once. `produce t ts=1:v`
        // is the key `ts=1`, not a timestamp (a word with ':' is the record).
        loop {
            let (w, after) = split_word(rest);
            let is_option = |v: &str| !v.contains(':') || tombstone;
            if let Some(ts) = w.strip_prefix("ts=").filter(|v| timestamp_ms.is_none() && is_option(v)) {
                timestamp_ms = Some(
                    ts.parse::<i64>()
                        .map_err(|_| format!("ts must be an integer (epoch ms), got '{ts}'"))?,
                );
                rest = after;
            } else if let Some(name) = w
                .strip_prefix("producer=")
                .filter(|v| producer.is_none() && is_option(v) && !(tombstone && after.is_empty()))
            {
                producer = Some(super::producer::parse_producer_name(name)?);
                rest = after;
            } else {
                break;
            }
        }
        let null = |s: &str| if s == NULL { None } else { Some(s.to_string()) };
        let (key, value) = if tombstone {
            if rest.is_empty() {
                return Err(usage.into());
            }
            (null(rest), None)
        } else {
            let Some((k, v)) = rest.split_once(':') else {
                return Err(format!("{usage} (no ':' between key and value)"));
            };
            (null(k), null(v))
        };
        Ok(Produce {
            topic,
            partition,
            timestamp_ms,
            key,
            value,
            producer,
        })
    }

    pub(crate) fn execute(&self, broker: &mut LogManager) -> Result<Produced> {
        let res = broker.produce(ProduceRequest {
            partition: self.partition,
            timestamp_ms: self.timestamp_ms,
            producer: self.producer.as_deref(),
            ..ProduceRequest::new(
                &self.topic,
                self.key.as_deref().map(str::as_bytes),
                self.value.as_deref().map(str::as_bytes),
            )
        })?;
        Ok(Produced {
            topic_partition: res.topic_partition,
            offset: res.offset,
            rolled: res.rolled.map(|reason| reason.describe().to_string()),
        })
    }
}

/// A record with a value is written `produce`, without one `tombstone`.
impl fmt::Display for Produce {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let word = if self.value.is_some() {
            Self::WORD
        } else {
            Self::TOMBSTONE_WORD
        };
        write!(f, "{word} {}", topic_partition_word(&self.topic, self.partition))?;
        if let Some(t) = self.timestamp_ms {
            write!(f, " ts={t}")?;
        }
        if let Some(p) = &self.producer {
            write!(f, " producer={p}")?;
        }
        let key = self.key.as_deref().unwrap_or(NULL);
        match &self.value {
            Some(v) => write!(f, " {key}:{v}"),
            None => write!(f, " {key}"),
        }
    }
}
