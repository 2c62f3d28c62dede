//! The config commands: `topic` (`kafka-topics --create`), `alter` and
//! `unset` (`kafka-configs --alter --add-config` / `--delete-config` on a
//! topic) and `broker` (`kafka-configs --entity-type brokers --alter`).
//!
//! Configs go by their Kafka names and are validated by the broker as one
//! request, all or nothing, with Kafka's messages; the parser only splits
//! the `name=value` words.

use std::fmt;

use serde::Serialize;

use crate::error::Result;
use crate::log_manager::LogManager;
use crate::scenario::lexer::{key_values, key_values_words, parse_int, split_word, ParseResult};

/// `topic <topic> [partitions=<n>] [<config>=<value> ...]`.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateTopic {
    pub name: String,
    /// `None`: one partition. Kept as written so that the broker words the
    /// refusal of 0 or a negative count as Kafka does.
    pub partitions: Option<i64>,
    pub configs: Vec<(String, String)>,
}

/// `alter <topic> <config>=<value> ...`.
#[derive(Debug, Clone, PartialEq)]
pub struct Alter {
    pub topic: String,
    pub configs: Vec<(String, String)>,
}

/// `unset <topic> <config> ...`: back to the broker default.
#[derive(Debug, Clone, PartialEq)]
pub struct Unset {
    pub topic: String,
    pub names: Vec<String>,
}

/// `broker <config>=<value> ...`: the cleaner's broker settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Broker {
    pub configs: Vec<(String, String)>,
}

/// What `topic`, `alter` and `unset` report: the topic.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopicChanged {
    pub topic: String,
}

/// The broker's API takes borrowed pairs.
fn pairs(configs: &[(String, String)]) -> Vec<(&str, &str)> {
    configs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

impl CreateTopic {
    pub const WORD: &'static str = "topic";

    pub(crate) fn parse(rest: &str) -> ParseResult<Self> {
        let (name, rest) = split_word(rest);
        if name.is_empty() {
            return Err("usage: topic <topic> [partitions=<n>] [<config>=<value> ...]".into());
        }
        let mut partitions = None;
        let mut configs = Vec::new();
        for (k, v) in key_values(rest)? {
            if k == "partitions" {
                partitions = Some(parse_int(&k, &v)?);
            } else {
                configs.push((k, v));
            }
        }
        Ok(CreateTopic {
            name: name.to_string(),
            partitions,
            configs,
        })
    }

    pub(crate) fn execute(&self, broker: &mut LogManager) -> Result<TopicChanged> {
        broker.create_topic(&self.name, self.partitions.unwrap_or(1), &pairs(&self.configs))?;
        Ok(TopicChanged {
            topic: self.name.clone(),
        })
    }
}

impl fmt::Display for CreateTopic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", Self::WORD, self.name)?;
        if let Some(p) = self.partitions {
            write!(f, " partitions={p}")?;
        }
        f.write_str(&key_values_words(&self.configs))
    }
}

impl Alter {
    pub const WORD: &'static str = "alter";

    pub(crate) fn parse(rest: &str) -> ParseResult<Self> {
        let (topic, rest) = split_word(rest);
        let configs = key_values(rest)?;
        if topic.is_empty() || configs.is_empty() {
            return Err("usage: alter <topic> <config>=<value> ...".into());
        }
        Ok(Alter {
            topic: topic.to_string(),
            configs,
        })
    }

    pub(crate) fn execute(&self, broker: &mut LogManager) -> Result<TopicChanged> {
        broker.alter_topic(&self.topic, &pairs(&self.configs))?;
        Ok(TopicChanged {
            topic: self.topic.clone(),
        })
    }
}

impl fmt::Display for Alter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}{}", Self::WORD, self.topic, key_values_words(&self.configs))
    }
}

impl Unset {
    pub const WORD: &'static str = "unset";

    pub(crate) fn parse(rest: &str) -> ParseResult<Self> {
        let (topic, rest) = split_word(rest);
        let names: Vec<String> = rest.split_whitespace().map(str::to_string).collect();
        if topic.is_empty() || names.is_empty() || names.iter().any(|n| n.contains('=')) {
            return Err(
                "usage: unset <topic> <config> ... (back to the broker default, like kafka-configs --delete-config)"
                    .into(),
            );
        }
        Ok(Unset {
            topic: topic.to_string(),
            names,
        })
    }

    pub(crate) fn execute(&self, broker: &mut LogManager) -> Result<TopicChanged> {
        let names: Vec<&str> = self.names.iter().map(String::as_str).collect();
        broker.delete_topic_configs(&self.topic, &names)?;
        Ok(TopicChanged {
            topic: self.topic.clone(),
        })
    }
}

impl fmt::Display for Unset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", Self::WORD, self.topic, self.names.join(" "))
    }
}

impl Broker {
    pub const WORD: &'static str = "broker";

    pub(crate) fn parse(rest: &str) -> ParseResult<Self> {
        let configs = key_values(rest)?;
        if configs.is_empty() {
            return Err("usage: broker <config>=<value> ...".into());
        }
        Ok(Broker { configs })
    }

    pub(crate) fn execute(&self, broker: &mut LogManager) -> Result<()> {
        broker.alter_broker(&pairs(&self.configs))
    }
}

impl fmt::Display for Broker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", Self::WORD, key_values_words(&self.configs))
    }
}
