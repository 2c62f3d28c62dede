//! `producer`: a producer client, as `new KafkaProducer(props)` (and
//! `initTransactions()` for a transactional one) makes it. Idempotent
//! unless `enable.idempotence=false`; transactional with a
//! `transactional.id`. The broker hands out producer ids 0, 1, 2, ... in
//! the order these lines run (`log_manager/transactions.rs`).

use std::fmt;

use serde::Serialize;

use crate::error::Result;
use crate::log_manager::LogManager;
use crate::scenario::lexer::{key_values, split_word, ParseResult};

/// `producer <name> [enable.idempotence=true|false] [transactional.id=<id>]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Producer {
    pub name: String,
    /// `None`: the default (true).
    pub enable_idempotence: Option<bool>,
    pub transactional_id: Option<String>,
}

/// The client made, and its producer id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProducerCreated {
    pub producer: String,
    /// `null` for a non-idempotent producer.
    pub producer_id: Option<i64>,
    pub producer_epoch: i16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transactional_id: Option<String>,
}

const USAGE: &str = "usage: producer <name> [enable.idempotence=true|false] [transactional.id=<id>]";

/// A producer's name: what `produce ... producer=<name>`, `begin`,
/// `commit` and `abort` refer to.
pub(crate) fn parse_producer_name(name: &str) -> ParseResult<String> {
    if name.is_empty() {
        return Err(USAGE.into());
    }
    if name.len() > 249
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    {
        return Err(format!(
            "invalid producer name '{}': use up to 249 ASCII letters, digits, '.', '_' and '-'",
            crate::error::clip(name)
        ));
    }
    Ok(name.to_string())
}

impl Producer {
    pub const WORD: &'static str = "producer";

    pub(crate) fn parse(rest: &str) -> ParseResult<Self> {
        let (name, rest) = split_word(rest);
        let name = parse_producer_name(name)?;
        let (mut enable_idempotence, mut transactional_id) = (None, None);
        for (k, v) in key_values(rest)? {
            match k.as_str() {
                "enable.idempotence" => {
                    enable_idempotence = Some(match v.to_ascii_lowercase().as_str() {
                        "true" => true,
                        "false" => false,
                        _ => {
                            return Err(format!(
                                "Invalid value {} for configuration enable.idempotence: Expected value to be either \
                                 true or false",
                                crate::error::clip(&v)
                            ))
                        }
                    })
                }
                "transactional.id" => {
                    if v.is_empty() {
                        return Err("transactional.id must not be empty".into());
                    }
                    transactional_id = Some(v);
                }
                _ => {
                    return Err(format!(
                    "unknown option '{}' for producer (expected enable.idempotence=<bool> or transactional.id=<id>)",
                    crate::error::clip(&k)
                ))
                }
            }
        }
        Ok(Producer {
            name,
            enable_idempotence,
            transactional_id,
        })
    }

    pub(crate) fn execute(&self, broker: &mut LogManager) -> Result<ProducerCreated> {
        let id = broker.create_producer(&self.name, self.enable_idempotence, self.transactional_id.as_deref())?;
        Ok(ProducerCreated {
            producer: self.name.clone(),
            producer_id: id,
            producer_epoch: if id.is_some() { 0 } else { -1 },
            transactional_id: self.transactional_id.clone(),
        })
    }
}

impl fmt::Display for Producer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", Self::WORD, self.name)?;
        if let Some(b) = self.enable_idempotence {
            write!(f, " enable.idempotence={b}")?;
        }
        if let Some(t) = &self.transactional_id {
            write!(f, " transactional.id={t}")?;
        }
        Ok(())
    }
}
